import type { PeriodType } from '@zhiyang/shared';
import type { MonthWindow } from '../supervision/supervision.repo.ts';

/**
 * China-time calendar periods (a month, quarter or year) as the windows the supervision queries
 * take: `month` carries the period's key (2026-11, 2026-Q4, 2026) and `months` the calendar months
 * it spans, for sources kept per month (the allowance rolls).
 */
export interface PeriodWindow extends MonthWindow {
  months: string[];
}

/** China time has no daylight saving: a period starts at 00:00 +08:00 on its first day. */
const CN_OFFSET_MS = 8 * 3600 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const monthKey = (y: number, m0: number) => {
  const d = new Date(Date.UTC(y, m0, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
};

/** The first calendar month (year, 0-based month) and the number of months of a period key. */
function startOf(type: PeriodType, key: string): [number, number, number] {
  const y = Number(key.slice(0, 4));
  if (type === 'year') return [y, 0, 12];
  if (type === 'quarter') return [y, (Number(key.slice(6)) - 1) * 3, 3];
  return [y, Number(key.slice(5, 7)) - 1, 1];
}

export function periodWindow(type: PeriodType, key: string, i = 0): PeriodWindow {
  const [y, m0, n] = startOf(type, key);
  const start = new Date(Date.UTC(y, m0, 1));
  const next = new Date(Date.UTC(y, m0 + n, 1));
  return {
    i,
    month: key,
    startAt: new Date(start.getTime() - CN_OFFSET_MS).toISOString(),
    endAt: new Date(next.getTime() - CN_OFFSET_MS).toISOString(),
    firstDay: day(start),
    lastDay: day(new Date(next.getTime() - 86_400_000)),
    months: Array.from({ length: n }, (_, k) => monthKey(y, m0 + k)),
  };
}

/** The key of the period after this one. */
function nextKey(type: PeriodType, key: string): string {
  const [y, m0, n] = startOf(type, key);
  const d = new Date(Date.UTC(y, m0 + n, 1));
  const ny = d.getUTCFullYear();
  if (type === 'year') return String(ny);
  if (type === 'quarter') return `${ny}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  return monthKey(ny, d.getUTCMonth());
}

/** The periods from `from` to `to` inclusive, oldest first; null when there are more than `max`. */
export function periodRange(type: PeriodType, from: string, to: string, max: number): PeriodWindow[] | null {
  const out: PeriodWindow[] = [];
  for (let k = from; k <= to; k = nextKey(type, k)) {
    if (out.length >= max) return null;
    out.push(periodWindow(type, k, out.length));
  }
  return out;
}

/** Does the period hold this moment? (A `now` indicator has a value only for that period.) */
export const holdsNow = (w: PeriodWindow, now = new Date()) =>
  new Date(w.startAt).getTime() <= now.getTime() && now.getTime() < new Date(w.endAt).getTime();

/** The China-time month and quarter of a moment: 2026-11, 2026-Q4. */
export function cnMonthOf(now = new Date()) {
  const cn = new Date(now.getTime() + CN_OFFSET_MS);
  return monthKey(cn.getUTCFullYear(), cn.getUTCMonth());
}
