import type { SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { countAuditEntry } from '../../lib/audit-guard.ts';
import { type AuditSearch, auditRowInsert, insertAuditRow, searchAuditLog } from './audit.repo.ts';

export { GENESIS_HASH, type VerifyResult, verifyAuditChain } from './audit.chain.ts';

export interface AuditEntry {
  actor: Actor | null;
  /** Dotted verb, e.g. `elder.read`, `user.create`, `auth.login`. */
  action: string;
  targetType?: string;
  targetId?: string;
  regionCode?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  /** What changed or why; never a password, token or full ID number. */
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

/**
 * Append one row to the audit trail. Every read of an elder's personal record and every
 * change anywhere goes through here. Pass the transaction of the change so the audit row
 * commits (or rolls back) with it.
 */
export async function recordAudit(dbOrTx: DbOrTx, e: AuditEntry): Promise<void> {
  // Unchained and without a lock: the sealer (audit.chain.ts) links it into the chain after commit.
  await insertAuditRow(dbOrTx, { ...auditRow(e), targetId: e.targetId ?? null });
  countAuditEntry(e.action);
}

/**
 * `recordAudit` as a step of the statement that makes the change (a data-modifying `WITH`): the
 * entry is written with the row that statement writes, in its round trip, and commits or rolls
 * back with it. `from.source` names that row's step; `from.targetId` and `from.detail` (merged
 * over `e.detail`) are expressions over it, for what only the statement knows (a drawn number).
 */
export function auditStep(e: AuditEntry, from: { source: SQL; targetId: SQL; detail?: SQL }): SQL {
  countAuditEntry(e.action);
  return auditRowInsert(auditRow(e), from);
}

/** The audit row of an entry, but its target id. */
function auditRow(e: AuditEntry) {
  return {
    // Millisecond precision survives the timestamptz round trip, so the hash can be recomputed.
    at: new Date(),
    actorId: e.actor?.id ?? null,
    actorName: e.actor?.username ?? null,
    actorRole: e.actor?.role ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    regionCode: e.regionCode ?? null,
    ip: e.ip ?? e.actor?.ip ?? null,
    outcome: e.outcome ?? 'ok',
    detail: e.detail ?? null,
  };
}

/** One page of the trail the actor may read, newest first, with the cursor of the next page. */
export async function searchAudit(db: Db, actor: Actor, q: AuditSearch, limit: number) {
  const rows = await searchAuditLog(db, actor, q, limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ ...r, at: r.at.toISOString() })),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : undefined,
  };
}
