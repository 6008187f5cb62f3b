import { riskRadarContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as radar from './risk-radar.service.ts';

/** Risk radar 风险雷达: schemas, access and audit come from the shared contract. */
export const riskRadarRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listRadar, (req) => radar.listRadar(ctx, actorOf(req), req.query));
  registerRoute(app, api.getElderRisk, (req) => radar.getElderRisk(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.planFromRadar, (req) => radar.plan(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listTasks, (req) => radar.listTasks(ctx, actorOf(req), req.query));
  registerRoute(app, api.completeTask, (req) => radar.completeTask(ctx, actorOf(req), req.params.id, req.body.note));
  registerRoute(app, api.getSettings, (req) => radar.getSettings(ctx, actorOf(req), req.query.districtCode));
  registerRoute(app, api.setSettings, (req) => radar.setSettings(ctx, actorOf(req), req.body));
  registerRoute(app, api.runScoring, (req) => radar.runDaily(ctx, actorOf(req)));
};
