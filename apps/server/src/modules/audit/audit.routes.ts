import { and, desc, eq, gte, ilike, lt, lte } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoInstant } from '../../lib/dates.ts';
import { escapeLike, regionScope } from '../../lib/scope.ts';
import { auditLog } from './audit.schema.ts';
import { verifyAuditChain } from './audit.service.ts';

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
      const q = req.query;
      const actor = actorOf(req);
      // A district admin of one district sees rows of that district and rows with no region (logins etc.) of accounts he manages.
      const rows = await ctx.db
        .select()
        .from(auditLog)
        .where(
          and(
            actor.regionCode === null ? undefined : regionScope(auditLog.regionCode, actor),
            q.actor ? eq(auditLog.actorName, q.actor) : undefined,
            q.action ? ilike(auditLog.action, `${escapeLike(q.action)}%`) : undefined,
            q.targetType ? eq(auditLog.targetType, q.targetType) : undefined,
            q.targetId ? eq(auditLog.targetId, q.targetId) : undefined,
            q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
            q.to ? lte(auditLog.at, new Date(q.to)) : undefined,
            q.cursor ? lt(auditLog.id, q.cursor) : undefined,
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      return {
        items: page.map((r) => ({ ...r, at: r.at.toISOString() })),
        nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : undefined,
      };
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
