import { defineModule } from '../module.ts';
import { creditJobs } from './credit.jobs.ts';
import { creditRoutes } from './credit.routes.ts';

/** Credit 信用 (issue 21): credit files, scores, the dishonesty list, public disclosure (docs/credit.md). */
export const creditModule = defineModule({
  name: 'credit',
  routes: creditRoutes,
  jobs: creditJobs,
});
