import { defineModule } from '../module.ts';
import { policyJobs } from './policies.jobs.ts';
import { policyRoutes } from './policies.routes.ts';

export const policiesModule = defineModule({
  name: 'policies',
  routes: policyRoutes,
  jobs: policyJobs,
});
