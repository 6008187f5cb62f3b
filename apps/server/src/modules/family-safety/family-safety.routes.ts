import { familySafetyContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { familySafety, listFamilyElders, markFamilyNoticeRead } from './family-safety.service.ts';

/** The family mobile page's API (see the contract): a family account sees only its bound elder. */
export const familySafetyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listElders, (req) => listFamilyElders(ctx, actorOf(req)));
  registerRoute(app, api.safety, (req) => familySafety(ctx, actorOf(req), req.params.elderId));
  registerRoute(app, api.markNoticeRead, async (req, reply) => {
    await markFamilyNoticeRead(ctx, actorOf(req), req.params.id);
    return reply.send();
  });
};
