import { cstDate } from '../../lib/dates.ts';

/** The grant period containing `day` (YYYY-MM-DD): '2026' for yearly policies, '2026-11' for monthly. */
export const periodKey = (period: 'year' | 'month', day: string) => (period === 'year' ? day.slice(0, 4) : day.slice(0, 7));

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * The share of a period's amount an elder gets when granted on `day`: all of it in the first
 * month of a year (first day of a month), otherwise the remaining whole months (days) — an
 * elder who turns 80 in May gets 8/12 of the yearly points. Policies starting mid-period are
 * pro-rated from their start the same way.
 */
export function proratedAmount(amount: number, period: 'year' | 'month', day: string, prorate: boolean): number {
  if (!prorate) return amount;
  const [y, m, d] = day.split('-').map(Number);
  if (period === 'year') return Math.floor((amount * (12 - m + 1)) / 12);
  const dim = daysInMonth(y, m);
  return Math.floor((amount * (dim - d + 1)) / dim);
}

export const today = () => cstDate();
