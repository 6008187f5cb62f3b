import { defineModule } from '../module.ts';
import { watchElderDeath } from './privilege-cards.listeners.ts';
import { privilegeCardRoutes } from './privilege-cards.routes.ts';

/** 老年人优待证 (issue 17): applications, the external data check, issue, the signed QR code, revocation. */
export const privilegeCardsModule = defineModule({
  name: 'privilege-cards',
  routes: privilegeCardRoutes,
  listeners: [{ name: 'privilege-cards.revoke-on-death', role: 'worker', start: watchElderDeath }],
});
