import { defineModule } from '../module.ts';
import { elderJobs } from './elders.jobs.ts';
import { elderRoutes } from './elders.routes.ts';
import { archiveTimeline, statusTimeline } from './elders.timeline.ts';

export const eldersModule = defineModule({
  name: 'elders',
  routes: elderRoutes,
  jobs: elderJobs,
  timeline: [archiveTimeline, statusTimeline],
});
