import type { AlarmKind } from '@zhiyang/shared';
import { and, asc, count, desc, eq, gte, inArray, isNull, like, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { can, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { users } from '../users/users.schema.ts';
import { type AlarmStatus, alarmActions, alarmDispatches, alarms, type Priority, safetyRuleOverrides } from './alarms.schema.ts';
import type { AlarmType } from './rules.ts';
import { kindIs } from './stats.repo.ts';

export interface AlarmIntent {
  type: AlarmType;
  priority: Priority;
  mergeKey: string;
  elderId: string | null;
  deviceId: string | null;
  regionCode: string;
  data?: Record<string, unknown>;
  at: Date;
  isDemo?: boolean;
  /** The institution whose duty staff get the alarm first (a bed-bound device), else null. */
  orgId?: string | null;
}

/**
 * Raise an alarm, or merge into the open one with the same merge key (count + 1). The partial
 * unique index makes this safe under concurrency: two processes never open two alarms for one
 * source. A higher priority arriving (an SOS after a cancelled SOS) upgrades the open alarm.
 */
type DispatchRow = typeof alarmDispatches.$inferSelect;

export async function upsertAlarm(tx: DbOrTx, a: AlarmIntent) {
  const before = await queryRows<{ priority: Priority }>(
    tx,
    sql`SELECT priority FROM alarms WHERE merge_key = ${a.mergeKey} AND open`,
  );
  const r = await queryRows<{
    id: string;
    priority: Priority;
    status: AlarmStatus;
    created: boolean;
    org_id: string | null;
    centre_at: Date | null;
  }>(
    tx,
    sql`
    INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, device_id, region_code, data, last_event_at, raised_at, is_demo, org_id)
    VALUES (${a.type}, ${a.priority}, ${a.priority}, ${a.mergeKey}, ${a.elderId}, ${a.deviceId}, ${a.regionCode},
            ${JSON.stringify(a.data ?? {})}::jsonb, ${a.at.toISOString()}, ${a.at.toISOString()}, ${a.isDemo ?? false},
            ${a.orgId ?? null}::uuid)
    ON CONFLICT (merge_key) WHERE open DO UPDATE SET
      event_count = alarms.event_count + 1,
      last_event_at = GREATEST(alarms.last_event_at, EXCLUDED.last_event_at),
      priority = LEAST(alarms.priority, EXCLUDED.priority),
      type = CASE WHEN EXCLUDED.priority < alarms.priority THEN EXCLUDED.type ELSE alarms.type END,
      cancelled_at = CASE WHEN EXCLUDED.priority < alarms.priority THEN NULL ELSE alarms.cancelled_at END,
      data = alarms.data || EXCLUDED.data,
      updated_at = now()
    RETURNING id, priority, status, (xmax = 0) AS created, org_id, centre_at`,
  );
  return { ...r[0], upgraded: Boolean(before[0] && before[0].priority > a.priority) };
}

/** The presented shape's columns: the alarm with the elder's name and address and who holds it. */
const viewColumns = {
  alarm: alarms,
  elderName: elders.name,
  elderPrivate: privateBox('elders'),
  elderLat: elders.lat,
  elderLng: elders.lng,
  regionName: regions.name,
  holderName: users.displayName,
};

function viewQuery(db: DbOrTx) {
  return db
    .select(viewColumns)
    .from(alarms)
    .leftJoin(elders, eq(elders.id, alarms.elderId))
    .leftJoin(regions, eq(regions.code, alarms.regionCode))
    .leftJoin(users, eq(users.id, alarms.acknowledgedBy));
}
export type AlarmView = Awaited<ReturnType<typeof findAlarmView>> & {};

export async function findAlarmView(db: DbOrTx, id: string, actor?: Actor) {
  const rows = await viewQuery(db)
    .where(and(eq(alarms.id, id), actor ? visible(actor) : undefined))
    .limit(1);
  return rows[0];
}

/**
 * Alarms the actor may see: region staff by region (an institution's alarm once it reached the
 * centre); an institution's staff their institution's; whoever responds to alarms also those
 * dispatched to them.
 */
function visible(actor: Actor): SQL | undefined {
  if (!isRegionScoped(actor) && actor.orgId && can(actor, 'alarm:read') && !can(actor, 'alarm:respond'))
    return eq(alarms.orgId, actor.orgId);
  const region = regionScope(alarms.regionCode, actor);
  const atCentre = sql`(${alarms.orgId} IS NULL OR ${alarms.centreAt} IS NOT NULL)`;
  const byRegion = isRegionScoped(actor) ? (region ? sql`(${region} AND ${atCentre})` : atCentre) : region;
  if (can(actor, 'alarm:respond')) {
    const mine = sql`${alarms.id} IN (SELECT ${alarmDispatches.alarmId} FROM ${alarmDispatches} WHERE ${alarmDispatches.responderId} = ${actor.id})`;
    return byRegion ? sql`(${byRegion} OR ${mine})` : undefined;
  }
  return byRegion;
}

export interface AlarmFilter {
  status?: 'open' | 'closed' | AlarmStatus;
  priority?: Priority;
  type?: string;
  kind?: AlarmKind;
  regionCode?: string;
  /** `none`: nobody took it; otherwise the holder's user id (the route turns `me` into one). */
  holder?: string;
  elderId?: string;
  deviceId?: string;
  from?: Date;
  to?: Date;
}

export async function listAlarms(db: DbOrTx, actor: Actor, f: AlarmFilter, limit: number, offset: number) {
  const where = and(
    visible(actor),
    f.status === 'open'
      ? eq(alarms.open, true)
      : f.status === 'closed'
        ? eq(alarms.open, false)
        : f.status
          ? eq(alarms.status, f.status)
          : undefined,
    f.priority ? eq(alarms.priority, f.priority) : undefined,
    f.type ? eq(alarms.type, f.type) : undefined,
    f.kind ? kindIs(f.kind) : undefined,
    f.regionCode ? like(alarms.regionCode, `${f.regionCode}%`) : undefined,
    f.holder === 'none' ? isNull(alarms.acknowledgedBy) : f.holder ? eq(alarms.acknowledgedBy, f.holder) : undefined,
    f.elderId ? eq(alarms.elderId, f.elderId) : undefined,
    f.deviceId ? eq(alarms.deviceId, f.deviceId) : undefined,
    f.from ? gte(alarms.raisedAt, f.from) : undefined,
    f.to ? lt(alarms.raisedAt, f.to) : undefined,
  );
  // The queue's triage order: priority first (P1, P2 before P3), then the alarms nobody took yet,
  // oldest first, then those in hand; so the first page is the operator's first screen. History
  // lists: newest first. The id breaks ties, so pages never overlap or skip.
  const order =
    f.status === 'open'
      ? [asc(alarms.priority), sql`(${alarms.status} <> 'raised')`, asc(alarms.raisedAt), asc(alarms.id)]
      : [desc(alarms.raisedAt), asc(alarms.id)];
  const [items, [{ total }]] = await Promise.all([
    viewQuery(db)
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(alarms).where(where),
  ]);
  return { items, total };
}

/** Take an alarm: only one operator wins (the row is updated only while still `raised`). */
export async function acknowledge(tx: DbOrTx, id: string, userId: string, at: Date) {
  return (
    await tx
      .update(alarms)
      .set({ status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: userId, updatedAt: at })
      .where(and(eq(alarms.id, id), eq(alarms.status, 'raised')))
      .returning()
  )[0];
}

export async function setStatus(tx: DbOrTx, id: string, from: AlarmStatus[], patch: Partial<typeof alarms.$inferInsert>) {
  return (
    await tx
      .update(alarms)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(alarms.id, id), inArray(alarms.status, from)))
      .returning()
  )[0];
}

export async function insertAction(tx: DbOrTx, a: typeof alarmActions.$inferInsert) {
  return (await tx.insert(alarmActions).values(a).returning())[0];
}

export async function listActions(db: DbOrTx, alarmId: string) {
  return db.select().from(alarmActions).where(eq(alarmActions.alarmId, alarmId)).orderBy(asc(alarmActions.at));
}

export async function listDispatches(db: DbOrTx, alarmId: string) {
  return db
    .select({ d: alarmDispatches, name: users.displayName })
    .from(alarmDispatches)
    .leftJoin(users, eq(users.id, alarmDispatches.responderId))
    .where(eq(alarmDispatches.alarmId, alarmId))
    .orderBy(asc(alarmDispatches.offeredAt));
}

/**
 * Take escalation `level` of a P1 still raised and below that level; the alarm, or undefined when
 * it was acknowledged or escalated meanwhile (so a job run twice does nothing).
 */
export async function takeEscalation(tx: DbOrTx, alarmId: string, level: number) {
  const [a] = await tx
    .update(alarms)
    .set({ escalationLevel: level, escalatedAt: new Date() })
    .where(and(eq(alarms.id, alarmId), eq(alarms.status, 'raised'), eq(alarms.priority, 'P1'), lt(alarms.escalationLevel, level)))
    .returning();
  return a;
}

/** Withdraw the alarm's dispatch offers nobody answered yet. */
export async function withdrawOffers(tx: DbOrTx, alarmId: string) {
  await tx
    .update(alarmDispatches)
    .set({ status: 'withdrawn', updatedAt: new Date() })
    .where(and(eq(alarmDispatches.alarmId, alarmId), inArray(alarmDispatches.status, ['offered'])));
}

/** Has this responder a dispatch for the alarm that was neither declined nor withdrawn? */
export async function hasLiveDispatch(db: DbOrTx, alarmId: string, responderId: string) {
  const found = await db
    .select({ id: alarmDispatches.id })
    .from(alarmDispatches)
    .where(
      and(
        eq(alarmDispatches.alarmId, alarmId),
        eq(alarmDispatches.responderId, responderId),
        notInArray(alarmDispatches.status, ['declined', 'withdrawn']),
      ),
    )
    .limit(1);
  return found.length > 0;
}

export async function insertDispatch(tx: DbOrTx, d: typeof alarmDispatches.$inferInsert) {
  return (await tx.insert(alarmDispatches).values(d).returning())[0];
}

/** A dispatch addressed to this responder. */
export async function findDispatchOf(db: DbOrTx, dispatchId: string, responderId: string) {
  return (
    await db
      .select()
      .from(alarmDispatches)
      .where(and(eq(alarmDispatches.id, dispatchId), eq(alarmDispatches.responderId, responderId)))
      .limit(1)
  )[0];
}

/** Move a dispatch on if it is still in `from`; undefined when it changed meanwhile. */
export async function moveDispatch(
  tx: DbOrTx,
  id: string,
  from: DispatchRow['status'],
  to: DispatchRow['status'],
): Promise<DispatchRow | undefined> {
  return (
    await tx
      .update(alarmDispatches)
      .set({ status: to, updatedAt: new Date() })
      .where(and(eq(alarmDispatches.id, id), eq(alarmDispatches.status, from)))
      .returning()
  )[0];
}

export async function findOpenByMergeKey(db: DbOrTx, mergeKey: string) {
  return (
    await db
      .select()
      .from(alarms)
      .where(and(eq(alarms.mergeKey, mergeKey), eq(alarms.open, true)))
      .limit(1)
  )[0];
}

/** An elder's alarm-rule overrides, if any. */
export async function findRuleOverrides(db: DbOrTx, elderId: string) {
  return (await db.select().from(safetyRuleOverrides).where(eq(safetyRuleOverrides.elderId, elderId)).limit(1))[0];
}

export async function saveRuleOverrides(db: DbOrTx, values: typeof safetyRuleOverrides.$inferInsert) {
  await db.insert(safetyRuleOverrides).values(values).onConflictDoUpdate({ target: safetyRuleOverrides.elderId, set: values });
}

export async function findAlarm(db: DbOrTx, id: string) {
  return (await db.select().from(alarms).where(eq(alarms.id, id)).limit(1))[0];
}

export async function updateAlarm(tx: DbOrTx, id: string, patch: Partial<typeof alarms.$inferInsert>) {
  await tx
    .update(alarms)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(alarms.id, id));
}

/**
 * Where a bed-bound device is (institutions, 0800): its institution and the building, floor, room
 * and bed, or undefined for a device bound to no bed.
 */
export async function bedPlacementOf(db: DbOrTx, deviceId: string) {
  const [p] = await queryRows<{ org_id: string; bed_id: string; building: string; floor: string; room: string; bed: string }>(
    db,
    sql`SELECT bd.org_id, b.id AS bed_id, ib.name AS building, f.name AS floor, r.name AS room, b.label AS bed
      FROM bed_devices bd JOIN beds b ON b.id = bd.bed_id JOIN institution_rooms r ON r.id = b.room_id
      JOIN institution_floors f ON f.id = r.floor_id JOIN institution_buildings ib ON ib.id = f.building_id
      WHERE bd.device_id = ${deviceId}`,
  );
  return p;
}

/**
 * Hand an institution's alarm to the district centre: only while it is still raised (nobody at
 * the institution took it) and not handed yet, so a timer that fires late or twice does nothing.
 */
export async function takeToCentre(tx: DbOrTx, alarmId: string) {
  const [a] = await tx
    .update(alarms)
    .set({ centreAt: new Date(), updatedAt: new Date() })
    .where(and(eq(alarms.id, alarmId), eq(alarms.status, 'raised'), isNull(alarms.centreAt), sql`${alarms.orgId} IS NOT NULL`))
    .returning();
  return a;
}
