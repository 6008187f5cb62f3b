/**
 * The one rule for every date a user can type, shared by the server's schemas and the web's
 * date pickers. Dates are calendar days YYYY-MM-DD in China time; each kind has a range:
 *
 * - `birth`: an age of 0–130 years, never in the future;
 * - `past`: something that already happened on the platform (an assessment, a death, a
 *   back-dated correction): 2000-01-01 to today;
 * - `business`: a working date that may lie ahead (policy validity, licence and certificate
 *   expiry, installation, a day of the order board): 2000-01-01 to today + 10 years;
 * - `filter`: a bound of a search (from / to / before): the same window as `business`, since no
 *   record of the platform lies outside it.
 *
 * Impossible calendar dates (2026-02-30), year 0 and five-digit years never pass.
 */
export type DateKind = 'birth' | 'past' | 'business' | 'filter';

export const EARLIEST_BUSINESS_DATE = '2000-01-01';
export const MAX_AGE_YEARS = 130;
export const FUTURE_YEARS = 10;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** Is `s` a real calendar day written YYYY-MM-DD (year 0001–9999)? */
export function isCalendarDate(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(2000, mo, 0)).getUTCDate() && (mo !== 2 || d < 29 || isLeap(y));
}

/** Is `s` a month written YYYY-MM (year 0001–9999)? */
export const isCalendarMonth = (s: string) => {
  const m = MONTH.exec(s);
  return !!m && Number(m[1]) >= 1 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
};

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The same day `years` years from `day` (29 February falls back to the 28th in a common year). */
export function shiftYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const ny = y + years;
  const dd = m === 2 && d === 29 && !isLeap(ny) ? 28 : d;
  return `${String(ny).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

/** Today in China Standard Time (UTC+8), YYYY-MM-DD. */
export const todayCst = (now: Date = new Date()) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The first and last day (inclusive, YYYY-MM-DD) a date of this kind may take on `today`. */
export function dateBounds(kind: DateKind, today: string = todayCst()): { min: string; max: string } {
  switch (kind) {
    case 'birth':
      return { min: shiftYears(today, -MAX_AGE_YEARS), max: today };
    case 'past':
      return { min: EARLIEST_BUSINESS_DATE, max: today };
    default:
      return { min: EARLIEST_BUSINESS_DATE, max: shiftYears(today, FUTURE_YEARS) };
  }
}

export type DateProblem = 'format' | 'too_early' | 'too_late';

/** Why `value` is not an acceptable date of this kind, or null when it is. */
export function dateProblem(value: string, kind: DateKind, today: string = todayCst()): DateProblem | null {
  if (!isCalendarDate(value)) return 'format';
  const { min, max } = dateBounds(kind, today);
  if (value < min) return 'too_early';
  if (value > max) return 'too_late';
  return null;
}

/** English message of a date problem (API answers), naming the allowed range. */
export function dateProblemMessage(problem: DateProblem, kind: DateKind, today: string = todayCst()): string {
  const { min, max } = dateBounds(kind, today);
  if (problem === 'format') return 'a real calendar date YYYY-MM-DD';
  return kind === 'birth'
    ? `a birth date between ${min} and ${max} (age 0–${MAX_AGE_YEARS}, not in the future)`
    : `a date between ${min} and ${max}`;
}
