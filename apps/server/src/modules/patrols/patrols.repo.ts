import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import type { PatrolShift } from './patrols.schema.ts';

/** All SQL of patrols: routes, checkpoints, runs, scans, hazards and their photos. */

export interface RouteRow {
  id: string;
  org_id: string;
  name: string;
  shifts: PatrolShift[];
  grace_minutes: number;
  active: boolean;
}
export interface CheckpointRow {
  id: string;
  route_id: string;
  seq: number;
  name: string;
  area: string;
  kind: string;
  code: string;
}

export async function insertRoute(
  db: DbOrTx,
  r: { orgId: string; name: string; shifts: PatrolShift[]; graceMinutes: number },
): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO patrol_routes (org_id, name, shifts, grace_minutes)
        VALUES (${r.orgId}, ${r.name}, ${JSON.stringify(r.shifts)}::jsonb, ${r.graceMinutes}) RETURNING id`,
  );
  return row.id;
}

export async function insertCheckpoint(
  db: DbOrTx,
  c: { routeId: string; orgId: string; seq: number; name: string; area: string; kind: string; code: string },
) {
  await db.execute(sql`INSERT INTO patrol_checkpoints (route_id, org_id, seq, name, area, kind, code)
    VALUES (${c.routeId}, ${c.orgId}, ${c.seq}, ${c.name}, ${c.area}, ${c.kind}, ${c.code})`);
}

export async function listRoutes(db: DbOrTx, orgId: string, routeId?: string) {
  const routes = await queryRows<RouteRow>(
    db,
    sql`SELECT id, org_id, name, shifts, grace_minutes, active FROM patrol_routes
        WHERE org_id = ${orgId} ${routeId ? sql`AND id = ${routeId}` : sql``} ORDER BY name`,
  );
  const points = await queryRows<CheckpointRow>(
    db,
    sql`SELECT id, route_id, seq, name, area, kind, code FROM patrol_checkpoints
        WHERE org_id = ${orgId} AND active ORDER BY route_id, seq`,
  );
  return routes.map((r) => ({ ...r, checkpoints: points.filter((p) => p.route_id === r.id) }));
}

/**
 * The runs of every active route's shifts starting on the given China-time days (idempotent: one run
 * per route and start). Runs whose window has already closed are not made.
 */
export async function generateRuns(db: DbOrTx, days: string[], now: Date, routeId?: string) {
  const r = await queryRows<{ n: number }>(
    db,
    sql`WITH made AS (
          INSERT INTO patrol_runs (route_id, org_id, shift, starts_at, due_at, closes_at, checkpoints)
          SELECT r.id, r.org_id, s.name, st.at,
                 st.at + make_interval(mins => s."windowMinutes"),
                 st.at + make_interval(mins => s."windowMinutes" + r.grace_minutes),
                 (SELECT count(*)::int FROM patrol_checkpoints c WHERE c.route_id = r.id AND c.active)
            FROM patrol_routes r
           CROSS JOIN LATERAL jsonb_to_recordset(r.shifts) AS s(name text, start text, "windowMinutes" int)
           CROSS JOIN LATERAL unnest(${sql.raw(`ARRAY[${days.map((d) => `'${d.replace(/[^0-9-]/g, '')}'`).join(',')}]::date[]`)}) AS d(day)
           CROSS JOIN LATERAL (SELECT ((d.day::text || ' ' || s.start)::timestamp AT TIME ZONE 'Asia/Shanghai') AS at) st
           WHERE r.active ${routeId ? sql`AND r.id = ${routeId}` : sql``}
             AND st.at + make_interval(mins => s."windowMinutes" + r.grace_minutes) > ${now.toISOString()}::timestamptz
          ON CONFLICT (route_id, starts_at) DO NOTHING
          RETURNING 1)
        SELECT count(*)::int AS n FROM made`,
  );
  return r[0]?.n ?? 0;
}

export interface RunRow {
  id: string;
  route_id: string;
  route_name: string;
  org_id: string;
  region_code: string;
  shift: string;
  starts_at: Date;
  due_at: Date;
  closes_at: Date;
  status: 'open' | 'complete' | 'late' | 'missed';
  checkpoints: number;
  scanned: number;
  missed: number;
  late: number;
  hazards: number;
}

const runSelect = sql`SELECT p.id, p.route_id, r.name AS route_name, p.org_id, o.region_code, p.shift,
    p.starts_at, p.due_at, p.closes_at, p.status, p.checkpoints, p.missed, p.late,
    (SELECT count(*)::int FROM patrol_scans s WHERE s.run_id = p.id AND s.result <> 'missed') AS scanned,
    (SELECT count(*)::int FROM patrol_scans s WHERE s.run_id = p.id AND s.result = 'hazard') AS hazards
  FROM patrol_runs p JOIN patrol_routes r ON r.id = p.route_id JOIN organizations o ON o.id = p.org_id`;

export async function findRun(db: DbOrTx, id: string) {
  return (await queryRows<RunRow>(db, sql`${runSelect} WHERE p.id = ${id}`))[0];
}

export async function listRuns(db: DbOrTx, orgId: string, f: { from: Date; to: Date; status?: string; limit?: number }) {
  return queryRows<RunRow>(
    db,
    sql`${runSelect} WHERE p.org_id = ${orgId} AND p.starts_at >= ${f.from.toISOString()}::timestamptz
          AND p.starts_at < ${f.to.toISOString()}::timestamptz ${f.status ? sql`AND p.status = ${f.status}` : sql``}
        ORDER BY p.starts_at DESC, r.name LIMIT ${f.limit ?? 500}`,
  );
}

export interface ScanRow {
  checkpoint_id: string;
  result: 'pass' | 'hazard' | 'missed';
  method: 'qr' | 'nfc' | 'typed' | null;
  note: string | null;
  late: boolean;
  scanned_at: Date;
  hazard_id: string | null;
}
export async function scansOf(db: DbOrTx, runId: string) {
  return queryRows<ScanRow>(
    db,
    sql`SELECT s.checkpoint_id, s.result, s.method, s.note, s.late, s.scanned_at,
          (SELECT h.id FROM patrol_hazards h WHERE h.run_id = s.run_id AND h.checkpoint_id = s.checkpoint_id LIMIT 1) AS hazard_id
        FROM patrol_scans s WHERE s.run_id = ${runId}`,
  );
}

export async function checkpointsOfRoute(db: DbOrTx, routeId: string) {
  return queryRows<CheckpointRow>(
    db,
    sql`SELECT id, route_id, seq, name, area, kind, code FROM patrol_checkpoints
        WHERE route_id = ${routeId} AND active ORDER BY seq`,
  );
}

/** Record a scan once per run and checkpoint; false when the checkpoint was already scanned. */
export async function insertScan(
  db: DbOrTx,
  s: {
    runId: string;
    checkpointId: string;
    orgId: string;
    result: 'pass' | 'hazard';
    method: string;
    note: string | null;
    late: boolean;
    at: Date;
    by: string | null;
  },
) {
  const r = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO patrol_scans (run_id, checkpoint_id, org_id, result, method, note, late, scanned_at, scanned_by)
        VALUES (${s.runId}, ${s.checkpointId}, ${s.orgId}, ${s.result}, ${s.method}, ${s.note}, ${s.late},
                ${s.at.toISOString()}::timestamptz, ${s.by})
        ON CONFLICT (run_id, checkpoint_id) DO NOTHING RETURNING id`,
  );
  return r.length > 0;
}

/** Open runs whose window has closed (the close job's work list). */
export async function runsToClose(db: DbOrTx, now: Date) {
  return queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM patrol_runs WHERE status = 'open' AND closes_at <= ${now.toISOString()}::timestamptz
        ORDER BY closes_at LIMIT 1000`,
  );
}

/**
 * Close one run: every active checkpoint nobody scanned gets a `missed` row, and the run its
 * status and counts — by a conditional update, so a second close does nothing (null).
 */
export async function closeRun(db: DbOrTx, runId: string, now: Date) {
  const [run] = await queryRows<{ id: string }>(
    db,
    sql`UPDATE patrol_runs SET status = 'open' WHERE id = ${runId} AND status = 'open' RETURNING id`,
  );
  if (!run) return null;
  const missed = await queryRows<{ name: string; area: string }>(
    db,
    sql`WITH m AS (
          INSERT INTO patrol_scans (run_id, checkpoint_id, org_id, result, scanned_at)
          SELECT p.id, c.id, p.org_id, 'missed', ${now.toISOString()}::timestamptz
            FROM patrol_runs p JOIN patrol_checkpoints c ON c.route_id = p.route_id AND c.active
           WHERE p.id = ${runId}
             AND NOT EXISTS (SELECT 1 FROM patrol_scans s WHERE s.run_id = p.id AND s.checkpoint_id = c.id)
          ON CONFLICT (run_id, checkpoint_id) DO NOTHING
          RETURNING checkpoint_id)
        SELECT c.name, c.area FROM m JOIN patrol_checkpoints c ON c.id = m.checkpoint_id ORDER BY c.seq`,
  );
  const [closed] = await queryRows<{ status: string; missed: number; late: number }>(
    db,
    sql`UPDATE patrol_runs p SET
          missed = ${missed.length},
          late = (SELECT count(*)::int FROM patrol_scans s WHERE s.run_id = p.id AND s.late),
          status = CASE WHEN ${missed.length} > 0 THEN 'missed'
                        WHEN EXISTS (SELECT 1 FROM patrol_scans s WHERE s.run_id = p.id AND s.late) THEN 'late'
                        ELSE 'complete' END,
          closed_at = ${now.toISOString()}::timestamptz
        WHERE p.id = ${runId} RETURNING p.status, p.missed, p.late`,
  );
  return { ...closed, missedPoints: missed };
}

export async function setRunAlarm(db: DbOrTx, runId: string, alarmId: string) {
  await db.execute(sql`UPDATE patrol_runs SET alarm_id = ${alarmId} WHERE id = ${runId}`);
}

// Hazards

export interface HazardRow {
  id: string;
  org_id: string;
  region_code: string;
  run_id: string | null;
  checkpoint_id: string;
  checkpoint_name: string;
  area: string;
  description: string;
  status: 'open' | 'rectified' | 'closed';
  deadline_on: string;
  overdue: boolean;
  owner_id: string | null;
  owner_name: string | null;
  rectify_note: string | null;
  rectified_at: Date | null;
  check_note: string | null;
  checked_at: Date | null;
  reopened: number;
  found_at: Date;
  closed_at: Date | null;
}

const hazardSelect = (today: string) => sql`SELECT h.id, h.org_id, o.region_code, h.run_id, h.checkpoint_id,
    c.name AS checkpoint_name, h.area, h.description, h.status, h.deadline_on::text AS deadline_on,
    (h.status = 'open' AND h.deadline_on < ${today}::date) AS overdue,
    h.owner_id, u.display_name AS owner_name, h.rectify_note, h.rectified_at, h.check_note, h.checked_at,
    h.reopened, h.found_at, h.closed_at
  FROM patrol_hazards h JOIN patrol_checkpoints c ON c.id = h.checkpoint_id JOIN organizations o ON o.id = h.org_id
  LEFT JOIN users u ON u.id = h.owner_id`;

export async function insertHazard(
  db: DbOrTx,
  h: {
    orgId: string;
    runId: string;
    checkpointId: string;
    area: string;
    description: string;
    deadlineOn: string;
    at: Date;
    by: string | null;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO patrol_hazards (org_id, run_id, checkpoint_id, area, description, deadline_on, found_at, found_by)
        VALUES (${h.orgId}, ${h.runId}, ${h.checkpointId}, ${h.area}, ${h.description}, ${h.deadlineOn}::date,
                ${h.at.toISOString()}::timestamptz, ${h.by}) RETURNING id`,
  );
  return r.id;
}

/** A hazard photo: `dataEnc` is its base64 encrypted with the field key, `bytes` its size in clear. */
export async function insertPhoto(
  db: DbOrTx,
  p: { hazardId: string; stage: 'found' | 'rectified'; mime: string; dataEnc: string; bytes: number },
) {
  await db.execute(sql`INSERT INTO patrol_photos (hazard_id, stage, mime, data_enc, bytes)
    VALUES (${p.hazardId}, ${p.stage}, ${p.mime}, ${p.dataEnc}, ${p.bytes})`);
}

/** A hazard's photos: encrypted, or (rows from before 0992) their plain base64 in `data`. */
export async function photosOf(db: DbOrTx, hazardId: string) {
  return queryRows<{ id: string; stage: 'found' | 'rectified'; mime: string; data_enc: string | null; data: string | null }>(
    db,
    sql`SELECT id, stage, mime, data_enc, data FROM patrol_photos WHERE hazard_id = ${hazardId} ORDER BY created_at, id`,
  );
}

/** Hazard photos still stored in clear (written before 0992), locked for the backfill. */
export async function lockPlainPhotos(db: DbOrTx, limit: number) {
  return queryRows<{ id: string; data: string }>(
    db,
    sql`SELECT id, data FROM patrol_photos WHERE data IS NOT NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

/** Replace a hazard photo's plain picture with its encrypted form. */
export async function setPhotoEncrypted(db: DbOrTx, id: string, dataEnc: string) {
  await db.execute(sql`UPDATE patrol_photos SET data_enc = ${dataEnc}, data = NULL WHERE id = ${id}`);
}

export async function findHazard(db: DbOrTx, id: string, today: string) {
  return (await queryRows<HazardRow>(db, sql`${hazardSelect(today)} WHERE h.id = ${id}`))[0];
}

export async function listHazards(db: DbOrTx, orgId: string, today: string, f: { status?: string; overdue?: boolean }) {
  return queryRows<HazardRow>(
    db,
    sql`${hazardSelect(today)} WHERE h.org_id = ${orgId}
          ${f.status ? sql`AND h.status = ${f.status}` : sql``}
          ${f.overdue ? sql`AND h.status = 'open' AND h.deadline_on < ${today}::date` : sql``}
        ORDER BY (h.status = 'closed'), h.deadline_on, h.found_at DESC LIMIT 500`,
  );
}

export async function assignHazard(db: DbOrTx, id: string, deadlineOn: string, ownerId: string | null) {
  await db.execute(sql`UPDATE patrol_hazards SET deadline_on = ${deadlineOn}::date, owner_id = ${ownerId} WHERE id = ${id}`);
}

/** open → rectified; false when the hazard was not open (someone else moved it). */
export async function markRectified(db: DbOrTx, id: string, note: string, by: string | null) {
  const r = await queryRows<{ id: string }>(
    db,
    sql`UPDATE patrol_hazards SET status = 'rectified', rectify_note = ${note}, rectified_at = now(), rectified_by = ${by}
        WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return r.length > 0;
}

/** rectified → closed (passed) or back to open (failed, counted); false when it was not awaiting a re-check. */
export async function markRechecked(db: DbOrTx, id: string, passed: boolean, note: string | null, by: string | null) {
  const r = await queryRows<{ id: string }>(
    db,
    sql`UPDATE patrol_hazards SET
          status = ${passed ? 'closed' : 'open'},
          check_note = ${note}, checked_at = now(), checked_by = ${by},
          reopened = reopened + ${passed ? 0 : 1},
          closed_at = ${passed ? sql`now()` : sql`NULL`}
        WHERE id = ${id} AND status = 'rectified' RETURNING id`,
  );
  return r.length > 0;
}

/** A user of the institution (the owner of a rectification must be one of its staff). */
export async function isStaffOf(db: DbOrTx, userId: string, orgId: string) {
  const r = await queryRows<{ ok: number }>(db, sql`SELECT 1 AS ok FROM users WHERE id = ${userId} AND org_id = ${orgId}`);
  return r.length > 0;
}
