import { defineModule } from '../module.ts';
import { metricsRoutes } from './metrics.routes.ts';

/** Prometheus metrics (GET /api/v1/metrics), answered by every process like the health check. */
export const metricsModule = defineModule({
  name: 'metrics',
  routes: metricsRoutes,
  routesIn: 'every-role',
});
