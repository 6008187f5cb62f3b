import { supervisionContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { getScreen } from './supervision.screen.ts';
import * as supervision from './supervision.service.ts';
import { recomputeSnapshot } from './supervision.snapshots.ts';

/** Supervision 综合监管: schemas, access and audit come from the shared contract. */
export const supervisionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getDashboard, (req) => supervision.getDashboard(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.getScreen, (req) => getScreen(ctx, actorOf(req)));
  registerRoute(app, api.recomputeSnapshot, (req) => recomputeSnapshot(ctx, actorOf(req), req.body.month, req.body.regionCode));
};
