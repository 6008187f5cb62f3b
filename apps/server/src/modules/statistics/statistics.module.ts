import { defineModule } from '../module.ts';
import { statisticsRoutes } from './statistics.routes.ts';

/** Statistics 统计 (issue 21): the indicator catalogue, the monthly report 月报 and ad-hoc statistics (docs/statistics.md). Read-only. */
export const statisticsModule = defineModule({ name: 'statistics', routes: statisticsRoutes });
