import { describe, expect, it } from 'vitest';
import { ageBandRange, ageBandZh, drillMonth, inMonth, monthDays, monthInstants, monthZh, pick } from './drill-query.ts';

const drill = (q: Record<string, string>) => ({ get: (k: string) => q[k] });

describe('drill-down query into list filters', () => {
  it('reads the dashboard’s age bands as the elder list’s ages', () => {
    expect(ageBandRange('80-89')).toEqual({ ageMin: 80, ageMax: 89 });
    expect(ageBandRange('90+')).toEqual({ ageMin: 90, ageMax: undefined });
    expect(ageBandRange('abc')).toEqual({});
    expect(ageBandRange(undefined)).toEqual({});
    expect(ageBandZh('60-69')).toBe('60–69岁');
    expect(ageBandZh('90+')).toBe('90岁及以上');
  });

  it('takes a month only in the YYYY-MM form, and spans it in China time', () => {
    expect(drillMonth(drill({ month: '2026-11' }))).toBe('2026-11');
    expect(drillMonth(drill({ month: '2026-13' }))).toBeUndefined();
    expect(drillMonth(drill({ month: '2026-11-01' }))).toBeUndefined();
    expect(monthZh('2026-03')).toBe('2026年3月');
    expect(monthInstants('2026-11')).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    expect(monthDays('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    // 1 November 00:30 in Beijing is 31 October in UTC, and belongs to November.
    expect(inMonth('2026-10-31T16:30:00Z', '2026-11')).toBe(true);
    expect(inMonth('2026-10-31T15:59:59Z', '2026-11')).toBe(false);
    expect(inMonth(null, '2026-11')).toBe(false);
  });

  it('ignores a value the list does not know (a hand-edited address)', () => {
    expect(pick(['active', 'closed'] as const, 'closed')).toBe('closed');
    expect(pick(['active', 'closed'] as const, 'gone')).toBeUndefined();
  });
});
