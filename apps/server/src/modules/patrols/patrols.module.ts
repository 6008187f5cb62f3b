import { defineModule } from '../module.ts';
import { patrolJobs } from './patrols.jobs.ts';
import { patrolRoutes } from './patrols.routes.ts';

/**
 * 智慧安防 patrols and the colour risk map of institutions (issue 19): routes, checkpoints and
 * shifts, runs and scans, hazards → rectification → re-check, the risk colour of each institution
 * and area, the district map and the monthly report. Depends on institutions (reach) and alarms.
 */
export const patrolsModule = defineModule({
  name: 'patrols',
  routes: patrolRoutes,
  jobs: patrolJobs,
});
