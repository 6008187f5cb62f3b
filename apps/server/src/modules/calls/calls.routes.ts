import { callsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as calls from './calls.service.ts';
import * as card from './card.service.ts';

/** Call records, the caller card, categories and the one-step actions from a call. */
export const callRecordRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listCalls, (req) => calls.listCalls(ctx, actorOf(req), req.query));
  registerRoute(app, api.logCall, (req) => calls.logCall(ctx, actorOf(req), req.body));
  registerRoute(app, api.callerCardByElder, (req) => card.cardForElder(ctx, actorOf(req), req.query.elderId));
  registerRoute(app, api.getCall, (req) => calls.getCall(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateCall, (req) => calls.updateCall(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.callerCard, (req) => card.cardForCall(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.orderFromCall, (req) => calls.orderFromCall(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.alarmFromCall, (req) => calls.alarmFromCall(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.complaintFromCall, (req) => calls.complaintFromCall(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.articleForCall, (req) => calls.articleForCall(ctx, actorOf(req), req.params.id, req.body.articleId));
  registerRoute(app, api.listCallCategories, (req) => calls.listCategories(ctx, req.query.includeInactive ?? false));
  registerRoute(app, api.updateCallCategory, (req) => calls.updateCategory(ctx, actorOf(req), req.params.code, req.body));
};
