import type { AbilityLevelCode, FamilyBedMonitoring } from '@zhiyang/shared';
import { addDays } from '../../lib/dates.ts';

/** Family care beds: the pure rules (eligibility default, the month's requirement, monitoring → alarm rules). */

/** GB/T 42195 levels that may have a bed where the district has set no rule: moderate, severe and total loss. */
export const DEFAULT_ELIGIBLE_LEVELS: AbilityLevelCode[] = ['moderate', 'severe', 'total'];

/** Days of the month (YYYY-MM), first and last day. */
export function monthDays(month: string) {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  const last = addDays(next, -1);
  return { first, last, days: Number(last.slice(8, 10)) };
}

const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);

/** A suspension period: its first and last day (inclusive; null while the bed is still suspended). */
export interface SuspensionDays {
  fromDay: string;
  toDay: string | null;
}

/**
 * What a month asks of a bed: the verified visits required (visits per week over the days the bed
 * was live that month, rounded up) and the subsidy it pays (the monthly amount pro-rated by those
 * days, in whole fen). A bed live the whole of a 30-day month with 2 visits a week needs 9 visits.
 * Days of a suspension period (a hospital stay …) are not live days: a bed suspended 10 days of a
 * 30-day month with 2 a week needs ceil(2 × 20 / 7) = 6 visits and is paid 20/30 of the month.
 * An open period (still suspended) runs to the month's end.
 */
export function monthRequirement(
  month: string,
  bed: { activatedOn: string | null; endedOn: string | null; visitsPerWeek: number; monthlyFen: number },
  suspensions: SuspensionDays[] = [],
) {
  const { first, last, days } = monthDays(month);
  if (!bed.activatedOn) return { activeDays: 0, suspendedDays: 0, required: 0, amountFen: 0 };
  const from = [bed.activatedOn, first].sort()[1]; // the later of two ISO days
  const to = bed.endedOn && bed.endedOn < last ? bed.endedOn : last;
  const liveDays = Math.max(0, dayDiff(from, to) + 1);
  // Suspended days inside the live span (periods of one bed do not overlap; counted as a set anyway).
  const off = new Set<string>();
  for (const p of suspensions) {
    const start = [p.fromDay, from].sort()[1]; // the later day
    const end = p.toDay && p.toDay < to ? p.toDay : to;
    for (let d = start; d <= end; d = addDays(d, 1)) off.add(d);
  }
  const activeDays = liveDays - off.size;
  return {
    activeDays,
    suspendedDays: off.size,
    required: Math.ceil((bed.visitsPerWeek * activeDays) / 7),
    amountFen: Math.round((bed.monthlyFen * activeDays) / days),
  };
}

/** The alarm types each monitoring rule switches on or off. */
const RULE_TYPES = {
  nightBedExit: ['night_bed_exit'],
  inactivity: ['inactivity', 'inactivity_warning'],
  vitals: ['vitals_warning', 'vitals_critical'],
} as const;

type Overrides = Record<string, unknown> & {
  disabled?: string[];
  inactivity?: Record<string, unknown>;
  vitals?: { consecutive?: number; ranges?: Record<string, Record<string, number>> };
};

/**
 * The elder's alarm-rule overrides (alarms' `safety_rule_overrides`) with the bed's monitoring rules
 * written over them: the night window and minutes for bed exit, the inactivity hours, the heart-rate
 * warning band, and the types of a rule switched off added to `disabled` (of one switched on, taken
 * out). The alarm engine then raises the bed's alarms as it raises any elder's.
 */
export function overridesWithMonitoring(existing: Overrides | null | undefined, m: FamilyBedMonitoring): Overrides {
  const o: Overrides = { ...(existing ?? {}) };
  let disabled = new Set(o.disabled ?? []);
  for (const [rule, types] of Object.entries(RULE_TYPES) as Array<[keyof typeof RULE_TYPES, readonly string[]]>) {
    if (m[rule].enabled) disabled = new Set([...disabled].filter((t) => !types.includes(t)));
    else for (const t of types) disabled.add(t);
  }
  o.disabled = [...disabled].sort();
  o.nightBedExit = { from: m.nightBedExit.from, to: m.nightBedExit.to, minutes: m.nightBedExit.minutes };
  o.inactivity = { ...(o.inactivity ?? {}), warnHours: m.inactivity.warnHours, alarmHours: m.inactivity.alarmHours };
  const ranges = { ...(o.vitals?.ranges ?? {}) };
  ranges.heartRate = { ...(ranges.heartRate ?? {}), warnLow: m.vitals.heartRateLow, warnHigh: m.vitals.heartRateHigh };
  o.vitals = { ...(o.vitals ?? {}), ranges };
  return o;
}
