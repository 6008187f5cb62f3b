import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { cstMonthRange } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { neighbourhoodPoints, volunteerRelatives, volunteers, volunteerTasks } from './volunteers.schema.ts';

const like = (prefix: string) => `${escapeLike(prefix)}%`;
const and = (parts: Array<SQL | undefined | false>) => {
  const list = parts.filter((p): p is SQL => Boolean(p));
  return list.length ? sql.join(list, sql` AND `) : sql`true`;
};
const scopeOf = (actor: Actor, column: SQL, regionCode?: string) =>
  and([regionScope(column, actor) ?? sql`true`, regionCode ? sql`${column} LIKE ${like(regionCode)}` : undefined]);

// ---------------------------------------------------------------------------------------------
// Volunteers

export interface VolunteerRow {
  id: string;
  user_id: string;
  username: string;
  name: string;
  phone_masked: string;
  id_number_masked: string | null;
  region_code: string;
  region_name: string | null;
  status: 'pending' | 'approved' | 'disabled';
  source: 'self' | 'staff';
  kind: 'resident' | 'younger_elder' | 'student' | 'other';
  skills: string[];
  availability: Array<{ weekday: number; start: string; end: string }>;
  self_elder_id: string | null;
  self_elder_name: string | null;
  note: string | null;
  review_note: string | null;
  reviewed_at: Date | null;
  created_at: Date;
  balance: string | null;
  tasks_done: number;
}

const volunteerSelect = sql`
  SELECT v.id, v.user_id, u.username, v.name, v.phone_masked, v.id_number_masked, v.region_code, r.name AS region_name,
    v.status, v.source, v.kind, v.skills, v.availability, v.self_elder_id, se.name AS self_elder_name, v.note,
    v.review_note, v.reviewed_at, v.created_at, a.balance,
    (SELECT count(*)::int FROM volunteer_tasks t WHERE t.volunteer_id = v.id AND t.status = 'confirmed') AS tasks_done
  FROM volunteers v
  JOIN users u ON u.id = v.user_id
  LEFT JOIN regions r ON r.code = v.region_code
  LEFT JOIN elders se ON se.id = v.self_elder_id
  LEFT JOIN ledger_accounts a ON a.kind = 'volunteer' AND a.currency = 'minutes' AND a.owner_id = v.id`;

export interface VolunteerFilter {
  status?: string;
  skill?: string;
  weekday?: number;
  regionCode?: string;
  q?: string;
}
const volunteerWhere = (actor: Actor, f: VolunteerFilter) =>
  and([
    scopeOf(actor, sql`v.region_code`, f.regionCode),
    f.status ? sql`v.status = ${f.status}` : undefined,
    f.skill ? sql`${f.skill} = ANY (v.skills)` : undefined,
    f.weekday ? sql`v.availability @> ${JSON.stringify([{ weekday: f.weekday }])}::jsonb` : undefined,
    f.q ? sql`v.name LIKE ${`%${escapeLike(f.q)}%`}` : undefined,
  ]);

export function listVolunteers(db: DbOrTx, actor: Actor, f: VolunteerFilter, limit: number, offset: number) {
  return queryRows<VolunteerRow>(
    db,
    sql`${volunteerSelect} WHERE ${volunteerWhere(actor, f)}
      ORDER BY (v.status = 'pending') DESC, v.created_at DESC, v.id LIMIT ${limit} OFFSET ${offset}`,
  );
}
export async function countVolunteers(db: DbOrTx, actor: Actor, f: VolunteerFilter) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM volunteers v WHERE ${volunteerWhere(actor, f)}`,
  );
  return r.n;
}
/** A volunteer in the actor's reach (region staff by region; the volunteer themself by account). */
export async function findVolunteer(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<VolunteerRow>(
    db,
    sql`${volunteerSelect} WHERE v.id = ${id} AND (${scopeOf(actor, sql`v.region_code`)} OR v.user_id = ${actor.id}::uuid)`,
  );
  return r;
}
export async function findVolunteerOfUser(db: DbOrTx, userId: string) {
  const [r] = await queryRows<VolunteerRow>(db, sql`${volunteerSelect} WHERE v.user_id = ${userId}`);
  return r;
}
export async function phoneTaken(db: DbOrTx, phoneIndex: string) {
  return (await queryRows(db, sql`SELECT 1 FROM volunteers WHERE phone_index = ${phoneIndex}`)).length > 0;
}
export async function idNumberTaken(db: DbOrTx, index: string) {
  return (await queryRows(db, sql`SELECT 1 FROM volunteers WHERE id_number_index = ${index}`)).length > 0;
}
export async function insertVolunteer(db: DbOrTx, v: typeof volunteers.$inferInsert) {
  return (await db.insert(volunteers).values(v).returning({ id: volunteers.id }))[0];
}
export async function updateVolunteer(db: DbOrTx, id: string, patch: Partial<typeof volunteers.$inferInsert>) {
  if (!Object.keys(patch).length) return;
  await db.update(volunteers).set(patch).where(sql`${volunteers.id} = ${id}`);
}
export function relativesOf(db: DbOrTx, volunteerId: string) {
  return queryRows<{ elder_id: string; elder_name: string; relation: string; region_code: string }>(
    db,
    sql`SELECT vr.elder_id, e.name AS elder_name, vr.relation, e.region_code
      FROM volunteer_relatives vr JOIN elders e ON e.id = vr.elder_id
      WHERE vr.volunteer_id = ${volunteerId} ORDER BY vr.created_at, e.name`,
  );
}
export async function replaceRelatives(
  db: DbOrTx,
  volunteerId: string,
  list: Array<{ elderId: string; relation: string }>,
  by: string | null,
) {
  await db.delete(volunteerRelatives).where(sql`${volunteerRelatives.volunteerId} = ${volunteerId}`);
  if (list.length)
    await db
      .insert(volunteerRelatives)
      .values(list.map((r) => ({ volunteerId, elderId: r.elderId, relation: r.relation, createdBy: by })));
}
/** Elders among `ids` the actor may see (for relatives and the own-archive link). */
export async function visibleElders(db: DbOrTx, actor: Actor, ids: string[]) {
  if (!ids.length) return [];
  return queryRows<{ id: string; name: string; region_code: string }>(
    db,
    sql`SELECT elders.id, elders.name, elders.region_code FROM elders WHERE elders.id IN ${ids} AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
}
export async function findElderBrief(db: DbOrTx, id: string) {
  const [r] = await queryRows<{ id: string; name: string; region_code: string; status: string }>(
    db,
    sql`SELECT id, name, region_code, status FROM elders WHERE id = ${id}`,
  );
  return r;
}
export function communities(db: DbOrTx) {
  return queryRows<{ code: string; name: string; street_name: string | null }>(
    db,
    sql`SELECT c.code, c.name, s.name AS street_name FROM regions c LEFT JOIN regions s ON s.code = c.parent_code
      WHERE c.level = 'community' ORDER BY c.code LIMIT 2000`,
  );
}
export async function communityExists(db: DbOrTx, code: string) {
  return (await queryRows(db, sql`SELECT 1 FROM regions WHERE code = ${code} AND level = 'community'`)).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Tasks

export interface TaskRow {
  id: string;
  region_code: string;
  elder_id: string;
  elder_name: string;
  /** The elder's sealed address (elders.private.ts). */
  elder_private: string | null;
  elder_lat: number | null;
  elder_lng: number | null;
  kind: 'call' | 'visit' | 'shopping' | 'hospital';
  notes: string | null;
  scheduled_on: string;
  planned_minutes: number;
  status: 'open' | 'assigned' | 'accepted' | 'checked_in' | 'done' | 'confirmed' | 'cancelled';
  source: 'staff' | 'redemption' | 'care_visit' | 'care_visit_record';
  redemption_id: string | null;
  volunteer_id: string | null;
  volunteer_name: string | null;
  volunteer_user_id: string | null;
  volunteer_region_code: string | null;
  checked_in_at: Date | null;
  check_in_method: 'gps' | 'qr' | 'call' | null;
  check_in_distance_m: number | null;
  done_at: Date | null;
  reported_minutes: number | null;
  done_note: string | null;
  confirmed_minutes: number | null;
  credited_minutes: number | null;
  confirmed_at: Date | null;
  cancel_reason: string | null;
  created_at: Date;
  served_verdict: 'confirmed' | 'disputed' | null;
  served_verdict_at: Date | null;
  served_note: string | null;
}
const taskSelect = sql`
  SELECT t.id, t.region_code, t.elder_id, e.name AS elder_name, ${privateBox('e')} AS elder_private, e.lat AS elder_lat,
    e.lng AS elder_lng, t.kind, t.notes, t.scheduled_on::text AS scheduled_on, t.planned_minutes, t.status, t.source,
    t.redemption_id, t.volunteer_id, v.name AS volunteer_name, v.user_id AS volunteer_user_id,
    v.region_code AS volunteer_region_code, t.checked_in_at, t.check_in_method, t.check_in_distance_m, t.done_at,
    t.reported_minutes, t.done_note, t.confirmed_minutes, t.credited_minutes, t.confirmed_at, t.cancel_reason, t.created_at,
    t.served_verdict, t.served_verdict_at, t.served_note
  FROM volunteer_tasks t
  JOIN elders e ON e.id = t.elder_id
  LEFT JOIN volunteers v ON v.id = t.volunteer_id`;

export interface TaskFilter {
  status?: string;
  kind?: string;
  volunteerId?: string;
  from?: string;
  to?: string;
  confirmedMonth?: string;
  regionCode?: string;
}
const confirmedIn = (month: string) => {
  const [start, end] = cstMonthRange(month);
  return sql`t.confirmed_at >= ${start.toISOString()} AND t.confirmed_at < ${end.toISOString()}`;
};
const taskWhere = (actor: Actor, f: TaskFilter) =>
  and([
    scopeOf(actor, sql`t.region_code`, f.regionCode),
    f.status ? sql`t.status = ${f.status}` : undefined,
    f.kind ? sql`t.kind = ${f.kind}` : undefined,
    f.volunteerId ? sql`t.volunteer_id = ${f.volunteerId}` : undefined,
    f.from ? sql`t.scheduled_on >= ${f.from}` : undefined,
    f.to ? sql`t.scheduled_on <= ${f.to}` : undefined,
    f.confirmedMonth ? confirmedIn(f.confirmedMonth) : undefined,
  ]);
export function listTasks(db: DbOrTx, actor: Actor, f: TaskFilter, limit: number, offset: number) {
  return queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE ${taskWhere(actor, f)}
      ORDER BY (t.status = 'done') DESC, t.scheduled_on DESC, t.created_at DESC, t.id LIMIT ${limit} OFFSET ${offset}`,
  );
}
export async function countTasks(db: DbOrTx, actor: Actor, f: TaskFilter) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM volunteer_tasks t WHERE ${taskWhere(actor, f)}`,
  );
  return r.n;
}
/** A task in the staff actor's region reach; `lock` takes the row lock (confirmation, cancellation). */
export async function findTask(db: DbOrTx, actor: Actor, id: string, lock = false) {
  if (lock) {
    const locked = await queryRows(db, sql`SELECT id FROM volunteer_tasks WHERE id = ${id} FOR UPDATE`);
    if (!locked.length) return undefined;
  }
  const [r] = await queryRows<TaskRow>(db, sql`${taskSelect} WHERE t.id = ${id} AND ${scopeOf(actor, sql`t.region_code`)}`);
  return r;
}
/** A task assigned to this volunteer (by account). */
export async function findOwnTask(db: DbOrTx, userId: string, id: string, lock = false) {
  if (lock) await queryRows(db, sql`SELECT id FROM volunteer_tasks WHERE id = ${id} FOR UPDATE`);
  const [r] = await queryRows<TaskRow>(db, sql`${taskSelect} WHERE t.id = ${id} AND v.user_id = ${userId}`);
  return r;
}
export function ownTasks(db: DbOrTx, volunteerId: string, since: string) {
  return queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE t.volunteer_id = ${volunteerId}
      AND (t.status IN ('assigned', 'accepted', 'checked_in') OR (t.status IN ('done', 'confirmed') AND t.scheduled_on >= ${since}))
      ORDER BY (t.status IN ('assigned', 'accepted', 'checked_in')) DESC, t.scheduled_on, t.created_at LIMIT 200`,
  );
}
/**
 * Tasks done for the elder an elder or family account is bound to (users.elder_id): finished ones
 * waiting for confirmation and those of the last days, newest first.
 */
export function servedTasks(db: DbOrTx, userId: string, since: string) {
  return queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE t.elder_id = (SELECT u.elder_id FROM users u WHERE u.id = ${userId})
      AND t.volunteer_id IS NOT NULL
      AND (t.status = 'done' OR (t.status = 'confirmed' AND t.scheduled_on >= ${since}))
      ORDER BY (t.status = 'done') DESC, t.scheduled_on DESC, t.created_at DESC LIMIT 50`,
  );
}
/** One task done for the account's bound elder (locked when asked), or undefined. */
export async function findServedTask(db: DbOrTx, userId: string, id: string, lock = false) {
  if (lock) await queryRows(db, sql`SELECT id FROM volunteer_tasks WHERE id = ${id} FOR UPDATE`);
  const [r] = await queryRows<TaskRow>(
    db,
    sql`${taskSelect} WHERE t.id = ${id} AND t.elder_id = (SELECT u.elder_id FROM users u WHERE u.id = ${userId})`,
  );
  return r;
}
export async function insertTask(db: DbOrTx, t: typeof volunteerTasks.$inferInsert) {
  return (await db.insert(volunteerTasks).values(t).returning({ id: volunteerTasks.id }))[0];
}
/**
 * Give back a volunteer's tasks not started yet (assigned or accepted): open again, for the
 * community to assign to someone else. A task checked in or done stays as it is.
 */
export async function releaseTasksOf(db: DbOrTx, volunteerId: string): Promise<string[]> {
  const rows = await db
    .update(volunteerTasks)
    .set({ status: 'open', volunteerId: null, assignedAt: null, acceptedAt: null })
    .where(sql`${volunteerTasks.volunteerId} = ${volunteerId} AND ${volunteerTasks.status} IN ('assigned', 'accepted')`)
    .returning({ id: volunteerTasks.id });
  return rows.map((r) => r.id);
}

/** Move a task on, only from the given statuses; false when it was not in one of them. */
export async function moveTask(
  db: DbOrTx,
  id: string,
  from: string[],
  set: Partial<typeof volunteerTasks.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(volunteerTasks)
    .set(set)
    .where(sql`${volunteerTasks.id} = ${id} AND ${volunteerTasks.status} IN ${from}`)
    .returning({ id: volunteerTasks.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// 睦邻点

export interface PointRow {
  id: string;
  name: string;
  address: string;
  region_code: string;
  region_name: string | null;
  lat: number | null;
  lng: number | null;
  activities: Array<{ weekday: number; start: string; end: string; title: string }>;
  active: boolean;
}
export function listPoints(db: DbOrTx, where: SQL, limit: number, offset: number) {
  return queryRows<PointRow>(
    db,
    sql`SELECT p.id, p.name, p.address, p.region_code, r.name AS region_name, p.lat, p.lng, p.activities, p.active
      FROM neighbourhood_points p LEFT JOIN regions r ON r.code = p.region_code
      WHERE ${where} ORDER BY p.active DESC, p.region_code, p.name LIMIT ${limit} OFFSET ${offset}`,
  );
}
export async function countPoints(db: DbOrTx, where: SQL) {
  const [r] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM neighbourhood_points p WHERE ${where}`);
  return r.n;
}
export const pointScope = (actor: Actor, regionCode?: string) => scopeOf(actor, sql`p.region_code`, regionCode);
export async function insertPoint(db: DbOrTx, p: typeof neighbourhoodPoints.$inferInsert) {
  return (await db.insert(neighbourhoodPoints).values(p).returning({ id: neighbourhoodPoints.id }))[0];
}
export async function updatePoint(db: DbOrTx, id: string, p: Partial<typeof neighbourhoodPoints.$inferInsert>) {
  await db
    .update(neighbourhoodPoints)
    .set({ ...p, updatedAt: new Date() })
    .where(sql`${neighbourhoodPoints.id} = ${id}`);
}
