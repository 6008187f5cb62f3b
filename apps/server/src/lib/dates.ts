/** Calendar helpers in the platform's time zone (China Standard Time, UTC+8, no DST). */
const CST_OFFSET_MS = 8 * 3600_000;

/** YYYY-MM-DD of `d` in China Standard Time. */
export const cstDate = (d: Date = new Date()) => new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
/** YYYY-MM of `d` in China Standard Time. */
export const cstMonth = (d: Date = new Date()) => cstDate(d).slice(0, 7);
/** The instant a CST calendar day (YYYY-MM-DD) starts. */
export const cstDayStart = (day: string) => new Date(new Date(`${day}T00:00:00Z`).getTime() - CST_OFFSET_MS);
/** [start, end) instants of a CST month YYYY-MM. */
export function cstMonthRange(month: string): [Date, Date] {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [cstDayStart(`${month}-01`), cstDayStart(`${next}-01`)];
}
/** 'YYYY-MM' plus n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}
export const addDays = (day: string, n: number) =>
  new Date(new Date(`${day}T00:00:00Z`).getTime() + n * 86400_000).toISOString().slice(0, 10);

/** The date schemas live with the contracts, so the routes' shared schemas use them too. */
export { isoDay, isoInstant, isoMonth } from '@zhiyang/shared';
