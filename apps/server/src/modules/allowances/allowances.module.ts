import { defineModule } from '../module.ts';
import { allowanceJobs } from './allowances.jobs.ts';
import { watchElderStatus } from './allowances.listeners.ts';
import { allowanceRoutes } from './allowances.routes.ts';
import { allowancesTimeline } from './allowances.timeline.ts';

/** High-age allowance 高龄津贴 (issue 17): tiers, applications, 公示, payment rolls. */
export const allowancesModule = defineModule({
  name: 'allowances',
  routes: allowanceRoutes,
  jobs: allowanceJobs,
  timeline: [allowancesTimeline],
  listeners: [{ name: 'allowances.stop-on-elder-status', role: 'worker', start: watchElderStatus }],
});
