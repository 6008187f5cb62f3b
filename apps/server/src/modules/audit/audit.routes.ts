import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoInstant } from '../../lib/dates.ts';
import { searchAudit, verifyAuditChain } from './audit.service.ts';

const rowSchema = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  regionCode: z.string().nullable(),
  ip: z.string().nullable(),
  outcome: z.string(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit trail (newest first, cursor pagination)',
        querystring: z.object({
          actor: z.string().max(64).optional(),
          action: z.string().max(64).optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(100).optional(),
          from: isoInstant('filter').optional(),
          to: isoInstant('filter').optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.coerce.number().int().min(1).optional(),
        }),
        response: { 200: z.object({ items: z.array(rowSchema), nextCursor: z.string().optional() }) },
      },
    },
    async (req) => {
      const { limit, ...q } = req.query;
      return searchAudit(ctx.db, actorOf(req), q, limit);
    },
  );

  app.get(
    '/audit-log/verify',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Walk the hash chain and report the first broken link',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number(),
            brokenAt: z.object({ id: z.number(), reason: z.enum(['prev_hash', 'hash']) }).optional(),
          }),
        },
      },
    },
    async () => verifyAuditChain(ctx.db),
  );
};
