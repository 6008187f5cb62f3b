import { and, eq, lt, sql } from 'drizzle-orm';
import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import type { AppContext } from '../../lib/context.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { DEVICE_TYPE_INFO, type DeviceType } from '../devices/device-types.ts';
import { noticeContacts } from '../notifications/notifications.service.ts';
import { insertAction } from './alarms.repo.ts';
import { alarms } from './alarms.schema.ts';
import { checkBedExit, rulesFor } from './event-rules.service.ts';
import { publishAlarm, raiseAlarm, scheduleEscalation } from './raise.service.ts';
import { type AlarmType, inWindow, localHour, priorityOf } from './rules.ts';

/**
 * Escalation of an unacknowledged P1: level 1 (after ALARM_ACK_SECONDS) alerts the supervisors
 * and sounds again on every console; level 2 (ALARM_CONTACTS_SECONDS later) notifies the elder's
 * contacts. Idempotent: each level is taken by a conditional update, so a job run twice or a
 * timer that fires after acknowledgement does nothing.
 */
export async function escalate(ctx: AppContext, data: { alarmId: string; level: number }) {
  await ctx.db.transaction(async (tx) => {
    const [a] = await tx
      .update(alarms)
      .set({ escalationLevel: data.level, escalatedAt: new Date() })
      .where(
        and(
          eq(alarms.id, data.alarmId),
          eq(alarms.status, 'raised'),
          eq(alarms.priority, 'P1'),
          lt(alarms.escalationLevel, data.level),
        ),
      )
      .returning();
    if (!a) return;
    if (data.level === 1) {
      await insertAction(tx, {
        alarmId: a.id,
        actorName: 'system',
        kind: 'escalated_supervisor',
        note: `not acknowledged within ${ctx.config.alarmAckSeconds ?? 60} s`,
      });
      await scheduleEscalation(ctx, tx, a.id, 2, ctx.config.alarmContactsSeconds ?? 300);
      await publishAlarm(ctx, tx, a.id, 'alarm.escalated');
    } else {
      const n = a.elderId
        ? await noticeContacts(ctx, tx, {
            alarmId: a.id,
            elderId: a.elderId,
            regionCode: a.regionCode,
            reason: 'escalation',
            body: '【智养】您的家人触发了紧急告警，服务中心正在处理，请尽快联系老人或前往查看。',
          })
        : 0;
      await insertAction(tx, {
        alarmId: a.id,
        actorName: 'system',
        kind: 'escalated_contacts',
        note: `${n} contact(s) notified`,
      });
      await publishAlarm(ctx, tx, a.id, 'alarm.escalated');
    }
  });
}

/** Devices that missed 3 heartbeats go offline and raise a P3 technical alarm. */
/** Devices of one street going offline in one check at or above this count are an outage. */
export const MASS_OFFLINE_THRESHOLD = 20;

export async function checkOffline(ctx: AppContext) {
  await ctx.db.transaction(async (tx) => {
    const gone = await queryRows<{
      id: string;
      elder_id: string | null;
      region_code: string;
      is_demo: boolean;
      last_seen_at: Date;
    }>(
      tx,
      sql`
      UPDATE devices SET online = false
      WHERE status = 'active' AND online AND last_seen_at < now() - make_interval(secs => heartbeat_seconds * 3)
      RETURNING id, elder_id, region_code, is_demo, last_seen_at`,
    );
    // Many devices dropping in one check is an outage (operator network, power cut, a gateway),
    // not many separate faults: one technical alarm per street with the count keeps the queue
    // usable; the device health board still lists every device.
    const byStreet = new Map<string, typeof gone>();
    for (const d of gone) byStreet.set(d.region_code.slice(0, 9), [...(byStreet.get(d.region_code.slice(0, 9)) ?? []), d]);
    const single: typeof gone = [];
    for (const [street, devices] of byStreet) {
      if (devices.length < MASS_OFFLINE_THRESHOLD) {
        single.push(...devices);
        continue;
      }
      await raiseAlarm(ctx, tx, {
        type: 'devices_offline_mass',
        priority: priorityOf('devices_offline_mass'),
        mergeKey: `region:${street}:devices_offline_mass`,
        elderId: null,
        deviceId: null,
        regionCode: street,
        data: { count: devices.length, deviceIds: devices.slice(0, 50).map((d) => d.id) },
        at: new Date(),
        isDemo: devices.every((d) => d.is_demo),
      });
    }
    for (const d of single) {
      await raiseAlarm(ctx, tx, {
        type: 'device_offline',
        priority: priorityOf('device_offline'),
        mergeKey: `dev:${d.id}:device_offline`,
        elderId: d.elder_id,
        deviceId: d.id,
        regionCode: d.region_code,
        data: { lastSeenAt: new Date(d.last_seen_at).toISOString() },
        at: new Date(),
        isDemo: d.is_demo,
      });
    }
  });
}

/**
 * Inactivity: no door / presence / bed-exit event for X hours while the elder is usually awake
 * warns (P3) before it alarms (P2) — Tunstall's practice. Evaluated only inside the waking window.
 */
export async function checkInactivity(ctx: AppContext, now = new Date()) {
  const quiet = await queryRows<{ elder_id: string; region_code: string; last: Date; is_demo: boolean }>(
    ctx.db,
    sql`
    SELECT d.elder_id, e.region_code, max(d.last_activity_at) AS last, bool_or(d.is_demo) AS is_demo
    FROM devices d JOIN elders e ON e.id = d.elder_id
    WHERE d.status = 'active' AND d.type IN ('door', 'presence', 'bed') AND e.status = 'active' AND d.last_activity_at IS NOT NULL
    GROUP BY d.elder_id, e.region_code
    HAVING max(d.last_activity_at) < ${new Date(now.getTime() - 3_600_000).toISOString()}`,
  );
  for (const q of quiet) {
    const rules = await rulesFor(ctx.db, q.elder_id);
    if (!inWindow(localHour(now), rules.inactivity.wakeFrom, rules.inactivity.wakeTo)) continue;
    const hours = (now.getTime() - new Date(q.last).getTime()) / 3_600_000;
    const type: AlarmType | null =
      hours >= rules.inactivity.alarmHours ? 'inactivity' : hours >= rules.inactivity.warnHours ? 'inactivity_warning' : null;
    if (!type || rules.disabled.includes(type)) continue;
    await ctx.db.transaction(async (tx) => {
      const open = await queryRows<{ type: string }>(
        tx,
        sql`SELECT type FROM alarms WHERE merge_key = ${`elder:${q.elder_id}:inactivity`} AND open`,
      );
      if (open[0]?.type === type || open[0]?.type === 'inactivity') return; // already raised at this level
      await raiseAlarm(ctx, tx, {
        type,
        priority: priorityOf(type),
        mergeKey: `elder:${q.elder_id}:inactivity`,
        elderId: q.elder_id,
        deviceId: null,
        regionCode: q.region_code,
        data: { lastActivityAt: new Date(q.last).toISOString(), hours: Math.round(hours * 10) / 10 },
        at: now,
        isDemo: q.is_demo,
      });
    });
  }
}

/** Daily: wearables not worn for 3 / 5 / 7 days (one open alarm, its data says how long). */
export async function checkNotWorn(ctx: AppContext, now = new Date()) {
  const off = await queryRows<{ id: string; elder_id: string | null; region_code: string; since: Date; is_demo: boolean }>(
    ctx.db,
    sql`SELECT id, elder_id, region_code, worn_changed_at AS since, is_demo FROM devices
        WHERE status = 'active' AND worn IS FALSE AND worn_changed_at < ${new Date(now.getTime() - 3 * 86_400_000).toISOString()}`,
  );
  for (const d of off) {
    const days = Math.floor((now.getTime() - new Date(d.since).getTime()) / 86_400_000);
    const rules = await rulesFor(ctx.db, d.elder_id);
    const step = [...rules.notWornDays].reverse().find((n) => days >= n);
    if (!step) continue;
    await ctx.db.transaction(async (tx) => {
      const open = await queryRows<{ data: { days?: number } }>(
        tx,
        sql`SELECT data FROM alarms WHERE merge_key = ${`dev:${d.id}:not_worn`} AND open`,
      );
      if ((open[0]?.data.days ?? 0) >= step) return;
      await raiseAlarm(ctx, tx, {
        type: 'not_worn',
        priority: 'P3',
        mergeKey: `dev:${d.id}:not_worn`,
        elderId: d.elder_id,
        deviceId: d.id,
        regionCode: d.region_code,
        data: { days: step },
        at: now,
        isDemo: d.is_demo,
      });
    });
  }
}

/** Monthly (run on the 25th): devices with a test button that were not test-pressed this month. */
export async function checkMonthlyTest(ctx: AppContext, now = new Date()) {
  const types = (Object.keys(DEVICE_TYPE_INFO) as DeviceType[]).filter((t) => DEVICE_TYPE_INFO[t].monthlyTest);
  const missing = await queryRows<{ id: string; elder_id: string | null; region_code: string; is_demo: boolean }>(
    ctx.db,
    sql`SELECT id, elder_id, region_code, is_demo FROM devices
        WHERE status = 'active' AND type IN (${sql.join(
          types.map((t) => sql`${t}`),
          sql`, `,
        )})
          AND (last_test_at IS NULL OR last_test_at < date_trunc('month', ${now.toISOString()}::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`,
  );
  const month = chinaMonth(now);
  for (const d of missing) {
    await ctx.db.transaction(async (tx) => {
      // Idempotent: a retry or a second worker in the same month must not count the month twice.
      const open = await queryRows<{ data: { month?: string } }>(
        tx,
        sql`SELECT data FROM alarms WHERE merge_key = ${`dev:${d.id}:no_monthly_test`} AND open`,
      );
      if (open[0]?.data.month === month) return;
      const rules = await rulesFor(tx, d.elder_id);
      if (rules.disabled.includes('no_monthly_test')) return;
      await raiseAlarm(ctx, tx, {
        type: 'no_monthly_test',
        priority: 'P3',
        mergeKey: `dev:${d.id}:no_monthly_test`,
        elderId: d.elder_id,
        deviceId: d.id,
        regionCode: d.region_code,
        data: { month },
        at: now,
        isDemo: d.is_demo,
      });
    });
  }
}

/** The calendar month (YYYY-MM) in China time, the month the test press is counted in. */
function chinaMonth(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** Retention: raw events older than the window go; heartbeats older than 7 days are rolled up per day. */
export async function applyRetention(ctx: AppContext) {
  const days = ctx.config.deviceEventRetentionDays ?? 180;
  await ctx.db.transaction(async (tx) => {
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
  });
}

export const safetyJobs: JobDefinition[] = [
  defineJob({ name: 'alarm.escalate', handler: (ctx, data) => escalate(ctx, data) }),
  defineJob({ name: 'safety.bed-exit-check', handler: (ctx, data) => checkBedExit(ctx, data) }),
  { name: 'devices.offline-check', cron: '* * * * *', handler: (ctx) => checkOffline(ctx) },
  { name: 'safety.inactivity-check', cron: '*/10 * * * *', handler: (ctx) => checkInactivity(ctx) },
  { name: 'safety.not-worn-check', cron: '0 9 * * *', handler: (ctx) => checkNotWorn(ctx) },
  { name: 'safety.monthly-test-check', cron: '0 9 25 * *', handler: (ctx) => checkMonthlyTest(ctx) },
  { name: 'devices.retention', cron: '30 3 * * *', handler: (ctx) => applyRetention(ctx) },
];
