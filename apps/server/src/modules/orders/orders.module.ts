import { defineModule } from '../module.ts';
import { orderJobs } from './orders.jobs.ts';
import { orderRoutes } from './orders.routes.ts';
import { ordersTimeline } from './orders.timeline.ts';

export const ordersModule = defineModule({
  name: 'orders',
  routes: orderRoutes,
  jobs: orderJobs,
  timeline: [ordersTimeline],
});
