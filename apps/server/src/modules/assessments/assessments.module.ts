import { defineModule } from '../module.ts';
import { assessmentRoutes } from './assessments.routes.ts';

export const assessmentsModule = defineModule({
  name: 'assessments',
  routes: assessmentRoutes,
});
