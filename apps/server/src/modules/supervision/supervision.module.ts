import { defineModule } from '../module.ts';
import { supervisionRoutes } from './supervision.routes.ts';

/** Supervision 综合监管 (issue 21): read-only dashboards by district, street and community (docs/supervision.md). */
export const supervisionModule = defineModule({ name: 'supervision', routes: supervisionRoutes });
