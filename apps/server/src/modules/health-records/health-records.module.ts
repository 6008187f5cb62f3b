import { defineModule } from '../module.ts';
import { healthRecordRoutes } from './health-records.routes.ts';

/** The health record per elder and 长护险 (issue 20, second part): docs/health-records.md. */
export const healthRecordsModule = defineModule({
  name: 'health-records',
  routes: healthRecordRoutes,
});
