import { defineModule } from '../module.ts';
import { supervisionJobs } from './supervision.jobs.ts';
import { supervisionRoutes } from './supervision.routes.ts';

/** Supervision 综合监管 (issue 21): dashboards by district, street and community and their closed-month snapshots (docs/supervision.md). */
export const supervisionModule = defineModule({ name: 'supervision', routes: supervisionRoutes, jobs: supervisionJobs });
