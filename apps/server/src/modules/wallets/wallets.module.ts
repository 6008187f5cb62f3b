import { defineModule } from '../module.ts';
import { walletJobs } from './wallets.jobs.ts';
import { watchElderStatus } from './wallets.listeners.ts';
import { walletRoutes } from './wallets.routes.ts';

export const walletsModule = defineModule({
  name: 'wallets',
  routes: walletRoutes,
  jobs: walletJobs,
  // A wallet freezes as soon as its elder dies or moves away; the daily sweep is the backstop.
  listeners: [{ name: 'wallets.freeze-on-elder-status', role: 'worker', start: watchElderStatus }],
});
