import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_ITEMS,
  type AssessmentBackground,
  DIMENSION_MAX,
  levelByTotal,
  scoreAssessment,
  validateScores,
} from './assessment.ts';

const none: AssessmentBackground = { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] };
const full = () => Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, i.max]));

/** A sheet with exactly `total` points, taken off items from the end. */
function sheetWithTotal(total: number) {
  const s = full();
  let over = 90 - total;
  for (const it of [...ASSESSMENT_ITEMS].reverse()) {
    const take = Math.min(over, s[it.key]);
    s[it.key] -= take;
    over -= take;
  }
  return s;
}

describe('GB/T 42195-2022 catalogue', () => {
  it('has 26 items in four dimensions worth 32 / 15 / 28 / 15 = 90', () => {
    expect(ASSESSMENT_ITEMS).toHaveLength(26);
    expect(ASSESSMENT_ITEMS.map((i) => i.no)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(DIMENSION_MAX).toEqual({ self_care: 32, motor: 15, mental: 28, perception: 15 });
    for (const it of ASSESSMENT_ITEMS)
      expect(it.levels.map((l) => l.score)).toEqual(Array.from({ length: it.max + 1 }, (_, i) => it.max - i));
  });

  it('validates completeness and ranges', () => {
    expect(validateScores(full())).toEqual([]);
    const s: Record<string, unknown> = { ...full(), stairs: 4, extra: 1 };
    delete s.eating;
    expect(
      validateScores(s)
        .map((e) => e.key)
        .sort(),
    ).toEqual(['eating', 'extra', 'stairs']);
    expect(validateScores({ ...full(), vision: 1.5 })).toHaveLength(1);
  });
});

describe('levels by cut scores', () => {
  it.each([
    [90, 'intact'],
    [89, 'mild'],
    [66, 'mild'],
    [65, 'moderate'],
    [46, 'moderate'],
    [45, 'severe'],
    [30, 'severe'],
    [29, 'total'],
    [0, 'total'],
  ] as const)('total %i is %s', (total, level) => {
    expect(levelByTotal(total)).toBe(level);
    const r = scoreAssessment(sheetWithTotal(total), none);
    expect(r.total).toBe(total);
    expect(r.level).toBe(level);
    expect(r.adjustments).toEqual([]);
  });

  it('adds the dimension subtotals', () => {
    const r = scoreAssessment({ ...full(), eating: 2, stairs: 1, memory: 0, vision: 1 }, none);
    expect(r.subtotals).toEqual({ self_care: 30, motor: 13, mental: 24, perception: 14 });
    expect(r.total).toBe(81);
  });
});

describe('adjustments', () => {
  it('coma makes any total 完全失能', () => {
    const r = scoreAssessment(full(), { ...none, coma: true });
    expect(r.preliminaryLevel).toBe('intact');
    expect(r.level).toBe('total');
    expect(r.adjustments).toEqual(['coma']);
  });

  it('dementia or a mental disorder moves one level worse', () => {
    expect(scoreAssessment(sheetWithTotal(90), { ...none, dementiaOrMentalDisorder: true }).level).toBe('mild');
    expect(scoreAssessment(sheetWithTotal(66), { ...none, dementiaOrMentalDisorder: true }).level).toBe('moderate');
    expect(scoreAssessment(sheetWithTotal(29), { ...none, dementiaOrMentalDisorder: true }).level).toBe('total');
  });

  it('two or more risk events in 30 days move one level worse; one does not', () => {
    const one = scoreAssessment(sheetWithTotal(70), { ...none, riskEvents30d: [{ type: 'fall', count: 1 }] });
    expect(one.level).toBe('mild');
    expect(one.adjustments).toEqual([]);
    const two = scoreAssessment(sheetWithTotal(70), {
      ...none,
      riskEvents30d: [
        { type: 'fall', count: 1 },
        { type: 'choking', count: 1 },
      ],
    });
    expect(two.level).toBe('moderate');
    expect(two.adjustments).toEqual(['risk_events']);
    expect(scoreAssessment(sheetWithTotal(46), { ...none, riskEvents30d: [{ type: 'wandering', count: 3 }] }).level).toBe(
      'severe',
    );
  });

  it('dementia and risk events add up, capped at 完全失能', () => {
    const both = { ...none, dementiaOrMentalDisorder: true, riskEvents30d: [{ type: 'fall' as const, count: 2 }] };
    expect(scoreAssessment(sheetWithTotal(90), both).level).toBe('moderate');
    expect(scoreAssessment(sheetWithTotal(30), both).level).toBe('total');
    expect(scoreAssessment(sheetWithTotal(30), both).adjustments).toEqual(['dementia_or_mental_disorder', 'risk_events']);
  });
});
