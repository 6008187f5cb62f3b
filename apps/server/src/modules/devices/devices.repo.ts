import { and, asc, count, desc, eq, gt, gte, ilike, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { elders } from '../elders/elders.schema.ts';
import { deviceEvents, devices } from './devices.schema.ts';

export type DeviceRow = typeof devices.$inferSelect;

export interface DeviceFilter {
  q?: string;
  type?: string;
  status?: DeviceRow['status'];
  elderId?: string;
  regionCode?: string;
  online?: boolean;
}

export async function listDevices(db: DbOrTx, actor: Actor, f: DeviceFilter, limit: number, offset: number) {
  const where = and(
    regionScope(devices.regionCode, actor),
    f.q ? or(ilike(devices.id, `%${escapeLike(f.q)}%`), ilike(devices.vendor, `%${escapeLike(f.q)}%`)) : undefined,
    f.type ? eq(devices.type, f.type as DeviceRow['type']) : undefined,
    f.status ? eq(devices.status, f.status) : undefined,
    f.elderId ? eq(devices.elderId, f.elderId) : undefined,
    f.regionCode ? sql`${devices.regionCode} LIKE ${`${escapeLike(f.regionCode)}%`}` : undefined,
    f.online !== undefined ? eq(devices.online, f.online) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db
      .select({ d: devices, elderName: elders.name })
      .from(devices)
      .leftJoin(elders, eq(elders.id, devices.elderId))
      .where(where)
      .orderBy(asc(devices.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(devices).where(where),
  ]);
  return { items, total };
}

export async function findVisibleDevice(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select({ d: devices, elderName: elders.name })
      .from(devices)
      .leftJoin(elders, eq(elders.id, devices.elderId))
      .where(and(eq(devices.id, id), regionScope(devices.regionCode, actor)))
      .limit(1)
  )[0];
}

export async function deviceExists(db: DbOrTx, id: string) {
  return (await db.select({ id: devices.id }).from(devices).where(eq(devices.id, id)).limit(1)).length > 0;
}

/** What a broker's device check needs: the secret's nonce and whether the device is active; undefined for no such device. */
export async function deviceCredentials(db: DbOrTx, id: string) {
  return (
    await db.select({ nonce: devices.secretNonce, status: devices.status }).from(devices).where(eq(devices.id, id)).limit(1)
  )[0];
}

/** Device ids in id order after `after` (the broker resync walks every device in pages). */
export async function deviceIdsAfter(db: DbOrTx, after: string, limit: number) {
  const rows = await db
    .select({ id: devices.id })
    .from(devices)
    .where(gt(devices.id, after))
    .orderBy(asc(devices.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The nonce the device's secret is derived from; undefined for no such device. */
export async function deviceSecretNonce(db: DbOrTx, id: string) {
  return (await db.select({ nonce: devices.secretNonce }).from(devices).where(eq(devices.id, id)).limit(1))[0]?.nonce;
}

/** Active devices that missed three heartbeats go offline; the ones that did. */
export async function markSilentDevicesOffline(tx: DbOrTx) {
  return queryRows<{ id: string; elder_id: string | null; region_code: string; is_demo: boolean; last_seen_at: Date }>(
    tx,
    sql`
      UPDATE devices SET online = false
      WHERE status = 'active' AND online AND last_seen_at < now() - make_interval(secs => heartbeat_seconds * 3)
      RETURNING id, elder_id, region_code, is_demo, last_seen_at`,
  );
}

/** Active elders whose door, presence and bed sensors have reported no activity since `before`. */
export async function eldersQuietSince(db: DbOrTx, before: Date) {
  return queryRows<{ elder_id: string; region_code: string; last: Date; is_demo: boolean }>(
    db,
    sql`
    SELECT d.elder_id, e.region_code, max(d.last_activity_at) AS last, bool_or(d.is_demo) AS is_demo
    FROM devices d JOIN elders e ON e.id = d.elder_id
    WHERE d.status = 'active' AND d.type IN ('door', 'presence', 'bed') AND e.status = 'active' AND d.last_activity_at IS NOT NULL
    GROUP BY d.elder_id, e.region_code
    HAVING max(d.last_activity_at) < ${before.toISOString()}`,
  );
}

/** Active wearables taken off before `before` and not worn since. */
export async function devicesNotWornSince(db: DbOrTx, before: Date) {
  return queryRows<{ id: string; elder_id: string | null; region_code: string; since: Date; is_demo: boolean }>(
    db,
    sql`SELECT id, elder_id, region_code, worn_changed_at AS since, is_demo FROM devices
        WHERE status = 'active' AND worn IS FALSE AND worn_changed_at < ${before.toISOString()}`,
  );
}

/** Active devices of these types not test-pressed in the China-time month of `now`. */
export async function devicesUntestedThisMonth(db: DbOrTx, types: string[], now: Date) {
  return queryRows<{ id: string; elder_id: string | null; region_code: string; is_demo: boolean }>(
    db,
    sql`SELECT id, elder_id, region_code, is_demo FROM devices
        WHERE status = 'active' AND type IN (${sql.join(
          types.map((t) => sql`${t}`),
          sql`, `,
        )})
          AND (last_test_at IS NULL OR last_test_at < date_trunc('month', ${now.toISOString()}::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`,
  );
}

/** Roll heartbeats older than 7 days up per device and day, then drop them and every event older than `days`. */
export async function pruneDeviceEvents(tx: DbOrTx, days: number) {
  await tx.execute(sql`
      INSERT INTO device_heartbeat_days (device_id, day, count)
      SELECT device_id, (received_at AT TIME ZONE 'Asia/Shanghai')::date, count(*)::int FROM device_events
      WHERE type = 'heartbeat' AND alarm_id IS NULL AND received_at < now() - interval '7 days'
      GROUP BY 1, 2
      ON CONFLICT (device_id, day) DO UPDATE SET count = device_heartbeat_days.count + EXCLUDED.count`);
  await tx.execute(
    sql`DELETE FROM device_events WHERE type = 'heartbeat' AND alarm_id IS NULL AND received_at < now() - interval '7 days'`,
  );
  await tx.execute(sql`DELETE FROM device_events WHERE received_at < now() - make_interval(days => ${days})`);
}

/** Active devices in the actor's region, and how many of them are online. */
export async function activeDeviceCounts(db: DbOrTx, actor: Actor) {
  const scope = regionScope(devices.regionCode, actor);
  const [r] = await queryRows<{ total: number; online: number }>(
    db,
    sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE online)::int AS online FROM devices WHERE status = 'active' ${scope ? sql`AND ${scope}` : sql``}`,
  );
  return r;
}

export async function devicesOfElder(db: DbOrTx, elderId: string) {
  return db.select().from(devices).where(eq(devices.elderId, elderId));
}

export async function findDevice(db: DbOrTx, id: string) {
  return (await db.select().from(devices).where(eq(devices.id, id)).limit(1))[0];
}

/** A device's newest events, newest first. */
export async function latestEvents(db: DbOrTx, deviceId: string, limit: number) {
  return db
    .select()
    .from(deviceEvents)
    .where(eq(deviceEvents.deviceId, deviceId))
    .orderBy(desc(deviceEvents.receivedAt))
    .limit(limit);
}

/** The data of a device's vitals readings before event `beforeId`, newest first. */
export async function vitalsBefore(db: DbOrTx, deviceId: string, beforeId: number, limit: number) {
  return db
    .select({ data: deviceEvents.data })
    .from(deviceEvents)
    .where(and(eq(deviceEvents.deviceId, deviceId), eq(deviceEvents.type, 'vitals'), lt(deviceEvents.id, beforeId)))
    .orderBy(desc(deviceEvents.id))
    .limit(limit);
}

/** Did the bed sensor report the elder back in bed after event `afterId`? */
export async function backInBedAfter(db: DbOrTx, deviceId: string, afterId: number) {
  const back = await queryRows(
    db,
    sql`
      SELECT 1 FROM device_events WHERE device_id = ${deviceId} AND type = 'bed' AND id > ${afterId}
        AND (data->>'inBed')::boolean IS TRUE LIMIT 1`,
  );
  return back.length > 0;
}

/**
 * Store a batch of events (rows in device_events' column names); a (device, msgId) already stored
 * is skipped. The ids of the rows written.
 */
export async function insertEvents(tx: DbOrTx, values: Array<Record<string, unknown>>) {
  return queryRows<{ id: string | number; device_id: string; msg_id: string }>(
    tx,
    sql`
      INSERT INTO device_events (device_id, msg_id, type, data, device_ts, received_at, elder_id, region_code, flags, transport)
      SELECT device_id, msg_id, type, coalesce(data, '{}'::jsonb), device_ts, received_at, elder_id, region_code, flags, transport
      FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb) AS x(device_id text, msg_id text, type text, data jsonb,
        device_ts timestamptz, received_at timestamptz, elder_id uuid, region_code text, flags text[], transport text)
      ON CONFLICT (device_id, msg_id) DO NOTHING
      RETURNING id, device_id, msg_id`,
  );
}

export async function linkEventToAlarm(tx: DbOrTx, eventId: number, alarmId: string) {
  await tx.execute(sql`UPDATE device_events SET alarm_id = ${alarmId} WHERE id = ${eventId}`);
}

/** What a batch of events says about one device's health. */
export interface HealthRow {
  id: string;
  at: string;
  type: string;
  battery: number | null;
  rssi: number | null;
  worn: boolean | null;
  test: boolean;
  activity: string | null;
}

/** One UPDATE for the batch: last seen, online, battery, signal, worn state, last test, last activity. */
export async function applyHealth(tx: DbOrTx, rows: HealthRow[]) {
  await tx.execute(sql`
    UPDATE devices d SET
      last_seen_at = GREATEST(coalesce(d.last_seen_at, x.at), x.at),
      online = true,
      last_event_type = x.type,
      battery = coalesce(x.battery, d.battery),
      rssi = coalesce(x.rssi, d.rssi),
      worn_changed_at = CASE WHEN x.worn IS NOT NULL AND x.worn IS DISTINCT FROM d.worn THEN x.at ELSE d.worn_changed_at END,
      worn = coalesce(x.worn, d.worn),
      last_test_at = CASE WHEN x.test THEN x.at ELSE d.last_test_at END,
      last_activity_at = CASE WHEN x.activity IS NOT NULL THEN GREATEST(coalesce(d.last_activity_at, x.activity), x.activity) ELSE d.last_activity_at END
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(id text, at timestamptz, type text, battery integer, rssi integer, worn boolean, test boolean, activity timestamptz)
    WHERE d.id = x.id`);
}

/** The intake's view of several devices, in one query. */
export async function intakeDevices(db: DbOrTx, ids: string[]) {
  return queryRows<{
    id: string;
    type: string;
    elder_id: string | null;
    region_code: string;
    status: 'active' | 'disabled' | 'retired';
    is_demo: boolean;
  }>(
    db,
    sql`SELECT id, type, elder_id, region_code, status, is_demo FROM devices WHERE id IN (${sql.join(
      ids.map((k) => sql`${k}`),
      sql`, `,
    )})`,
  );
}

export async function insertDevice(db: DbOrTx, d: typeof devices.$inferInsert) {
  return (await db.insert(devices).values(d).returning())[0];
}

export async function updateDevice(db: DbOrTx, id: string, patch: Partial<typeof devices.$inferInsert>) {
  return (
    await db
      .update(devices)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(devices.id, id))
      .returning()
  )[0];
}

export interface EventFilter {
  deviceId?: string;
  elderId?: string;
  type?: string;
  flagged?: boolean;
  from?: Date;
  to?: Date;
}

export async function listEvents(db: DbOrTx, actor: Actor, f: EventFilter, limit: number, offset: number) {
  const where = and(
    regionScope(deviceEvents.regionCode, actor),
    f.deviceId ? eq(deviceEvents.deviceId, f.deviceId) : undefined,
    f.elderId ? eq(deviceEvents.elderId, f.elderId) : undefined,
    f.type ? eq(deviceEvents.type, f.type) : undefined,
    f.flagged === true
      ? sql`cardinality(${deviceEvents.flags}) > 0`
      : f.flagged === false
        ? sql`cardinality(${deviceEvents.flags}) = 0`
        : undefined,
    f.from ? gte(deviceEvents.receivedAt, f.from) : undefined,
    f.to ? lt(deviceEvents.receivedAt, f.to) : undefined,
  );
  const items = await db
    .select()
    .from(deviceEvents)
    .where(where)
    .orderBy(desc(deviceEvents.receivedAt), desc(deviceEvents.id))
    .limit(limit)
    .offset(offset);
  return { items };
}

/** Device health per community: totals, offline, low battery, not worn, missing monthly test. */
export async function healthByCommunity(db: DbOrTx, actor: Actor, regionCode: string | undefined, batteryLow: number) {
  const scope = regionScope(devices.regionCode, actor);
  const monthStart = sql`date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`;
  return queryRows<{
    region_code: string;
    name: string | null;
    total: number;
    online: number;
    offline: number;
    low_battery: number;
    not_worn: number;
    missing_test: number;
  }>(
    db,
    sql`
    SELECT devices.region_code, r.name,
      count(*)::int AS total,
      count(*) FILTER (WHERE devices.online)::int AS online,
      count(*) FILTER (WHERE NOT devices.online AND devices.last_seen_at IS NOT NULL)::int AS offline,
      count(*) FILTER (WHERE devices.battery < ${batteryLow})::int AS low_battery,
      count(*) FILTER (WHERE devices.worn IS FALSE AND devices.worn_changed_at < now() - interval '3 days')::int AS not_worn,
      count(*) FILTER (WHERE devices.type IN ('sos_terminal', 'pendant', 'watch', 'smoke', 'gas')
                       AND (devices.last_test_at IS NULL OR devices.last_test_at < ${monthStart}))::int AS missing_test
    FROM devices LEFT JOIN regions r ON r.code = devices.region_code
    WHERE devices.status = 'active' ${scope ? sql`AND ${scope}` : sql``}
      ${regionCode ? sql`AND devices.region_code LIKE ${`${escapeLike(regionCode)}%`}` : sql``}
    GROUP BY devices.region_code, r.name ORDER BY devices.region_code`,
  );
}

/** Devices needing attention in a community (for the health board's drill-down). */
export async function problemDevices(db: DbOrTx, actor: Actor, regionCode: string, batteryLow: number) {
  return db
    .select({ d: devices, elderName: elders.name })
    .from(devices)
    .leftJoin(elders, eq(elders.id, devices.elderId))
    .where(
      and(
        regionScope(devices.regionCode, actor),
        eq(devices.regionCode, regionCode),
        eq(devices.status, 'active'),
        sql`(NOT ${devices.online} OR ${devices.battery} < ${batteryLow} OR ${devices.worn} IS FALSE)`,
      ),
    )
    .orderBy(asc(devices.id))
    .limit(500);
}
