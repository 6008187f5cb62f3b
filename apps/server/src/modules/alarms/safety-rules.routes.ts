import { safetyRulesContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { getSafetyRules, replaceSafetyRules } from './safety-rules.service.ts';

/** Per-elder alarm rules: schemas, access and audit come from the shared contract. */
export const safetyRuleRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getRules, (req) => getSafetyRules(ctx, actorOf(req), req.params.elderId));
  registerRoute(app, api.replaceRules, (req) => replaceSafetyRules(ctx, actorOf(req), req.params.elderId, req.body));
};
