import { ALARM_TYPE_LABELS_ZH } from '@zhiyang/shared';
import { DEFAULT_BATTERY_LOW_PERCENT } from '../devices/device-types.ts';
import type { Priority } from './alarms.schema.ts';

/**
 * Alarm types, their default priority and the rule defaults. Pure: no database here.
 * P1 life-threatening, P2 urgent, P3 technical / follow-up.
 */
export const ALARM_TYPES = {
  sos: 'P1',
  fall: 'P1',
  smoke: 'P1',
  gas: 'P1',
  vitals_critical: 'P1',
  water_leak: 'P2',
  vitals_warning: 'P2',
  inactivity: 'P2',
  geofence_exit: 'P2',
  night_bed_exit: 'P2',
  /** Raised by a call-centre agent from a call (P1 or P2 as the agent judges). */
  call_report: 'P2',
  /** Raised by staff from a finding of a care visit (关爱巡访). */
  visit_finding: 'P2',
  /** Raised by the patrols' close job to the institution's duty staff: checkpoints missed or late. */
  patrol_missed: 'P3',
  inactivity_warning: 'P3',
  sos_cancelled: 'P3',
  device_offline: 'P3',
  devices_offline_mass: 'P3',
  battery_low: 'P3',
  not_worn: 'P3',
  no_monthly_test: 'P3',
  tamper: 'P3',
} as const satisfies Record<string, Priority>;
export type AlarmType = keyof typeof ALARM_TYPES;

/** Chinese names for texts sent to families (SMS bodies), as the console shows them. */
export const ALARM_TYPE_ZH: Record<AlarmType, string> = ALARM_TYPE_LABELS_ZH;
export const ALARM_TYPE_LIST = Object.keys(ALARM_TYPES) as AlarmType[];

/** Event types that raise an alarm of the same name at once. */
export const IMMEDIATE: Record<string, AlarmType> = {
  sos: 'sos',
  fall: 'fall',
  smoke: 'smoke',
  gas: 'gas',
  water_leak: 'water_leak',
  tamper: 'tamper',
};

/**
 * Device event types that raise or change an alarm the moment they are stored: the IMMEDIATE ones
 * and the SOS cancel (it turns the open SOS into a call-back). The gateway stores these on its
 * alarm lane, ahead of any backlog (docs/decisions/0010-alarm-priority-lane.md). Vitals and
 * locations stay in the routine batches: their alarms need a series of readings or a distance.
 */
export const ALARM_LANE_EVENT_TYPES: ReadonlySet<string> = new Set([...Object.keys(IMMEDIATE), 'sos_cancel']);

/**
 * Spot readings from a meter (血压计, 血糖仪): the elder measures on purpose, so one reading beyond
 * a bound decides (the `consecutive` rule is for continuous sensors, whose single readings are noisy).
 */
export const METER_EVENT_TYPES: ReadonlySet<string> = new Set(['blood_pressure', 'blood_glucose']);

export interface Range {
  warnLow?: number;
  warnHigh?: number;
  critLow?: number;
  critHigh?: number;
}
export type VitalSign = 'heartRate' | 'respRate' | 'spo2' | 'temperature' | 'systolic' | 'diastolic' | 'glucose';

export interface SafetyRules {
  /** Alarm types switched off for this elder (e.g. geofence for a bed-bound elder). */
  disabled: AlarmType[];
  sosCancelSeconds: number;
  vitals: { consecutive: number; ranges: Record<VitalSign, Range> };
  inactivity: { warnHours: number; alarmHours: number; wakeFrom: number; wakeTo: number };
  geofence: { radiusM: number; lat?: number; lng?: number };
  nightBedExit: { from: number; to: number; minutes: number };
  batteryLowPercent: number;
  notWornDays: number[];
}

export const DEFAULT_RULES: SafetyRules = {
  disabled: [],
  sosCancelSeconds: 30,
  vitals: {
    consecutive: 3,
    ranges: {
      heartRate: { warnLow: 50, warnHigh: 110, critLow: 40, critHigh: 130 },
      respRate: { warnLow: 10, warnHigh: 24, critLow: 8, critHigh: 30 },
      spo2: { warnLow: 92, critLow: 88 },
      temperature: { warnLow: 35.5, warnHigh: 37.8, critLow: 35, critHigh: 39.5 },
      systolic: { warnLow: 95, warnHigh: 160, critLow: 85, critHigh: 180 },
      diastolic: { warnHigh: 100, critHigh: 115 },
      // mmol/L: below 3.9 is hypoglycaemia, below 2.8 severe; above 16.7 the risk of a hyperglycaemic crisis.
      glucose: { warnLow: 3.9, warnHigh: 16.7, critLow: 2.8, critHigh: 22.2 },
    },
  },
  inactivity: { warnHours: 8, alarmHours: 12, wakeFrom: 7, wakeTo: 22 },
  geofence: { radiusM: 1000 },
  nightBedExit: { from: 22, to: 6, minutes: 20 },
  batteryLowPercent: DEFAULT_BATTERY_LOW_PERCENT,
  notWornDays: [3, 5, 7],
};

/** Defaults with an elder's overrides merged over them (one level deep for the nested groups). */
export function mergeRules(overrides: Partial<Record<keyof SafetyRules, unknown>> | null | undefined): SafetyRules {
  if (!overrides) return DEFAULT_RULES;
  const o = overrides as Partial<SafetyRules>;
  return {
    ...DEFAULT_RULES,
    ...o,
    vitals: {
      consecutive: o.vitals?.consecutive ?? DEFAULT_RULES.vitals.consecutive,
      // Per sign and per bound: overriding one bound (heart rate above 100) keeps the others.
      ranges: Object.fromEntries(
        Object.entries(DEFAULT_RULES.vitals.ranges).map(([sign, r]) => [
          sign,
          { ...r, ...(o.vitals?.ranges?.[sign as VitalSign] ?? {}) },
        ]),
      ) as Record<VitalSign, Range>,
    },
    inactivity: { ...DEFAULT_RULES.inactivity, ...(o.inactivity ?? {}) },
    geofence: { ...DEFAULT_RULES.geofence, ...(o.geofence ?? {}) },
    nightBedExit: { ...DEFAULT_RULES.nightBedExit, ...(o.nightBedExit ?? {}) },
  };
}

/**
 * Contradictions in the rules in effect (each with the override path to fix), e.g. a warning
 * after the alarm or a warning band outside the critical one. Empty when consistent.
 */
export function inconsistencies(r: SafetyRules): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (r.inactivity.warnHours >= r.inactivity.alarmHours)
    out.push({ path: 'body.inactivity.warnHours', message: `must be less than the alarm after ${r.inactivity.alarmHours} h` });
  if (r.inactivity.wakeFrom === r.inactivity.wakeTo)
    out.push({ path: 'body.inactivity.wakeTo', message: 'the waking window must not start and end at the same hour' });
  if (r.nightBedExit.from === r.nightBedExit.to)
    out.push({ path: 'body.nightBedExit.to', message: 'the night window must not start and end at the same hour' });
  if ((r.geofence.lat === undefined) !== (r.geofence.lng === undefined))
    out.push({
      path: `body.geofence.${r.geofence.lat === undefined ? 'lat' : 'lng'}`,
      message: 'give both latitude and longitude, or neither',
    });
  for (const [sign, x] of Object.entries(r.vitals.ranges)) {
    const at = (b: string) => `body.vitals.ranges.${sign}.${b}`;
    if (x.warnLow !== undefined && x.warnHigh !== undefined && x.warnLow >= x.warnHigh)
      out.push({ path: at('warnHigh'), message: `must be above the low warning ${x.warnLow}` });
    if (x.critLow !== undefined && x.warnLow !== undefined && x.critLow > x.warnLow)
      out.push({ path: at('critLow'), message: `must not be above the low warning ${x.warnLow}` });
    if (x.critHigh !== undefined && x.warnHigh !== undefined && x.critHigh < x.warnHigh)
      out.push({ path: at('critHigh'), message: `must not be below the high warning ${x.warnHigh}` });
  }
  return out;
}

export type VitalsLevel = 'ok' | 'warning' | 'critical';

/** Classify one vitals reading; returns the worst level and which signs were out of range. */
export function classifyVitals(data: Record<string, unknown>, rules: SafetyRules): { level: VitalsLevel; signs: string[] } {
  let level: VitalsLevel = 'ok';
  const signs: string[] = [];
  for (const [sign, r] of Object.entries(rules.vitals.ranges)) {
    const v = data[sign];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const crit = (r.critLow !== undefined && v < r.critLow) || (r.critHigh !== undefined && v > r.critHigh);
    const warn = (r.warnLow !== undefined && v < r.warnLow) || (r.warnHigh !== undefined && v > r.warnHigh);
    if (crit) {
      level = 'critical';
      signs.push(sign);
    } else if (warn) {
      if (level === 'ok') level = 'warning';
      signs.push(sign);
    }
  }
  return { level, signs };
}

/** The lower of several levels: an alarm needs N consecutive readings at least at that level. */
export function sustainedLevel(levels: VitalsLevel[]): VitalsLevel {
  if (levels.some((l) => l === 'ok')) return 'ok';
  return levels.every((l) => l === 'critical') ? 'critical' : 'warning';
}

/** Great-circle distance in metres (WGS-84 sphere approximation, good to ~0.5 %). */
export function distanceM(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Hour of day (0–23) in China Standard Time, where the district's rules are written. */
export function localHour(at: Date): number {
  return (at.getUTCHours() + 8) % 24;
}

/** Is `hour` inside [from, to) on a 24 h clock, where the window may wrap past midnight? */
export function inWindow(hour: number, from: number, to: number): boolean {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

export function priorityOf(type: AlarmType): Priority {
  return ALARM_TYPES[type];
}
