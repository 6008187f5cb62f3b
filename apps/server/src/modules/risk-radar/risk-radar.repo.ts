import type { RadarLevel, RiskSignalPart } from '@zhiyang/shared';
import { desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { riskRuns, riskSettings, riskTasks } from './risk-radar.schema.ts';

/** The radar's reads and writes other than the scoring itself (scoring.repo.ts): SQL only. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const LEVEL_RANK = sql.raw(`ARRAY['low', 'watch', 'high', 'top']`);

/** A task is open until marked done; one backed by a care visit also ends when the visit is recorded or cancelled. */
const TASK_OPEN = sql.raw(`t.done_at IS NULL AND (cv.id IS NULL OR cv.status = 'scheduled')`);

export const latestRunDay = async (db: DbOrTx, before?: string) =>
  (
    await queryRows<{ day: string | null }>(
      db,
      sql`SELECT max(day)::text AS day FROM risk_runs ${before ? sql`WHERE day < ${before}::date` : sql``}`,
    )
  )[0]?.day ?? null;

export const recordRun = (db: DbOrTx, r: { day: string; scored: number; top: number; tasksOpened: number; ms: number }) =>
  db
    .insert(riskRuns)
    .values(r)
    .onConflictDoUpdate({ target: riskRuns.day, set: { ...r, finishedAt: new Date() } });

export interface RadarRow {
  elder_id: string;
  elder_name: string;
  birth_date: string;
  lat: number | null;
  lng: number | null;
  region_code: string;
  region_name: string | null;
  day: string;
  score: number;
  level: RadarLevel;
  prev_level: RadarLevel | null;
  signals: RiskSignalPart[];
  open_tasks: string[];
  computed_at: Date | string;
}

/**
 * The day's radar in the actor's region, ranked by score. `isNew`: the level today is above the
 * one on the previous run's day (or the elder was not on it), at 关注 or higher.
 */
export async function listRadar(
  db: DbOrTx,
  actor: Actor,
  f: { day: string; prevDay: string | null; minLevel: RadarLevel; newOnly: boolean; regionCode?: string },
  limit: number,
  offset: number,
) {
  const isNew = sql`(array_position(${LEVEL_RANK}, r.level) >= 2 AND (p.level IS NULL OR array_position(${LEVEL_RANK}, p.level) < array_position(${LEVEL_RANK}, r.level)))`;
  const where = sql.join(
    [
      sql`r.day = ${f.day}::date`,
      regionScope(sql.raw('r.region_code'), actor),
      f.regionCode ? sql`r.region_code LIKE ${`${escapeLike(f.regionCode)}%`}` : undefined,
      sql`array_position(${LEVEL_RANK}, r.level) >= array_position(${LEVEL_RANK}, ${f.minLevel}::text)`,
      f.newOnly ? isNew : undefined,
    ].filter((x): x is SQL => !!x),
    sql` AND `,
  );
  const from = sql`FROM risk_scores r JOIN elders e ON e.id = r.elder_id
    LEFT JOIN risk_scores p ON p.day = ${f.prevDay}::date AND p.elder_id = r.elder_id`;
  const items = await queryRows<RadarRow>(
    db,
    sql`SELECT r.elder_id, e.name AS elder_name, e.birth_date::text AS birth_date, e.lat, e.lng, r.region_code,
               g.name AS region_name, r.day::text AS day, r.score, r.level, p.level AS prev_level, r.signals, r.computed_at,
               ARRAY(SELECT DISTINCT t.kind FROM risk_tasks t LEFT JOIN care_visits cv ON cv.id = t.care_visit_id
                     WHERE t.elder_id = r.elder_id AND ${TASK_OPEN}) AS open_tasks
        ${from} LEFT JOIN regions g ON g.code = r.region_code
        WHERE ${where}
        ORDER BY r.score DESC, r.elder_id LIMIT ${limit} OFFSET ${offset}`,
  );
  const [c] = await queryRows<{ n: number; fresh: number }>(
    db,
    sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE ${isNew})::int AS fresh ${from} WHERE ${where}`,
  );
  return { items, total: Number(c.n), newCount: Number(c.fresh) };
}

/** The elder (visible to the actor) with the fields the radar's actions need; undefined = 404. */
export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<{ id: string; name: string; region_code: string; care_call_opt_out: boolean }>(
    db,
    sql`SELECT id, name, region_code, care_call_opt_out FROM elders
        WHERE id = ${id}::uuid AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
  return r;
}

export async function elderEntry(db: DbOrTx, elderId: string, day: string, prevDay: string | null) {
  const [r] = await queryRows<RadarRow>(
    db,
    sql`SELECT r.elder_id, e.name AS elder_name, e.birth_date::text AS birth_date, e.lat, e.lng, r.region_code,
               g.name AS region_name, r.day::text AS day, r.score, r.level, p.level AS prev_level, r.signals, r.computed_at,
               ARRAY(SELECT DISTINCT t.kind FROM risk_tasks t LEFT JOIN care_visits cv ON cv.id = t.care_visit_id
                     WHERE t.elder_id = r.elder_id AND ${TASK_OPEN}) AS open_tasks
        FROM risk_scores r JOIN elders e ON e.id = r.elder_id LEFT JOIN regions g ON g.code = r.region_code
        LEFT JOIN risk_scores p ON p.day = ${prevDay}::date AND p.elder_id = r.elder_id
        WHERE r.day = ${day}::date AND r.elder_id = ${elderId}::uuid`,
  );
  return r;
}

export const history = (db: DbOrTx, elderId: string, since: string) =>
  queryRows<{ day: string; score: number; level: RadarLevel }>(
    db,
    sql`SELECT day::text AS day, score, level FROM risk_scores WHERE elder_id = ${elderId}::uuid AND day >= ${since}::date ORDER BY day`,
  );

export type TaskRow = typeof riskTasks.$inferSelect & { elderName: string; regionName: string | null };

const taskSelect = sql`SELECT t.id, t.elder_id AS "elderId", t.region_code AS "regionCode", t.kind, t.entered_on::text AS "enteredOn",
  t.score, t.signals, t.note, t.care_call_task_id AS "careCallTaskId", t.care_visit_id AS "careVisitId", t.created_by AS "createdBy",
  t.created_at AS "createdAt",
  CASE WHEN t.done_at IS NOT NULL THEN t.done_at WHEN cv.status = 'done' THEN cv.visited_at WHEN cv.status = 'cancelled' THEN cv.created_at END AS "doneAt",
  t.done_by AS "doneBy", coalesce(t.done_note, cv.notes) AS "doneNote", e.name AS "elderName", g.name AS "regionName"
  FROM risk_tasks t JOIN elders e ON e.id = t.elder_id LEFT JOIN regions g ON g.code = t.region_code
  LEFT JOIN care_visits cv ON cv.id = t.care_visit_id`;

export async function listTasks(db: DbOrTx, actor: Actor, openOnly: boolean, limit: number, offset: number) {
  const where = sql.join(
    [regionScope(sql.raw('t.region_code'), actor) ?? sql`true`, openOnly ? TASK_OPEN : sql`true`],
    sql` AND `,
  );
  const items = await queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE ${where} ORDER BY (${TASK_OPEN}) DESC, t.created_at DESC, t.id LIMIT ${limit} OFFSET ${offset}`,
  );
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM risk_tasks t LEFT JOIN care_visits cv ON cv.id = t.care_visit_id WHERE ${where}`,
  );
  return { items, total: Number(n) };
}

export async function findTask(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE t.id = ${id}::uuid AND ${regionScope(sql.raw('t.region_code'), actor) ?? sql`true`}`,
  );
  return r;
}

export async function openTaskOf(db: DbOrTx, elderId: string, kind: 'visit' | 'call') {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT t.id FROM risk_tasks t LEFT JOIN care_visits cv ON cv.id = t.care_visit_id
        WHERE t.elder_id = ${elderId}::uuid AND t.kind = ${kind} AND ${TASK_OPEN}
        ORDER BY t.created_at DESC LIMIT 1 FOR UPDATE OF t`,
  );
  return r?.id;
}

export async function insertTask(db: DbOrTx, v: typeof riskTasks.$inferInsert) {
  const [r] = await db.insert(riskTasks).values(v).returning({ id: riskTasks.id });
  return r.id;
}

export const markDone = (db: DbOrTx, id: string, by: string | null, note: string | null) =>
  db.execute(sql`UPDATE risk_tasks SET done_at = now(), done_by = ${by}::uuid, done_note = ${note}
                 WHERE id = ${id}::uuid AND done_at IS NULL`);

export async function settingsRow(db: DbOrTx, districtCode: string) {
  const [r] = await db.select().from(riskSettings).where(eq(riskSettings.districtCode, districtCode));
  return r;
}

export const upsertSettings = (
  db: DbOrTx,
  v: { districtCode: string; weights: Record<string, number>; thresholds: Record<string, number>; updatedBy: string | null },
) =>
  db
    .insert(riskSettings)
    .values({ ...v, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: riskSettings.districtCode,
      set: { weights: v.weights, thresholds: v.thresholds, updatedBy: v.updatedBy, updatedAt: new Date() },
    });

export async function district(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ code: string; name: string }>(
    db,
    sql`SELECT code, name FROM regions WHERE code = ${code} AND level = 'district'`,
  );
  return r;
}

/** The elder an event is about, read back by the record's id (for `{ id, partial: true }` events). */
export async function elderOfRecord(db: DbOrTx, table: 'alarms' | 'service_orders' | 'meal_signals' | 'assessments', id: string) {
  const [r] = await queryRows<{ elder_id: string | null }>(
    db,
    sql`SELECT elder_id FROM ${sql.identifier(table)} WHERE id = ${id}::uuid`,
  );
  return r?.elder_id ?? null;
}

export const recentRuns = (db: DbOrTx) => db.select().from(riskRuns).orderBy(desc(riskRuns.day)).limit(7);

/**
 * Which communities (region codes) these elders live in, with their ids; all active elders'
 * communities when `elderIds` is null (the daily run). For the radar pages' live refresh.
 */
export async function elderRegions(db: DbOrTx, elderIds: string[] | null) {
  return queryRows<{ region_code: string; elder_ids: string[] }>(
    db,
    elderIds
      ? sql`SELECT region_code, array_agg(id::text) AS elder_ids FROM elders
            WHERE id = ANY (${`{${elderIds.filter((id) => UUID.test(id)).join(',')}}`}::uuid[])
            GROUP BY region_code`
      : sql`SELECT DISTINCT region_code, ARRAY[]::text[] AS elder_ids FROM elders WHERE status = 'active'`,
  );
}
