import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { countAuditEntry } from '../../lib/audit-guard.ts';
import { type AuditSearch, auditRowsAfter, insertAuditRow, lockChainHead, searchAuditLog } from './audit.repo.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends so the chain has exactly one successor per row, across processes. */
const AUDIT_CHAIN_LOCK = 72_002;

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

interface HashedFields {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  regionCode: string | null;
  ip: string | null;
  outcome: string;
  detail: unknown;
}

/** JSON with sorted keys, so a value reads back from jsonb to the same text. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && !(v instanceof Date)) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  return JSON.stringify(v);
}

export function auditRowHash(prevHash: string, f: HashedFields): string {
  const body = canonical([
    prevHash,
    f.at.toISOString(),
    f.actorId,
    f.actorName,
    f.actorRole,
    f.action,
    f.targetType,
    f.targetId,
    f.regionCode,
    f.ip,
    f.outcome,
    f.detail ?? null,
  ]);
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Append one row to the audit trail. Every read of an elder's personal record and every
 * change anywhere goes through here. Pass the transaction of the change so the audit row
 * commits (or rolls back) with it.
 */
export async function recordAudit(dbOrTx: DbOrTx, e: AuditEntry): Promise<void> {
  const run = async (tx: DbOrTx) => {
    const prevHash = (await lockChainHead(tx, AUDIT_CHAIN_LOCK)) ?? GENESIS_HASH;
    // Millisecond precision survives the timestamptz round trip, so the hash can be recomputed.
    const fields: HashedFields = {
      at: new Date(),
      actorId: e.actor?.id ?? null,
      actorName: e.actor?.username ?? null,
      actorRole: e.actor?.role ?? null,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      regionCode: e.regionCode ?? null,
      ip: e.ip ?? e.actor?.ip ?? null,
      outcome: e.outcome ?? 'ok',
      detail: e.detail ?? null,
    };
    await insertAuditRow(tx, {
      ...fields,
      outcome: fields.outcome as 'ok',
      detail: fields.detail as Record<string, unknown> | null,
      prevHash,
      hash: auditRowHash(prevHash, fields),
    });
    countAuditEntry(e.action);
  };
  // A Tx already holds a transaction; a Db needs one so the lock lasts until the insert commits.
  if ('transaction' in dbOrTx && !('rollback' in dbOrTx)) return (dbOrTx as Db).transaction(run);
  return run(dbOrTx);
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

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** First row whose link or content does not match, with the reason. */
  brokenAt?: { id: number; reason: 'prev_hash' | 'hash' };
}

/** Walk the chain from the start; report the first broken link. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await auditRowsAfter(db, lastId, batch);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prevHash !== prev) return { ok: false, checked, brokenAt: { id: r.id, reason: 'prev_hash' } };
      const h = auditRowHash(prev, { ...r, detail: r.detail });
      if (h !== r.hash) return { ok: false, checked, brokenAt: { id: r.id, reason: 'hash' } };
      prev = r.hash;
      lastId = r.id;
      checked++;
    }
  }
}
