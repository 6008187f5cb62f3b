import type { SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { countAuditEntry } from '../../lib/audit-guard.ts';
import { type AuditSearch, auditRowInsert, insertAuditRow, insertAuditRows, searchAuditLog } from './audit.repo.ts';

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
 * `recordAudit` for a read made outside any transaction (a search, a record opened): the answer
 * waits until its row is committed, as with `recordAudit`, but the rows of reads that arrive
 * while one insert is under way go in together in the next (group commit), so a busy list costs
 * one insert per batch of readers instead of one per request.
 */
export async function recordReadAudit(db: Db, e: AuditEntry): Promise<void> {
  let batch = readBatches.get(db);
  if (!batch) {
    batch = new ReadAuditBatch(db);
    readBatches.set(db, batch);
  }
  await batch.add({ ...auditRow(e), targetId: e.targetId ?? null });
  countAuditEntry(e.action);
}

type AuditInsert = Parameters<typeof insertAuditRows>[1][number];

/** Rows of one insert at most (11 parameters each). */
const READ_BATCH_MAX = 500;

class ReadAuditBatch {
  private queue: Array<{ row: AuditInsert; done: (err?: unknown) => void }> = [];
  private writing = false;
  constructor(private readonly db: Db) {}

  add(row: AuditInsert): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, done: (err) => (err === undefined ? resolve() : reject(err)) });
      // The first row waits one turn of the event loop (setImmediate: after the requests that
      // arrived with it have run up to here), else on PGlite, whose insert finishes without
      // yielding to the network, every batch would hold one row.
      if (!this.writing) {
        this.writing = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, READ_BATCH_MAX);
        try {
          await insertAuditRows(
            this.db,
            batch.map((b) => b.row),
          );
          for (const b of batch) b.done();
        } catch (err) {
          for (const b of batch) b.done(err ?? new Error('audit insert failed'));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

const readBatches = new WeakMap<Db, ReadAuditBatch>();

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
