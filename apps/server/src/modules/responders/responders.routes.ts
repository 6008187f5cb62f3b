import { respondersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as service from './responders.service.ts';

/** Responders: schemas, access and audit come from the shared contract. */
export const responderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.nearest, (req) => service.nearestResponders(ctx, actorOf(req), req.query.alarmId, req.query.limit));
  registerRoute(app, api.reportStatus, (req) => service.reportStatus(ctx, actorOf(req), req.body));
  registerRoute(app, api.myTasks, (req) => service.myTasks(ctx, actorOf(req)));
  registerRoute(app, api.updateDispatch, (req) => service.respondToDispatch(ctx, actorOf(req), req.params.id, req.params.status));
};
