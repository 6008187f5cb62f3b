/**
 * The allowance's rules as pure functions (no database): which tier pays an elder for a month,
 * month arithmetic and verification periods. allowances.unit.test.ts pins them down.
 */
import { addMonths } from '../../lib/dates.ts';

export interface TierLike {
  id: string;
  year: number;
  minAge: number;
  maxAge: number | null;
  monthlyFen: number;
  localHukouOnly: boolean;
  minResidenceYears: number;
  excludedCategories: string[];
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface ElderLike {
  birthDate: string;
  hukouLocal: boolean;
  categories: string[];
}

/** Months from a to b inclusive (empty when b < a). */
export function monthsBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let m = a; m <= b; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Age on a calendar day (YYYY-MM-DD); a 29 February birthday is reached on 1 March in common years. */
export function ageOnDay(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The last day of a month 'YYYY-MM'. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/**
 * The age that decides the tier of a month: the age reached by the last day of the month before.
 * So an elder who turns 90 on any day of May (even 1 May) is paid the 90–99 tier from June:
 * a band is crossed "from the next month", with no application.
 */
export const ageForMonth = (birthDate: string, month: string) => ageOnDay(birthDate, lastDayOf(addMonths(month, -1)));

/** The first month an elder reaching `age` is paid for: the month after that birthday. */
export function firstMonthAtAge(birthDate: string, age: number): string {
  const [by, bm] = birthDate.split('-').map(Number);
  return addMonths(`${by + age}-${String(bm).padStart(2, '0')}`, 1);
}

/** Is the tier in force for the month (its year, and its effective dates cover the month's first day)? */
export function tierInForce(t: TierLike, month: string): boolean {
  const first = `${month}-01`;
  return t.year === Number(month.slice(0, 4)) && t.effectiveFrom <= first && (t.effectiveTo === null || t.effectiveTo >= first);
}

export type Ineligible = 'no_tier' | 'not_local_hukou' | 'residence_too_short' | 'overlapping_benefit';

/**
 * The tier that pays this elder for the month, or why none does. `residenceSince` is the date the
 * application states the elder has lived in the district since (null: not stated).
 */
export function tierFor(
  tiers: readonly TierLike[],
  elder: ElderLike,
  month: string,
  residenceSince: string | null,
): { tier: TierLike } | { reason: Ineligible } {
  const age = ageForMonth(elder.birthDate, month);
  const tier = tiers.find((t) => tierInForce(t, month) && age >= t.minAge && (t.maxAge === null || age <= t.maxAge));
  if (!tier) return { reason: 'no_tier' };
  if (tier.localHukouOnly && !elder.hukouLocal) return { reason: 'not_local_hukou' };
  if (tier.minResidenceYears > 0) {
    if (!residenceSince || ageOnDay(residenceSince, `${month}-01`) < tier.minResidenceYears)
      return { reason: 'residence_too_short' };
  }
  if (tier.excludedCategories.some((c) => elder.categories.includes(c))) return { reason: 'overlapping_benefit' };
  return { tier };
}

/**
 * The month an application is judged for: the next one, when the district has entered tiers for
 * its year; otherwise (a December before next year's tiers are in) the current one.
 */
export function upcomingMonth(tiers: readonly Pick<TierLike, 'year'>[], current: string): string {
  const next = addMonths(current, 1);
  return tiers.some((t) => t.year === Number(next.slice(0, 4))) ? next : current;
}

/** The verification period a month falls in: the month itself, or its quarter (2026-Q2). */
export function periodOf(month: string, kind: 'month' | 'quarter'): string {
  if (kind === 'month') return month;
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The `n` whole periods before the one that holds `month`, newest first. */
export function periodsBefore(month: string, kind: 'month' | 'quarter', n: number): string[] {
  const step = kind === 'month' ? 1 : 3;
  const start =
    kind === 'month'
      ? month
      : `${month.slice(0, 4)}-${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}`;
  return Array.from({ length: n }, (_, i) => periodOf(addMonths(start, -step * (i + 1)), kind));
}

/** The first month of a period (2026-Q2 → 2026-04). */
export function periodStart(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  return q ? `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}` : period;
}

/** A bank account shown in lists: the last four digits only. */
export const maskAccount = (account: string | null) => (account ? `****${account.slice(-4)}` : null);
