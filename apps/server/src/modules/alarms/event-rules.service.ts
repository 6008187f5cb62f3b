import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import type { AppContext } from '../../lib/context.ts';
import { backInBedAfter, findDevice, vitalsBefore } from '../devices/devices.repo.ts';
import { findElder } from '../elders/elders.repo.ts';
import { findOpenByMergeKey, findRuleOverrides, insertAction, updateAlarm } from './alarms.repo.ts';
import { publishAlarm, raiseAlarm } from './raise.service.ts';
import {
  type AlarmType,
  classifyVitals,
  distanceM,
  IMMEDIATE,
  inWindow,
  localHour,
  METER_EVENT_TYPES,
  mergeRules,
  priorityOf,
  type SafetyRules,
  sustainedLevel,
} from './rules.ts';

/** Per-elder battery thresholds above this are not supported (keeps heartbeats cheap). */
const BATTERY_CHECK_BELOW = 50;

/** What the rules need to know about the device an event came from. */
export interface RuleDevice {
  id: string;
  type: string;
  elderId: string | null;
  regionCode: string;
  isDemo: boolean;
}
export interface RuleEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
  receivedAt: Date;
}

export async function rulesFor(db: DbOrTx, elderId: string | null): Promise<SafetyRules> {
  if (!elderId) return mergeRules(null);
  const o = await findRuleOverrides(db, elderId);
  return mergeRules(o?.rules as never);
}

/**
 * Apply the rules to one newly stored event, inside the transaction that stored it: the alarm
 * exists iff the event does. Returns the alarm id the event raised or merged into, if any.
 */
export async function applyEventRules(ctx: AppContext, tx: DbOrTx, dev: RuleDevice, ev: RuleEvent): Promise<string | null> {
  const raise = async (type: AlarmType, mergeKind: string, data: Record<string, unknown> = {}) => {
    const rules = await rulesFor(tx, dev.elderId);
    if (rules.disabled.includes(type)) return null;
    const r = await raiseAlarm(ctx, tx, {
      type,
      priority: priorityOf(type),
      mergeKey: `dev:${dev.id}:${mergeKind}`,
      elderId: dev.elderId,
      deviceId: dev.id,
      regionCode: dev.regionCode,
      data: { ...data, lastEventId: ev.id },
      at: ev.receivedAt,
      isDemo: dev.isDemo,
    });
    return r.id;
  };

  const immediate = IMMEDIATE[ev.type];
  if (immediate) return raise(immediate, immediate, ev.data);

  switch (ev.type) {
    case 'sos_cancel':
      return cancelSos(ctx, tx, dev, ev);
    case 'vitals':
    case 'blood_pressure':
    case 'blood_glucose':
      return vitalsRule(tx, dev, ev, raise);
    case 'heartbeat':
    case 'battery': {
      const level = ev.type === 'battery' ? ev.data.level : ev.data.battery;
      // Most heartbeats carry a healthy battery: decide without reading the elder's overrides.
      if (typeof level !== 'number' || level >= BATTERY_CHECK_BELOW) return null;
      const rules = await rulesFor(tx, dev.elderId);
      return level < rules.batteryLowPercent ? raise('battery_low', 'battery_low', { level }) : null;
    }
    case 'location':
      return geofenceRule(tx, dev, ev, raise);
    case 'bed': {
      if (ev.data.inBed !== false || !dev.elderId) return null;
      const rules = await rulesFor(tx, dev.elderId);
      if (rules.disabled.includes('night_bed_exit')) return null;
      if (!inWindow(localHour(ev.receivedAt), rules.nightBedExit.from, rules.nightBedExit.to)) return null;
      // Out of bed at night: alarm only if the elder is not back within the window (checked later, durably).
      await sendJob(
        ctx,
        tx,
        'safety.bed-exit-check',
        { deviceId: dev.id, eventId: ev.id, at: ev.receivedAt.toISOString() },
        { startAfter: rules.nightBedExit.minutes * 60 },
      );
      return null;
    }
    default:
      return null;
  }
}

/** A cancel within the window turns the SOS into a lower-priority "cancelled SOS — call back". */
async function cancelSos(ctx: AppContext, tx: DbOrTx, dev: RuleDevice, ev: RuleEvent) {
  const open = await findOpenByMergeKey(tx, `dev:${dev.id}:sos`);
  if (!open) return null;
  const rules = await rulesFor(tx, dev.elderId);
  const within = ev.receivedAt.getTime() - open.raisedAt.getTime() <= rules.sosCancelSeconds * 1000;
  if (within && open.type === 'sos' && open.status === 'raised') {
    await updateAlarm(tx, open.id, { type: 'sos_cancelled', priority: 'P3', cancelledAt: ev.receivedAt });
  }
  await insertAction(tx, {
    alarmId: open.id,
    actorName: dev.id,
    kind: within ? 'sos_cancelled' : 'late_cancel',
    note: within ? null : `cancel pressed after the ${rules.sosCancelSeconds} s window`,
  });
  await publishAlarm(ctx, tx, open.id, 'alarm.updated');
  return open.id;
}

async function vitalsRule(
  tx: DbOrTx,
  dev: RuleDevice,
  ev: RuleEvent,
  raise: (t: AlarmType, k: string, d?: Record<string, unknown>) => Promise<string | null>,
) {
  const rules = await rulesFor(tx, dev.elderId);
  const now = classifyVitals(ev.data, rules);
  if (now.level === 'ok') return null;
  const need = METER_EVENT_TYPES.has(ev.type) ? 1 : Math.max(1, rules.vitals.consecutive);
  const previous = need > 1 ? await vitalsBefore(tx, dev.id, ev.id, need - 1) : [];
  if (previous.length < need - 1) return null;
  const level = sustainedLevel([now.level, ...previous.map((p) => classifyVitals(p.data, rules).level)]);
  if (level === 'ok') return null;
  return raise(level === 'critical' ? 'vitals_critical' : 'vitals_warning', 'vitals', { signs: now.signs, reading: ev.data });
}

async function geofenceRule(
  tx: DbOrTx,
  dev: RuleDevice,
  ev: RuleEvent,
  raise: (t: AlarmType, k: string, d?: Record<string, unknown>) => Promise<string | null>,
) {
  const { lat, lng } = ev.data;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !dev.elderId) return null;
  const rules = await rulesFor(tx, dev.elderId);
  let centre =
    rules.geofence.lat !== undefined && rules.geofence.lng !== undefined
      ? { lat: rules.geofence.lat, lng: rules.geofence.lng }
      : null;
  if (!centre) {
    const e = await findElder(tx, dev.elderId);
    if (e?.lat == null || e.lng == null) return null;
    centre = { lat: e.lat, lng: e.lng };
  }
  const d = distanceM(centre, { lat, lng });
  return d > rules.geofence.radiusM ? raise('geofence_exit', 'geofence_exit', { lat, lng, distanceM: Math.round(d) }) : null;
}

/** Job: the elder left the bed at night; alarm if no `inBed: true` came from the device since. */
export async function checkBedExit(ctx: AppContext, data: { deviceId: string; eventId: number; at: string }) {
  await ctx.db.transaction(async (tx) => {
    if (await backInBedAfter(tx, data.deviceId, data.eventId)) return;
    const d = await findDevice(tx, data.deviceId);
    if (d?.status !== 'active') return;
    // The rule may have been switched off for this elder while the timer was waiting.
    if ((await rulesFor(tx, d.elderId)).disabled.includes('night_bed_exit')) return;
    await raiseAlarm(ctx, tx, {
      type: 'night_bed_exit',
      priority: priorityOf('night_bed_exit'),
      mergeKey: `dev:${d.id}:night_bed_exit`,
      elderId: d.elderId,
      deviceId: d.id,
      regionCode: d.regionCode,
      data: { outOfBedSince: data.at, lastEventId: data.eventId },
      at: new Date(),
      isDemo: d.isDemo,
    });
  });
}
