import { supervisionContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as supervision from './supervision.service.ts';

/** Supervision 综合监管: schemas, access and audit come from the shared contract. */
export const supervisionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getDashboard, (req) => supervision.getDashboard(ctx, actorOf(req), req.query.regionCode));
};
