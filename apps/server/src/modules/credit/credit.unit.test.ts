import { describe, expect, it } from 'vitest';
import { type CreditEvent, DEFAULT_CREDIT_RULES, levelOf, mergeRules, ruleListingReason, scoreCredit } from './credit.rules.ts';

const rules = { ...DEFAULT_CREDIT_RULES, base: 80, halfLifeDays: 100, horizonDays: 300 };
const ev = (kind: CreditEvent['kind'], occurredOn: string, sourceId: string = kind): CreditEvent => ({
  kind,
  occurredOn,
  title: kind,
  source: 'credit',
  sourceId,
});
const TODAY = '2026-06-30';

describe('credit score (rules as data)', () => {
  it('starts at the base and adds each weight in full on the day it happened', () => {
    const x = scoreCredit([ev('commitment', TODAY), ev('complaint', TODAY)], rules, TODAY);
    expect(x.lines.map((l) => [l.kind, l.weight, l.ageDays, l.factor, l.points])).toEqual([
      ['commitment', 5, 0, 1, 5],
      ['complaint', -5, 0, 1, -5],
    ]);
    expect(x).toMatchObject({ base: 80, raw: 80, score: 80, level: 'B' });
  });

  it('halves a weight every half-life and drops events beyond the horizon', () => {
    const x = scoreCredit(
      [ev('penalty', '2026-03-22'), ev('penalty', '2026-06-30', 'b'), ev('penalty_major', '2025-06-01')],
      rules,
      TODAY,
    );
    // Newest first: today's penalty in full, one 100 days old at half, one 394 days old not at all.
    expect(x.lines.map((l) => [l.occurredOn, l.ageDays, l.factor, l.points])).toEqual([
      ['2026-06-30', 0, 1, -20],
      ['2026-03-22', 100, 0.5, -10],
      ['2025-06-01', 394, 0, -0],
    ]);
    expect(x.raw).toBe(50);
    expect(x.level).toBe('D');
  });

  it('clamps the score to 0–100 and maps it to the levels by the thresholds', () => {
    expect(
      scoreCredit([ev('commendation', TODAY), ev('commitment', TODAY, 'c'), ev('rectified', TODAY)], rules, TODAY).score,
    ).toBe(98);
    expect(
      scoreCredit(
        Array.from({ length: 10 }, (_, i) => ev('penalty_major', TODAY, `p${i}`)),
        rules,
        TODAY,
      ).score,
    ).toBe(0);
    expect([90, 89, 75, 74, 60, 59].map((s) => levelOf(s, rules))).toEqual(['A', 'B', 'B', 'C', 'C', 'D']);
  });

  it('caps what a volume signal takes off in total, newest lines first', () => {
    const complaints = Array.from({ length: 4 }, (_, i) =>
      ev('complaint', `2026-06-${String(20 + i).padStart(2, '0')}`, `c${i}`),
    );
    const x = scoreCredit(complaints, { ...rules, halfLifeDays: 3650, caps: { complaint: 10 } }, TODAY);
    // −5 each at almost full weight; the cap of 10 is reached by the two newest, the older count 0.
    expect(x.lines.map((l) => [l.occurredOn, l.points, l.capped])).toEqual([
      ['2026-06-23', -4.99, false],
      ['2026-06-22', -4.99, false],
      ['2026-06-21', -0.02, true],
      ['2026-06-20', -0, true],
    ]);
    expect(x.raw).toBe(70);
    expect(scoreCredit(complaints, { ...rules, caps: {} }, TODAY).raw).toBeLessThan(70);
  });

  it('takes the weights the bureau set over the defaults and ignores values that no longer fit', () => {
    expect(mergeRules({ weights: { complaint: -9 } }).weights).toMatchObject({ complaint: -9, penalty: -20 });
    expect(mergeRules({ levels: { A: 50, B: 60, C: 40 } })).toEqual(DEFAULT_CREDIT_RULES);
    expect(mergeRules(null)).toEqual(DEFAULT_CREDIT_RULES);
  });

  it('lists by rule on a listing kind or after N days at D, counting only what came after the last removal', () => {
    const label = (k: string) => k;
    const major = scoreCredit([ev('penalty_major', '2026-06-01')], rules, TODAY);
    expect(ruleListingReason(major, { dSince: null, lastRemovedOn: null }, rules, TODAY, label)).toMatch(/penalty_major/);
    expect(ruleListingReason(major, { dSince: null, lastRemovedOn: '2026-06-10' }, rules, TODAY, label)).toBeNull();
    const none = scoreCredit([], rules, TODAY);
    const atD = { ...rules, listAfterDaysAtD: 30 };
    expect(ruleListingReason(none, { dSince: '2026-05-31', lastRemovedOn: null }, atD, TODAY, label)).toMatch(/30 天/);
    expect(ruleListingReason(none, { dSince: '2026-06-15', lastRemovedOn: null }, atD, TODAY, label)).toBeNull();
    expect(ruleListingReason(none, { dSince: '2026-05-01', lastRemovedOn: '2026-06-20' }, atD, TODAY, label)).toBeNull();
  });
});
