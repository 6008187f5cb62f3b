import { defineModule } from '../module.ts';
import { riskRadarJobs } from './risk-radar.jobs.ts';
import { watchRiskEvents } from './risk-radar.listeners.ts';
import { riskRadarRoutes } from './risk-radar.routes.ts';

/** Risk radar 风险雷达 (issue 18): a daily and on-event score per elder, explained (docs/risk-radar.md). */
export const riskRadarModule = defineModule({
  name: 'risk-radar',
  routes: riskRadarRoutes,
  jobs: riskRadarJobs,
  listeners: [{ name: 'risk-radar.rescore-on-event', role: 'worker', start: watchRiskEvents }],
});
