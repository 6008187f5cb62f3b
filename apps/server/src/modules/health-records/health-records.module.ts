import { defineModule } from '../module.ts';
import { healthRecordJobs } from './health-records.jobs.ts';
import { healthRecordRoutes } from './health-records.routes.ts';

/** The health record per elder and 长护险 (issue 20, second part): docs/health-records.md. */
export const healthRecordsModule = defineModule({
  name: 'health-records',
  routes: healthRecordRoutes,
  jobs: healthRecordJobs,
});
