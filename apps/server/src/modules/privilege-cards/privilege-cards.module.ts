import { defineModule } from '../module.ts';
import { privilegeCardRoutes } from './privilege-cards.routes.ts';

/** 老年人优待证 (issue 17): applications with their checks. */
export const privilegeCardsModule = defineModule({
  name: 'privilege-cards',
  routes: privilegeCardRoutes,
});
