import { cstDate, cstDayStart } from '../lib/dates.ts';

/**
 * An instant `msAgo` before now, but not before today's China midnight (UTC+8). A test that
 * records something "an hour ago" and then reads today's view must still find it when the run
 * happens at 00:30 China time (16:30 UTC, when CI often runs).
 */
export function earlierTodayCst(msAgo: number, now = new Date()): Date {
  const midnight = cstDayStart(cstDate(now)).getTime();
  return new Date(Math.max(now.getTime() - msAgo, midnight));
}
