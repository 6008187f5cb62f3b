import { describe, expect, it } from 'vitest';
import { addMonths } from '../../lib/dates.ts';
import {
  ageForMonth,
  firstMonthAtAge,
  monthsBetween,
  periodOf,
  periodStart,
  periodsBefore,
  type TierLike,
  tierFor,
  upcomingMonth,
} from './allowances.rules.ts';

const tier = (minAge: number, maxAge: number | null, monthlyFen: number, over: Partial<TierLike> = {}): TierLike => ({
  id: `t${minAge}`,
  year: 2026,
  minAge,
  maxAge,
  monthlyFen,
  localHukouOnly: true,
  minResidenceYears: 0,
  excludedCategories: [],
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  ...over,
});
const TIERS = [tier(80, 89, 10000), tier(90, 99, 20000), tier(100, null, 50000)];
const elder = (birthDate: string, over: Partial<{ hukouLocal: boolean; categories: string[] }> = {}) => ({
  birthDate,
  hukouLocal: true,
  categories: [],
  ...over,
});
const amount = (birthDate: string, month: string, residence: string | null = null, tiers = TIERS) => {
  const t = tierFor(tiers, elder(birthDate), month, residence);
  return 'tier' in t ? t.tier.monthlyFen : t.reason;
};

describe('allowance rules', () => {
  it('month arithmetic crosses years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -15)).toBe('2024-12');
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });

  it('an elder crossing an age band changes tier from the next month, whatever the day of the birthday', () => {
    // Turns 90 on 15 May 2026: May still 80–89, June 90–99.
    expect(amount('1936-05-15', '2026-05')).toBe(10000);
    expect(amount('1936-05-15', '2026-06')).toBe(20000);
    // Turns 90 on 1 May and on 31 May: the same, from June.
    expect(amount('1936-05-01', '2026-05')).toBe(10000);
    expect(amount('1936-05-01', '2026-06')).toBe(20000);
    expect(amount('1936-05-31', '2026-06')).toBe(20000);
    // Turns 100 on 31 December 2026: January 2027 (with the next year's tier).
    const next = TIERS.map((t) => ({ ...t, year: 2027, effectiveFrom: '2027-01-01' }));
    expect(amount('1926-12-31', '2026-12')).toBe(20000);
    expect(amount('1926-12-31', '2027-01', null, next)).toBe(50000);
    // 29 February: reached on 1 March in a common year, so paid from April.
    expect(ageForMonth('1946-02-29', '2026-03')).toBe(79);
    expect(ageForMonth('1946-02-29', '2026-04')).toBe(80);
    expect(firstMonthAtAge('1946-05-20', 80)).toBe('2026-06');
    expect(firstMonthAtAge('1945-12-20', 80)).toBe('2026-01');
  });

  it('under the lowest band, outside the tier year or dates, nothing is paid', () => {
    expect(amount('1946-06-10', '2026-06')).toBe('no_tier'); // 79 at the end of May
    expect(amount('1940-01-01', '2025-12')).toBe('no_tier'); // the 2026 tiers do not pay 2025
    const ended = [tier(80, 89, 10000, { effectiveTo: '2026-06-30' })];
    expect(amount('1940-01-01', '2026-06', null, ended)).toBe(10000);
    expect(amount('1940-01-01', '2026-07', null, ended)).toBe('no_tier');
  });

  it('conditions: local 户籍, years of residence, no overlapping benefit', () => {
    expect(tierFor(TIERS, elder('1940-01-01', { hukouLocal: false }), '2026-06', null)).toEqual({ reason: 'not_local_hukou' });
    const residence = [tier(80, 89, 10000, { localHukouOnly: false, minResidenceYears: 5 })];
    expect(amount('1940-01-01', '2026-06', null, residence)).toBe('residence_too_short');
    expect(amount('1940-01-01', '2026-06', '2021-06-02', residence)).toBe('residence_too_short');
    expect(amount('1940-01-01', '2026-06', '2021-06-01', residence)).toBe(10000);
    const excl = [tier(80, 89, 10000, { excludedCategories: ['tekun'] })];
    expect(tierFor(excl, elder('1940-01-01', { categories: ['tekun'] }), '2026-06', null)).toEqual({
      reason: 'overlapping_benefit',
    });
  });

  it('an application is judged for next month, or this month in a December before next year’s tiers are in', () => {
    expect(upcomingMonth(TIERS, '2026-06')).toBe('2026-07');
    expect(upcomingMonth(TIERS, '2026-12')).toBe('2026-12');
    expect(upcomingMonth([...TIERS, { year: 2027 }], '2026-12')).toBe('2027-01');
  });

  it('verification periods by month or quarter', () => {
    expect(periodOf('2026-05', 'quarter')).toBe('2026-Q2');
    expect(periodsBefore('2026-05', 'month', 2)).toEqual(['2026-04', '2026-03']);
    expect(periodsBefore('2026-02', 'quarter', 2)).toEqual(['2025-Q4', '2025-Q3']);
    expect(periodStart('2025-Q4')).toBe('2025-10');
    expect(periodStart('2026-03')).toBe('2026-03');
  });
});
