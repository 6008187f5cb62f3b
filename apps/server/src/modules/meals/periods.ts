import type { MealPeriod } from '@zhiyang/shared';

/** Meal hours when a canteen's profile names none. */
export const DEFAULT_MEAL_PERIODS: Array<{ period: MealPeriod; start: string; end: string }> = [
  { period: 'breakfast', start: '06:30', end: '09:30' },
  { period: 'lunch', start: '10:30', end: '13:30' },
  { period: 'dinner', start: '16:30', end: '19:30' },
];

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since midnight of an instant in China time (UTC+8). */
export const cstMinutes = (at: Date) => Math.floor(((at.getTime() + 8 * 3600_000) % 86_400_000) / 60_000);

/** The meal period of an instant: the one whose hours hold it, else the nearest. */
export function inferPeriod(periods: Array<{ period: MealPeriod; start: string; end: string }>, at: Date): MealPeriod {
  const list = periods.length ? periods : DEFAULT_MEAL_PERIODS;
  const t = cstMinutes(at);
  let best = list[0];
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const p of list) {
    const s = minutes(p.start);
    const e = minutes(p.end);
    const d = t < s ? s - t : t > e ? t - e : 0;
    if (d < bestDistance) {
      best = p;
      bestDistance = d;
    }
  }
  return best.period;
}

/**
 * The cutoff of a delivered meal (送餐截止): the instant its meal period starts at the canteen on
 * that day (China time) — the kitchen is cooking it then. Bookings by the elder or the family and
 * every cancellation but the canteen's own close at this instant.
 */
export function deliveryCutoff(
  periods: Array<{ period: MealPeriod; start: string; end: string }> | null,
  day: string,
  period: MealPeriod,
): Date {
  const hours =
    (periods?.length ? periods : DEFAULT_MEAL_PERIODS).find((p) => p.period === period) ??
    DEFAULT_MEAL_PERIODS.find((p) => p.period === period);
  const midnight = new Date(`${day}T00:00:00Z`).getTime() - 8 * 3600_000;
  return new Date(midnight + minutes(hours?.start ?? '00:00') * 60_000);
}
