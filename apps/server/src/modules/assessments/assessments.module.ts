import { defineModule } from '../module.ts';
import { assessmentRoutes } from './assessments.routes.ts';
import { assessmentsTimeline } from './assessments.timeline.ts';

export const assessmentsModule = defineModule({
  name: 'assessments',
  routes: assessmentRoutes,
  timeline: [assessmentsTimeline],
});
