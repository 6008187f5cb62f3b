import { describe, expect, it } from 'vitest';
import { gradeFor, sectionTotals, templateProblems } from './inspections.rules.ts';

const GBT = [
  { grade: 1, min: 300 },
  { grade: 2, min: 450 },
  { grade: 3, min: 600 },
  { grade: 4, min: 750 },
  { grade: 5, min: 900 },
];

describe('grade thresholds', () => {
  it('a total gets the highest grade whose least score it meets; the threshold itself counts', () => {
    expect(gradeFor(299.5, GBT)).toBeNull();
    expect(gradeFor(300, GBT)).toBe(1);
    expect(gradeFor(749.5, GBT)).toBe(3);
    expect(gradeFor(750, GBT)).toBe(4);
    expect(gradeFor(1000, GBT)).toBe(5);
  });
  it('a checklist without thresholds gives no grade, in whatever order the thresholds are written', () => {
    expect(gradeFor(90, null)).toBeNull();
    expect(gradeFor(460, [...GBT].reverse())).toBe(2);
  });
  it('thresholds must rise with the grade and stay within the maximum; item codes unique', () => {
    const items = [
      { code: 'a', section: 'x', text: 'a', max: 50 },
      { code: 'a', section: 'x', text: 'b', max: 50 },
    ];
    expect(templateProblems(items, null)).toEqual([{ path: 'body.items.1.code', message: 'item codes must differ' }]);
    expect(templateProblems(items.slice(0, 1), [{ grade: 1, min: 60 }]).map((p) => p.message)).toEqual([
      'a threshold above the maximum score 50',
    ]);
    expect(
      templateProblems(items.slice(0, 1), [
        { grade: 1, min: 30 },
        { grade: 2, min: 20 },
      ]).length,
    ).toBe(1);
  });
  it('sections add up the two scores side by side in the checklist’s order', () => {
    expect(
      sectionTotals([
        { code: 'a', section: '环境', text: '', max: 10, selfScore: 9, score: 7.5 },
        { code: 'b', section: '服务', text: '', max: 20, selfScore: null, score: 20 },
        { code: 'c', section: '环境', text: '', max: 5, selfScore: 5, score: null },
      ]),
    ).toEqual([
      { section: '环境', max: 15, selfScore: 14, score: 7.5 },
      { section: '服务', max: 20, selfScore: 0, score: 20 },
    ]);
  });
});
