import { defineModule } from '../module.ts';
import { careVisitJobs } from './care-visits.jobs.ts';
import { watchReferrals } from './care-visits.listeners.ts';
import { careVisitRoutes } from './care-visits.routes.ts';
import { careVisitsTimeline } from './care-visits.timeline.ts';

/** Special groups and 关爱巡访 care visits (issue 18): groups, households, plans, visits, follow-ups, statistics. */
export const careVisitsModule = defineModule({
  name: 'care-visits',
  routes: careVisitRoutes,
  jobs: careVisitJobs,
  timeline: [careVisitsTimeline],
  listeners: [{ name: 'care-visits.close-on-referral', role: 'worker', start: watchReferrals }],
});
