import dayjs from 'dayjs';

/**
 * The pure part of the dashboard's drill-down (drill.tsx): turning a link's query values into the
 * lists' filters. China time (UTC+8, no daylight saving) for months.
 */

/** A drill value if it is one of the allowed values (a hand-edited address gives no filter). */
export function pick<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((a) => a === value);
}

/** '2026-11' → 2026年11月. */
export const monthZh = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** A 'YYYY-MM' month of a drill link, or undefined when absent or malformed. */
export function drillMonth(drill: { get(key: string): string | undefined }): string | undefined {
  const m = drill.get('month');
  return m && /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(m) ? m : undefined;
}

/** The China-time instants a month spans: from its first day 00:00 +08:00 to the next month's. */
export function monthInstants(month: string): { from: string; to: string } {
  const start = dayjs(`${month}-01T00:00:00+08:00`);
  return { from: start.toISOString(), to: start.add(1, 'month').toISOString() };
}

/** Whether an instant (any ISO form) falls in a China-time month. */
export function inMonth(instant: string | null | undefined, month: string): boolean {
  if (!instant) return false;
  const t = Date.parse(instant);
  const { from, to } = monthInstants(month);
  return t >= Date.parse(from) && t < Date.parse(to);
}

/** The first and last day of a month ('YYYY-MM-DD'). */
export function monthDays(month: string): { from: string; to: string } {
  const start = dayjs(`${month}-01`);
  return { from: start.format('YYYY-MM-DD'), to: start.endOf('month').format('YYYY-MM-DD') };
}

/** The dashboard's age bands as the elder list's age filter. */
export function ageBandRange(band: string | undefined): { ageMin?: number; ageMax?: number } {
  const m = band?.match(/^([0-9]{2,3})(?:-([0-9]{2,3})|\+)$/);
  if (!m) return {};
  return { ageMin: Number(m[1]), ageMax: m[2] ? Number(m[2]) : undefined };
}

/** '80-89' → 80–89岁, '90+' → 90岁及以上. */
export const ageBandZh = (band: string) => (band.endsWith('+') ? `${band.slice(0, -1)}岁及以上` : `${band.replace('-', '–')}岁`);
