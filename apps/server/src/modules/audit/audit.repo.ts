import { and, asc, desc, eq, gt, gte, ilike, inArray, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { auditLog } from './audit.schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;

/** Take the chain lock (to the end of the transaction) and read the newest row's hash. */
export async function lockChainHead(tx: DbOrTx, lockKey: number): Promise<string | undefined> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${lockKey})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(sql`${auditLog.id} DESC`).limit(1);
  return last?.hash;
}

export async function insertAuditRow(tx: DbOrTx, row: typeof auditLog.$inferInsert) {
  await tx.insert(auditLog).values(row);
}

/** Rows after `afterId`, in chain order. */
export async function auditRowsAfter(db: DbOrTx, afterId: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(limit);
}

/** Successful entries with these actions about one record, before `before`, newest first. */
export async function auditEntriesAbout(
  db: DbOrTx,
  targetType: string,
  targetId: string,
  actions: string[],
  before: Date,
  limit: number,
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.targetType, targetType),
        eq(auditLog.targetId, targetId),
        inArray(auditLog.action, actions),
        eq(auditLog.outcome, 'ok'),
        lt(auditLog.at, before),
      ),
    )
    .orderBy(desc(auditLog.at))
    .limit(limit);
}

export interface AuditSearch {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  /** Rows older than this id (cursor pagination). */
  cursor?: number;
}

/**
 * The trail newest first. A region-scoped reader sees rows of their region and rows with no
 * region (logins etc.) of accounts they manage; a reader with no region sees all.
 */
export async function searchAuditLog(db: DbOrTx, actor: Actor, q: AuditSearch, limit: number): Promise<AuditRow[]> {
  return db
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
    .limit(limit);
}
