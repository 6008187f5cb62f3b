import { describe, expect, it } from 'vitest';
import { addMonths } from '../../lib/dates.ts';
import { holdsNow, periodRange, periodWindow } from './periods.ts';

describe('statistics periods (China time)', () => {
  it('starts a quarter and a year at midnight +08:00 and lists their months', () => {
    expect(periodWindow('quarter', '2026-Q4')).toMatchObject({
      month: '2026-Q4',
      startAt: '2026-09-30T16:00:00.000Z',
      endAt: '2026-12-31T16:00:00.000Z',
      firstDay: '2026-10-01',
      lastDay: '2026-12-31',
      months: ['2026-10', '2026-11', '2026-12'],
    });
    const y = periodWindow('year', '2024');
    expect([y.firstDay, y.lastDay, y.months.length]).toEqual(['2024-01-01', '2024-12-31', 12]);
    expect(periodWindow('month', '2024-02').lastDay).toBe('2024-02-29');
  });

  it('walks a range across the new year and refuses one too long', () => {
    expect(periodRange('month', '2025-11', '2026-02', 36)?.map((w) => w.month)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(periodRange('quarter', '2025-Q3', '2026-Q1', 36)?.map((w) => [w.i, w.month])).toEqual([
      [0, '2025-Q3'],
      [1, '2025-Q4'],
      [2, '2026-Q1'],
    ]);
    expect(periodRange('year', '2020', '2026', 36)).toHaveLength(7);
    expect(periodRange('month', '2020-01', '2026-12', 36)).toBeNull();
    expect([addMonths('2026-01', -1), addMonths('2026-03', -12), addMonths('2025-12', 1)]).toEqual([
      '2025-12',
      '2025-03',
      '2026-01',
    ]);
  });

  it('knows which period holds a moment: the first minutes of a China day belong to it', () => {
    const nov = periodWindow('month', '2026-11');
    expect(holdsNow(nov, new Date('2026-10-31T16:00:00Z'))).toBe(true);
    expect(holdsNow(nov, new Date('2026-10-31T15:59:59Z'))).toBe(false);
    expect(holdsNow(nov, new Date('2026-11-30T16:00:00Z'))).toBe(false);
  });
});
