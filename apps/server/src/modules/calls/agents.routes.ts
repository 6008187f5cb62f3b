import { ctiContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as agents from './agents.service.ts';

/** Agents, their states, the live view, hotlines and queues: schemas, access and audit from the CTI contract. */
export const agentsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listAgents, (req) => agents.listAgents(ctx, actorOf(req)));
  registerRoute(app, api.registerAgent, (req) => agents.registerAgent(ctx, actorOf(req), req.body));
  registerRoute(app, api.transferTargets, (req) => agents.transferTargets(ctx, actorOf(req)));
  registerRoute(app, api.myAgent, (req) => agents.myAgent(ctx, actorOf(req)));
  registerRoute(app, api.setMyState, (req) => agents.setMyState(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateAgent, (req) => agents.updateAgent(ctx, actorOf(req), req.params.userId, req.body));
  registerRoute(app, api.liveView, (req) => agents.liveView(ctx, actorOf(req)));
  registerRoute(app, api.listHotlines, (req) => agents.listHotlines(ctx, actorOf(req)));
  registerRoute(app, api.createHotline, (req) => agents.createHotline(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateHotline, (req) => agents.updateHotline(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.createQueue, (req) => agents.createQueue(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateQueue, (req) => agents.updateQueue(ctx, actorOf(req), req.params.id, req.body));
};
