import { and, asc, desc, eq, gt, gte, ilike, inArray, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { jsonbParam, queryRows } from '../../lib/sql-rows.ts';
import { auditLog, auditSeals } from './audit.schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAuditRow(tx: DbOrTx, row: typeof auditLog.$inferInsert) {
  await tx.insert(auditLog).values(row);
}

/**
 * Several rows in one statement whose text never changes (one parameter: the rows as a JSON
 * array), so it is parsed and planned once per connection however many rows it carries. Ids are
 * drawn in the order given, which is the order the sealer chains them.
 */
export async function insertAuditRows(db: DbOrTx, rows: Array<Omit<typeof auditLog.$inferInsert, 'id' | 'prevHash' | 'hash'>>) {
  const json = JSON.stringify(
    rows.map((r) => ({
      at: r.at.toISOString(),
      actorId: r.actorId ?? null,
      actorName: r.actorName ?? null,
      actorRole: r.actorRole ?? null,
      action: r.action,
      targetType: r.targetType ?? null,
      targetId: r.targetId ?? null,
      regionCode: r.regionCode ?? null,
      ip: r.ip ?? null,
      outcome: r.outcome ?? 'ok',
      detail: r.detail ?? null,
    })),
  );
  await db.execute(sql`
    INSERT INTO audit_log (at, actor_id, actor_name, actor_role, action, target_type, target_id, region_code, ip, outcome, detail)
    SELECT (r->>'at')::timestamptz, (r->>'actorId')::uuid, r->>'actorName', r->>'actorRole', r->>'action', r->>'targetType',
      r->>'targetId', r->>'regionCode', r->>'ip', r->>'outcome', NULLIF(r->'detail', 'null'::jsonb)
    FROM jsonb_array_elements(${json}::jsonb) WITH ORDINALITY AS e(r, n)
    ORDER BY n`);
}

/**
 * The insert of one audit row, as a step of another statement's `WITH` list: the row is written
 * once per row of `from.source` (another step), whose columns `from.targetId` and `from.detail`
 * (merged over `row.detail`) may read.
 */
export function auditRowInsert(
  row: Omit<typeof auditLog.$inferInsert, 'targetId' | 'id' | 'prevHash' | 'hash'>,
  from: { source: SQL; targetId: SQL; detail?: SQL },
): SQL {
  return sql`
    INSERT INTO audit_log (at, actor_id, actor_name, actor_role, action, target_type, target_id, region_code, ip, outcome, detail)
    SELECT ${row.at.toISOString()}::timestamptz, ${row.actorId ?? null}::uuid, ${row.actorName ?? null}::text,
      ${row.actorRole ?? null}::text, ${row.action}::text, ${row.targetType ?? null}::text, (${from.targetId})::text,
      ${row.regionCode ?? null}::text, ${row.ip ?? null}::text, ${row.outcome}::text,
      ${from.detail ? sql`COALESCE(${jsonbParam(row.detail)}::jsonb, '{}'::jsonb) || ${from.detail}` : sql`${jsonbParam(row.detail)}::jsonb`}
    FROM ${from.source}`;
}

/** The last number drawn from the audit sequence (0 when none yet). */
export async function lastDrawnId(db: DbOrTx): Promise<number> {
  const [r] = await queryRows<{ last_value: string; is_called: boolean }>(
    db,
    sql`SELECT last_value, is_called FROM audit_log_id_seq`,
  );
  return r.is_called ? Number(r.last_value) : Number(r.last_value) - 1;
}

/** The transactions running now, as a pg_snapshot text (xmin:xmax:xip…). */
export async function currentSnapshot(db: DbOrTx): Promise<string> {
  const [r] = await queryRows<{ snap: string }>(db, sql`SELECT pg_current_snapshot()::text AS snap`);
  return r.snap;
}

/** Whether every transaction that was running at `snap` has ended (committed or rolled back). */
export async function snapshotFinished(db: DbOrTx, snap: string): Promise<boolean> {
  const [r] = await queryRows<{ done: boolean | null }>(
    db,
    sql`SELECT bool_and(pg_visible_in_snapshot(x, pg_current_snapshot())) AS done FROM pg_snapshot_xip(${snap}::pg_snapshot) AS x`,
  );
  return r.done !== false;
}

/**
 * The sealer's lock, to the end of its transaction: waits for it with `block`, else false when
 * another sealer holds it. Writers never take it.
 */
export async function lockSealer(tx: DbOrTx, key: number, block: boolean): Promise<boolean> {
  if (block) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${key})`);
    return true;
  }
  const [r] = await queryRows<{ ok: boolean }>(tx, sql`SELECT pg_try_advisory_xact_lock(${key}) AS ok`);
  return r.ok;
}

/**
 * Where the chain ends: the newest seal, or else the newest row chained before the sealer
 * existed (migration 0005), or nothing.
 */
export async function chainHead(db: DbOrTx): Promise<{ id: number; hash: string } | undefined> {
  const [seal] = await db
    .select({ id: auditSeals.id, hash: auditSeals.hash })
    .from(auditSeals)
    .orderBy(desc(auditSeals.id))
    .limit(1);
  if (seal) return seal;
  const [legacy] = await db
    .select({ id: auditLog.id, hash: auditLog.hash })
    .from(auditLog)
    .where(isNotNull(auditLog.hash))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return legacy?.hash ? { id: legacy.id, hash: legacy.hash } : undefined;
}

/** Rows with after < id <= upTo, in id order. */
export async function auditRowsBetween(db: DbOrTx, after: number, upTo: number): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(gt(auditLog.id, after), lte(auditLog.id, upTo)))
    .orderBy(asc(auditLog.id));
}

export type SealRow = typeof auditSeals.$inferSelect;

/** Seals with after < id <= upTo, in id order. */
export async function sealsBetween(db: DbOrTx, after: number, upTo: number): Promise<SealRow[]> {
  return db
    .select()
    .from(auditSeals)
    .where(and(gt(auditSeals.id, after), lte(auditSeals.id, upTo)))
    .orderBy(asc(auditSeals.id));
}

/**
 * The seals of one sealing pass (up to thousands), as one statement of constant text over a JSON
 * array: the ORM's multi-row insert builds a parameter per column per row, and that building
 * cost more of the web process than the hashing under a steady stream of audited requests.
 */
export async function insertSeals(
  tx: DbOrTx,
  rows: Array<Pick<typeof auditSeals.$inferInsert, 'id' | 'kind' | 'prevHash' | 'hash'>>,
) {
  if (!rows.length) return;
  const json = JSON.stringify(rows.map((r) => [r.id, r.kind, r.prevHash, r.hash]));
  await tx.execute(sql`
    INSERT INTO audit_seals (id, kind, prev_hash, hash)
    SELECT (s->>0)::bigint, s->>1, s->>2, s->>3 FROM jsonb_array_elements(${json}::jsonb) AS s`);
}

/** The highest id in the trail and in the chain (0 when empty). */
export async function trailEnds(db: DbOrTx): Promise<{ lastRow: number; lastSeal: number }> {
  const [r] = await queryRows<{ last_row: string | null; last_seal: string | null }>(
    db,
    sql`SELECT (SELECT max(id) FROM audit_log) AS last_row, (SELECT max(id) FROM audit_seals) AS last_seal`,
  );
  return { lastRow: Number(r.last_row ?? 0), lastSeal: Number(r.last_seal ?? 0) };
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
