import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import type { AppContext } from '../../lib/context.ts';
import { DEVICE_TYPE_INFO, type DeviceType } from '../devices/device-types.ts';
import {
  devicesNotWornSince,
  devicesUntestedThisMonth,
  eldersQuietSince,
  markSilentDevicesOffline,
  pruneDeviceEvents,
} from '../devices/devices.repo.ts';
import { noticeContacts } from '../notifications/notifications.service.ts';
import { findOpenByMergeKey, insertAction, takeEscalation, takeToCentre } from './alarms.repo.ts';
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
    const a = await takeEscalation(tx, data.alarmId, data.level);
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

/**
 * An institution's alarm its duty staff did not take in time goes to the district's alarm centre:
 * the operators see it from now on (it joins their queue as escalated) and a P1 starts the usual
 * escalation ladder. Idempotent: the hand-over is a conditional update.
 */
export async function handToCentre(ctx: AppContext, data: { alarmId: string }) {
  await ctx.db.transaction(async (tx) => {
    const a = await takeToCentre(tx, data.alarmId);
    if (!a) return;
    await insertAction(tx, {
      alarmId: a.id,
      actorName: 'system',
      kind: 'escalated_centre',
      note: 'not taken by the institution in time',
    });
    if (a.priority === 'P1') await scheduleEscalation(ctx, tx, a.id, 1, ctx.config.alarmAckSeconds ?? 60);
    await publishAlarm(ctx, tx, a.id, 'alarm.escalated');
  });
}

/** Devices that missed 3 heartbeats go offline and raise a P3 technical alarm. */
/** Devices of one street going offline in one check at or above this count are an outage. */
export const MASS_OFFLINE_THRESHOLD = 20;

export async function checkOffline(ctx: AppContext) {
  await ctx.db.transaction(async (tx) => {
    const gone = await markSilentDevicesOffline(tx);
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
  const quiet = await eldersQuietSince(ctx.db, new Date(now.getTime() - 3_600_000));
  for (const q of quiet) {
    const rules = await rulesFor(ctx.db, q.elder_id);
    if (!inWindow(localHour(now), rules.inactivity.wakeFrom, rules.inactivity.wakeTo)) continue;
    const hours = (now.getTime() - new Date(q.last).getTime()) / 3_600_000;
    const type: AlarmType | null =
      hours >= rules.inactivity.alarmHours ? 'inactivity' : hours >= rules.inactivity.warnHours ? 'inactivity_warning' : null;
    if (!type || rules.disabled.includes(type)) continue;
    await ctx.db.transaction(async (tx) => {
      const open = await findOpenByMergeKey(tx, `elder:${q.elder_id}:inactivity`);
      if (open?.type === type || open?.type === 'inactivity') return; // already raised at this level
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
  const off = await devicesNotWornSince(ctx.db, new Date(now.getTime() - 3 * 86_400_000));
  for (const d of off) {
    const days = Math.floor((now.getTime() - new Date(d.since).getTime()) / 86_400_000);
    const rules = await rulesFor(ctx.db, d.elder_id);
    const step = [...rules.notWornDays].reverse().find((n) => days >= n);
    if (!step) continue;
    await ctx.db.transaction(async (tx) => {
      const open = await findOpenByMergeKey(tx, `dev:${d.id}:not_worn`);
      if (((open?.data as { days?: number } | undefined)?.days ?? 0) >= step) return;
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
  const missing = await devicesUntestedThisMonth(ctx.db, types, now);
  const month = chinaMonth(now);
  for (const d of missing) {
    await ctx.db.transaction(async (tx) => {
      // Idempotent: a retry or a second worker in the same month must not count the month twice.
      const open = await findOpenByMergeKey(tx, `dev:${d.id}:no_monthly_test`);
      if ((open?.data as { month?: string } | undefined)?.month === month) return;
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
  await ctx.db.transaction((tx) => pruneDeviceEvents(tx, days));
}

export const safetyJobs: JobDefinition[] = [
  defineJob({ name: 'alarm.escalate', handler: (ctx, data) => escalate(ctx, data) }),
  defineJob({ name: 'alarm.to-centre', handler: (ctx, data) => handToCentre(ctx, data) }),
  defineJob({ name: 'safety.bed-exit-check', handler: (ctx, data) => checkBedExit(ctx, data) }),
  { name: 'devices.offline-check', cron: '* * * * *', handler: (ctx) => checkOffline(ctx) },
  { name: 'safety.inactivity-check', cron: '*/10 * * * *', handler: (ctx) => checkInactivity(ctx) },
  { name: 'safety.not-worn-check', cron: '0 9 * * *', handler: (ctx) => checkNotWorn(ctx) },
  { name: 'safety.monthly-test-check', cron: '0 9 25 * *', handler: (ctx) => checkMonthlyTest(ctx) },
  { name: 'devices.retention', cron: '30 3 * * *', handler: (ctx) => applyRetention(ctx) },
];
