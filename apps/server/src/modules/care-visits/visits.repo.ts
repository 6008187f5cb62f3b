import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { scopeOf } from './care-visits.repo.ts';

const and = (parts: Array<SQL | undefined | false>) => {
  const list = parts.filter((p): p is SQL => Boolean(p));
  return list.length ? sql.join(list, sql` AND `) : sql`true`;
};

export interface VisitRow {
  id: string;
  plan_id: string | null;
  elder_id: string;
  elder_name: string;
  /** The elder's sealed address (elders.private.ts). */
  elder_private: string;
  elder_lat: number | null;
  elder_lng: number | null;
  region_code: string;
  region_name: string | null;
  groups: string[];
  risk_level: 'high' | 'medium' | 'low' | null;
  assignee_id: string | null;
  assignee_name: string | null;
  due_on: string;
  status: 'scheduled' | 'done' | 'cancelled';
  escalated_at: Date | null;
  escalated_to: string | null;
  outcome: 'met' | 'not_home' | null;
  visited_at: Date | null;
  visited_by: string | null;
  visited_by_name: string | null;
  check_in_method: 'gps' | 'qr' | null;
  check_in_distance_m: number | null;
  form: Record<string, unknown> | null;
  notes: string | null;
  client_key: string | null;
  findings: number;
  is_demo: boolean;
}

const visitSelect = sql`
  SELECT v.id, v.plan_id, v.elder_id, e.name AS elder_name, ${privateBox('e')} AS elder_private, e.lat AS elder_lat, e.lng AS elder_lng,
    v.region_code, r.name AS region_name,
    coalesce((SELECT array_agg(DISTINCT m.group_code) FROM care_group_members m WHERE m.elder_id = v.elder_id), '{}') AS groups,
    p.risk_level, v.assignee_id, ua.display_name AS assignee_name, to_char(v.due_on, 'YYYY-MM-DD') AS due_on, v.status,
    v.escalated_at, v.escalated_to, v.outcome, v.visited_at, v.visited_by, ub.display_name AS visited_by_name,
    v.check_in_method, v.check_in_distance_m, v.form, v.notes, v.client_key, v.is_demo,
    (SELECT count(*) FROM care_visit_findings f WHERE f.visit_id = v.id)::int AS findings
  FROM care_visits v
  JOIN elders e ON e.id = v.elder_id
  LEFT JOIN regions r ON r.code = v.region_code
  LEFT JOIN care_visit_plans p ON p.id = v.plan_id
  LEFT JOIN users ua ON ua.id = v.assignee_id
  LEFT JOIN users ub ON ub.id = v.visited_by`;

export interface VisitFilter {
  assignee?: string;
  from?: string;
  to?: string;
  status?: 'scheduled' | 'done' | 'cancelled';
  overdue?: boolean;
  escalated?: boolean;
  elderId?: string;
  regionCode?: string;
}

/**
 * Which visits the actor reaches: staff by region; a volunteer only the visits assigned to them or
 * recorded by them (so only those elders), whatever their community.
 */
export function visitScope(actor: Actor, alias = sql`v`, regionCode?: string) {
  if (actor.role === 'volunteer')
    return and([
      sql`(${alias}.assignee_id = ${actor.id ?? null}::uuid OR ${alias}.visited_by = ${actor.id ?? null}::uuid)`,
      regionCode ? sql`${alias}.region_code LIKE ${`${escapeLike(regionCode)}%`}` : undefined,
    ]);
  return scopeOf(actor, sql`${alias}.region_code`, regionCode);
}

function visitWhere(actor: Actor, f: VisitFilter, today: string) {
  // A calendar shows a scheduled visit on its due date and a recorded one on the day it was made.
  const day = sql`coalesce((v.visited_at AT TIME ZONE 'Asia/Shanghai')::date, v.due_on)`;
  return and([
    visitScope(actor, sql`v`, f.regionCode),
    f.assignee ? sql`(v.assignee_id = ${f.assignee} OR v.visited_by = ${f.assignee})` : undefined,
    f.from ? sql`${day} >= ${f.from}::date` : undefined,
    f.to ? sql`${day} <= ${f.to}::date` : undefined,
    f.status ? sql`v.status = ${f.status}` : undefined,
    f.overdue === true ? sql`v.status = 'scheduled' AND v.due_on < ${today}::date` : undefined,
    f.overdue === false ? sql`NOT (v.status = 'scheduled' AND v.due_on < ${today}::date)` : undefined,
    f.escalated === true ? sql`v.escalated_at IS NOT NULL AND v.status = 'scheduled'` : undefined,
    f.escalated === false ? sql`v.escalated_at IS NULL` : undefined,
    f.elderId ? sql`v.elder_id = ${f.elderId}` : undefined,
  ]);
}

export async function listVisits(db: DbOrTx, actor: Actor, f: VisitFilter, today: string, limit: number, offset: number) {
  return queryRows<VisitRow>(
    db,
    sql`${visitSelect} WHERE ${visitWhere(actor, f, today)}
      ORDER BY coalesce((v.visited_at AT TIME ZONE 'Asia/Shanghai')::date, v.due_on) ${f.status === 'done' || f.elderId ? sql`DESC` : sql`ASC`},
        v.visited_at DESC NULLS LAST, e.name, v.id
      LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countVisits(db: DbOrTx, actor: Actor, f: VisitFilter, today: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM care_visits v WHERE ${visitWhere(actor, f, today)}`,
  );
  return r.n;
}

export async function findVisit(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<VisitRow>(db, sql`${visitSelect} WHERE v.id = ${id} AND ${visitScope(actor)}`);
  return r;
}

export async function findVisitByKey(db: DbOrTx, visitedBy: string, key: string) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM care_visits WHERE visited_by = ${visitedBy} AND client_key = ${key}`,
  );
  return r;
}

export async function markVisited(
  tx: DbOrTx,
  id: string,
  v: {
    outcome: 'met' | 'not_home';
    method: 'gps' | 'qr';
    lat: number | null;
    lng: number | null;
    distanceM: number | null;
    form: unknown;
    notes: string | null;
    visitedBy: string;
    visitedAt: Date;
    clientKey: string | null;
  },
) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE care_visits SET status = 'done', outcome = ${v.outcome}, check_in_method = ${v.method}, check_in_lat = ${v.lat},
        check_in_lng = ${v.lng}, check_in_distance_m = ${v.distanceM}, form = ${v.form === null ? null : JSON.stringify(v.form)}::jsonb,
        notes = ${v.notes}, visited_by = ${v.visitedBy}, visited_at = ${v.visitedAt.toISOString()}, client_key = ${v.clientKey}
      WHERE id = ${id} AND status = 'scheduled' RETURNING id`,
  );
  return rows.length > 0;
}

export async function insertFindings(
  tx: DbOrTx,
  rows: Array<{
    visitId: string;
    elderId: string;
    regionCode: string;
    type: string;
    severity: string;
    detail: string | null;
    at: Date;
    isDemo: boolean;
  }>,
) {
  for (const f of rows)
    await tx.execute(sql`INSERT INTO care_visit_findings (visit_id, elder_id, region_code, type, severity, detail, found_at, is_demo)
      VALUES (${f.visitId}, ${f.elderId}, ${f.regionCode}, ${f.type}, ${f.severity}, ${f.detail}, ${f.at.toISOString()}, ${f.isDemo})`);
}

export async function insertPhoto(
  tx: DbOrTx,
  p: { visitId: string; sha256: string; mime: string; dataEnc: string; bytes: number; by: string | null },
) {
  await tx.execute(sql`INSERT INTO care_visit_photos (visit_id, sha256, mime, data_enc, bytes, created_by)
    VALUES (${p.visitId}, ${p.sha256}, ${p.mime}, ${p.dataEnc}, ${p.bytes}, ${p.by}) ON CONFLICT (visit_id, sha256) DO NOTHING`);
}

export async function photosOf(db: DbOrTx, visitId: string) {
  return queryRows<{ id: string; mime: string; data_enc: string }>(
    db,
    sql`SELECT id, mime, data_enc FROM care_visit_photos WHERE visit_id = ${visitId} ORDER BY created_at, id`,
  );
}

export interface FindingRow {
  id: string;
  visit_id: string;
  elder_id: string;
  region_code: string;
  type: string;
  severity: 'concern' | 'urgent';
  detail: string | null;
  found_at: Date;
  is_demo: boolean;
}

export async function findingsOf(db: DbOrTx, visitId: string) {
  return queryRows<FindingRow>(
    db,
    sql`SELECT * FROM care_visit_findings WHERE visit_id = ${visitId} ORDER BY severity DESC, type`,
  );
}

export async function findFinding(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<FindingRow>(
    db,
    sql`SELECT * FROM care_visit_findings f WHERE f.id = ${id} AND ${
      actor.role === 'volunteer'
        ? sql`EXISTS (SELECT 1 FROM care_visits fv WHERE fv.id = f.visit_id AND ${visitScope(actor, sql`fv`)})`
        : scopeOf(actor, sql`f.region_code`)
    }`,
  );
  return r;
}

export async function insertVisit(
  tx: DbOrTx,
  v: { planId: string | null; elderId: string; regionCode: string; assigneeId: string | null; dueOn: string; isDemo: boolean },
) {
  const [moved] = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE care_visits SET due_on = ${v.dueOn}, assignee_id = coalesce(${v.assigneeId}::uuid, assignee_id),
        escalated_at = NULL, escalated_to = NULL
      WHERE elder_id = ${v.elderId} AND status = 'scheduled' RETURNING id`,
  );
  if (moved) return moved.id;
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO care_visits (plan_id, elder_id, region_code, assignee_id, due_on, is_demo)
      VALUES (${v.planId}, ${v.elderId}, ${v.regionCode}, ${v.assigneeId}, ${v.dueOn}, ${v.isDemo}) RETURNING id`,
  );
  return r.id;
}

/** An elder's recorded visits before `before`, newest first, with their findings (the 360° timeline). */
export async function visitsOfElder(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return queryRows<{ id: string; at: Date; outcome: 'met' | 'not_home'; by: string | null; findings: string[] | null }>(
    db,
    sql`SELECT v.id, v.visited_at AS at, v.outcome, u.display_name AS by,
        (SELECT array_agg(f.type ORDER BY f.severity = 'urgent' DESC, f.type) FROM care_visit_findings f WHERE f.visit_id = v.id) AS findings
      FROM care_visits v LEFT JOIN users u ON u.id = v.visited_by
      WHERE v.elder_id = ${elderId} AND v.status = 'done' AND v.visited_at < ${before.toISOString()}
      ORDER BY v.visited_at DESC, v.id LIMIT ${limit}`,
  );
}
