import type { DeliveryOptions, MealPeriod } from '@zhiyang/shared';
import type { TFunction } from 'i18next';
import { ApiError } from '../../app/api.ts';
import { problemText } from '../../app/problems.ts';

/** Pure helpers of 预订送餐 (phone pages and the call centre): what to offer from the options. */

export type OptionCanteen = DeliveryOptions['canteens'][number];
export type OptionSlot = OptionCanteen['slots'][number];
export type OptionBooking = DeliveryOptions['bookings'][number];

const PERIODS: MealPeriod[] = ['breakfast', 'lunch', 'dinner'];

/** Days from today (China time) to a `YYYY-MM-DD` day. */
export function daysFromToday(day: string, now = new Date()): number {
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** "明天 11月27日周五": the near word for today … the day after tomorrow, then the date. */
export function dayText(day: string, lang: string, t: (k: string) => string, now = new Date()): string {
  const date = new Intl.DateTimeFormat(lang, { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
  const ahead = daysFromToday(day, now);
  return ahead >= 0 && ahead <= 2 ? `${t(`meals.booking.near${ahead}`)} ${date}` : date;
}

/** "10:30" (China time) of an instant; with the day before it when it is not on `day`. */
export function clockText(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));
}

/** The meal periods of a day that some canteen offers, each with whether one of them may still be booked. */
export function mealsOfDay(canteens: OptionCanteen[], day: string) {
  return PERIODS.map((period) => {
    const slots = canteens.flatMap((c) => c.slots.filter((s) => s.day === day && s.period === period && s.dishes.length));
    return { period, offered: slots.length > 0, bookable: slots.some((s) => s.bookable), cutoffAt: slots[0]?.cutoffAt };
  }).filter((m) => m.offered);
}

/** Does the day have a meal the caller may still book? */
export const dayBookable = (canteens: OptionCanteen[], day: string) => mealsOfDay(canteens, day).some((m) => m.bookable);

/** The canteens that offer this day and meal, with that slot. */
export function canteensFor(canteens: OptionCanteen[], day: string, period: MealPeriod) {
  return canteens
    .map((c) => ({ canteen: c, slot: c.slots.find((s) => s.day === day && s.period === period && s.dishes.length) }))
    .filter((x): x is { canteen: OptionCanteen; slot: OptionSlot } => !!x.slot);
}

export const yuan = (fen: number) => (fen / 100).toFixed(2);

/** A refusal of booking or cancelling in plain words: past the cutoff, the meal already booked, else the problem's text. */
export function bookingProblemText(e: unknown, t: TFunction): string {
  const code = e instanceof ApiError ? e.code : undefined;
  if (code === 'invalid-state') return t('meals.booking.pastCutoff');
  if (code === 'duplicate') return t('meals.booking.duplicate');
  return problemText(e, t);
}
