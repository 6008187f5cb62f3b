import { describe, expect, it } from 'vitest';
import { canteensFor, dayBookable, daysFromToday, dayText, mealsOfDay, type OptionCanteen } from './booking-ui.ts';

const slot = (day: string, period: 'breakfast' | 'lunch' | 'dinner', bookable: boolean, dishes = 1) => ({
  day,
  period,
  bookable,
  cutoffAt: `${day}T02:30:00.000Z`,
  subsidyFen: 500,
  dishes: Array.from({ length: dishes }, (_, i) => ({
    dishId: `d${i}`,
    name: `菜${i}`,
    category: 'set_meal' as const,
    healthTags: [],
    allergens: [],
    priceFen: 1200,
    selfPayFen: 700,
  })),
});
const canteens: OptionCanteen[] = [
  { id: 'a', name: '甲食堂', address: null, slots: [slot('2026-11-27', 'breakfast', false), slot('2026-11-27', 'lunch', true)] },
  { id: 'b', name: '乙食堂', address: null, slots: [slot('2026-11-27', 'lunch', true), slot('2026-11-28', 'dinner', false, 0)] },
];

describe('meal booking helpers', () => {
  it('counts days in China time and says today / tomorrow', () => {
    const now = new Date('2026-11-26T20:00:00Z'); // 27 Nov 04:00 in China
    expect(daysFromToday('2026-11-27', now)).toBe(0);
    expect(dayText('2026-11-28', 'zh-CN', (k) => ({ 'meals.booking.near1': '明天' })[k] ?? k, now)).toMatch(/^明天 11月28日/);
    expect(dayText('2026-12-05', 'zh-CN', (k) => k, now)).not.toContain('near');
  });

  it('offers the meals a canteen has dishes for, bookable or past the cutoff, and the canteens of one meal', () => {
    expect(mealsOfDay(canteens, '2026-11-27')).toEqual([
      expect.objectContaining({ period: 'breakfast', bookable: false }),
      expect.objectContaining({ period: 'lunch', bookable: true }),
    ]);
    // A slot without dishes is no meal; a day with nothing bookable is not offered.
    expect(mealsOfDay(canteens, '2026-11-28')).toEqual([]);
    expect(dayBookable(canteens, '2026-11-27')).toBe(true);
    expect(dayBookable(canteens, '2026-11-28')).toBe(false);
    expect(canteensFor(canteens, '2026-11-27', 'lunch').map((x) => x.canteen.name)).toEqual(['甲食堂', '乙食堂']);
  });
});
