import { auditContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { searchAudit, verifyAuditChain } from './audit.service.ts';

/** The audit trail: schemas and access come from the shared contract. */
export const auditRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.searchAudit, (req) => {
    const { limit, ...q } = req.query;
    return searchAudit(ctx.db, actorOf(req), q, limit);
  });
  registerRoute(app, api.verifyChain, () => verifyAuditChain(ctx.db));
};
