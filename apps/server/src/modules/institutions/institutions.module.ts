import { defineModule } from '../module.ts';
import { institutionJobs } from './institutions.jobs.ts';
import { institutionRoutes } from './institutions.routes.ts';

/**
 * Institutions 机构养老 (issue 19): profiles, beds, admissions with both assessments, care, incidents,
 * discharge. Bed-bound device alarms are routed by the alarms module (alarms.repo bedPlacementOf).
 */
export const institutionsModule = defineModule({
  name: 'institutions',
  routes: institutionRoutes,
  jobs: institutionJobs,
});
