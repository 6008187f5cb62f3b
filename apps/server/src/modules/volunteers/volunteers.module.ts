import { defineModule } from '../module.ts';
import { volunteerRoutes } from './volunteers.routes.ts';

/** Volunteers and mutual aid (issue 18): volunteers, their tasks, the time bank on the ledger, 睦邻点. */
export const volunteersModule = defineModule({
  name: 'volunteers',
  routes: volunteerRoutes,
});
