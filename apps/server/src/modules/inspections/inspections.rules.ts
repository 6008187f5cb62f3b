import type { ChecklistItem, GradeThreshold } from './inspections.schema.ts';

/** Pure rules of inspections: totals, sections, the grade from the checklist's thresholds. */

/** Round to one decimal, as the scores are stored (numeric(7,1)). */
export const round1 = (n: number) => Math.round(n * 10) / 10;

/** The grade a total reaches: the highest grade whose least score it meets, or null (below 一级). */
export function gradeFor(total: number, thresholds: GradeThreshold[] | null): number | null {
  if (!thresholds?.length) return null;
  let grade: number | null = null;
  for (const t of [...thresholds].sort((a, b) => a.grade - b.grade)) if (total >= t.min) grade = t.grade;
  return grade;
}

/**
 * A checklist's problems, or []: item codes unique, thresholds one per grade, rising with the
 * grade and not above the checklist's maximum.
 */
export function templateProblems(items: ChecklistItem[], thresholds: GradeThreshold[] | null) {
  const problems: Array<{ path: string; message: string }> = [];
  const codes = new Set<string>();
  for (const [i, it] of items.entries()) {
    if (codes.has(it.code)) problems.push({ path: `body.items.${i}.code`, message: 'item codes must differ' });
    codes.add(it.code);
  }
  if (thresholds) {
    const max = maxScore(items);
    const sorted = [...thresholds].sort((a, b) => a.grade - b.grade);
    for (const [i, t] of sorted.entries()) {
      if (i > 0 && sorted[i - 1].grade === t.grade)
        problems.push({ path: 'body.gradeThresholds', message: 'one threshold per grade' });
      else if (i > 0 && sorted[i - 1].min >= t.min)
        problems.push({ path: 'body.gradeThresholds', message: 'a higher grade needs a higher score' });
      if (t.min > max) problems.push({ path: 'body.gradeThresholds', message: `a threshold above the maximum score ${max}` });
    }
  }
  return problems;
}

export const maxScore = (items: ChecklistItem[]) => round1(items.reduce((s, i) => s + i.max, 0));

/** A score line's problem against the checklist: an unknown item or a score above the item's maximum. */
export function scoreProblem(items: Map<string, ChecklistItem>, itemCode: string, score: number | null) {
  const item = items.get(itemCode);
  if (!item) return 'no such item in the checklist';
  if (score !== null && score > item.max) return `at most ${item.max}`;
  return null;
}

/** Sum of the scores given (null: not scored, counts 0). */
export const sumScores = (scores: Array<number | null | undefined>) => round1(scores.reduce<number>((s, x) => s + (x ?? 0), 0));

/** Each section's maximum and the two scores, in the checklist's order. */
export function sectionTotals(items: Array<ChecklistItem & { selfScore: number | null; score: number | null }>) {
  const out: Array<{ section: string; max: number; selfScore: number; score: number }> = [];
  for (const it of items) {
    let s = out.find((x) => x.section === it.section);
    if (!s) {
      s = { section: it.section, max: 0, selfScore: 0, score: 0 };
      out.push(s);
    }
    s.max = round1(s.max + it.max);
    s.selfScore = round1(s.selfScore + (it.selfScore ?? 0));
    s.score = round1(s.score + (it.score ?? 0));
  }
  return out;
}
