import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from './lib/context.ts';
import { assessmentRoutes } from './modules/assessments/assessments.routes.ts';
import { elderRoutes } from './modules/elders/elders.routes.ts';

/**
 * Route modules of the domain issues (elders, service loop, safety loop …), registered under
 * /api/v1 by app.ts. Add a module's routes here: one line per module keeps app.ts stable.
 */
export const routeModules: Array<FastifyPluginAsyncZod<{ ctx: AppContext }>> = [elderRoutes, assessmentRoutes];
