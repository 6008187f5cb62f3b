import { defineModule } from '../module.ts';
import { authJobs } from './auth.jobs.ts';
import { authRoutes } from './auth.routes.ts';

export const authModule = defineModule({
  name: 'auth',
  routes: authRoutes,
  jobs: authJobs,
});
