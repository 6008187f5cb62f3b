import { z } from 'zod';
import { isoInstant } from './dates.ts';
import { route } from './route.ts';

/** One entry of the audit trail (审计日志). */
export const auditEntry = z.object({
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
export type AuditRow = z.output<typeof auditEntry>;

/**
 * The chain check: how many entries were walked, up to which id the chain is sealed, the rows not
 * sealed yet (`stale`: older than the sealing delay, a problem) and the first broken link, if any:
 * `hash` (content or position changed), `prev_hash` (link), `missing` (a row or chain entry
 * deleted), `unexpected` (a row where none may be).
 */
export const auditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number(),
  sealedThrough: z.number(),
  unsealed: z.object({ count: z.number(), stale: z.number(), oldestAt: z.string().nullable(), delayMs: z.number() }),
  brokenAt: z.object({ id: z.number(), reason: z.enum(['prev_hash', 'hash', 'missing', 'unexpected']) }).optional(),
});
export type AuditVerifyResult = z.output<typeof auditVerifyResult>;

const tags = ['audit'];

/** Reading the audit trail and checking its hash chain. */
export const auditContract = {
  searchAudit: route({
    method: 'GET',
    path: '/audit-log',
    permission: 'audit:read',
    tags,
    summary: 'Search the audit trail (newest first, cursor pagination)',
    query: z.object({
      actor: z.string().max(64).optional(),
      action: z.string().max(64).optional(),
      targetType: z.string().max(64).optional(),
      targetId: z.string().max(100).optional(),
      from: isoInstant('filter').optional(),
      to: isoInstant('filter').optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.coerce.number().int().min(1).optional(),
    }),
    response: z.object({ items: z.array(auditEntry), nextCursor: z.string().optional() }),
  }),
  verifyChain: route({
    method: 'GET',
    path: '/audit-log/verify',
    permission: 'audit:read',
    tags,
    summary: 'Walk the hash chain, report the first broken link and the rows not sealed in time',
    response: auditVerifyResult,
  }),
};
