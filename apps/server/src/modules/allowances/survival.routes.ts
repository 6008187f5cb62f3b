import { allowanceSurvivalContract as api, SURVIVAL_FRAME_MAX_BYTES, SURVIVAL_MAX_FRAMES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import type { ModuleRouteOptions } from '../module.ts';
import * as survival from './survival.service.ts';

/** An answer's JSON body: the frames in base64 (4/3 of their bytes) and room for the rest. */
const ANSWER_BODY = Math.ceil((SURVIVAL_FRAME_MAX_BYTES * 4) / 3) * SURVIVAL_MAX_FRAMES + 64 * 1024;

/** Remote survival verification 生存认证 (docs/allowances.md). */
export const survivalRoutes: FastifyPluginAsyncZod<ModuleRouteOptions> = async (app, { ctx }) => {
  registerRoute(app, api.startMySurvival, (req) => survival.startMine(ctx, actorOf(req)));
  registerRoute(app, api.getMySurvival, (req) => survival.mine(ctx, actorOf(req)));
  registerRoute(app, api.startSurvival, (req) => survival.startStaff(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.answerSurvival, (req) => survival.answer(ctx, actorOf(req), req.params.id, req.body), {
    bodyLimit: ANSWER_BODY,
  });
  registerRoute(app, api.getSurvivalHistory, (req) => survival.history(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.listVisitTasks, (req) => survival.listVisitTasks(ctx, actorOf(req), req.query.status));
  registerRoute(app, api.completeVisitTask, (req) => survival.completeVisitTask(ctx, actorOf(req), req.params.id, req.body.note));
};
