import type { InspectionDetail, InspectionFinding, InspectionTemplate } from '@zhiyang/shared';
import { todayCst } from '@zhiyang/shared';
import type { FindingRow, InspectionRow } from './inspections.repo.ts';
import { sectionTotals } from './inspections.rules.ts';
import type { inspectionScores, inspectionTemplates } from './inspections.schema.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentTemplate(t: typeof inspectionTemplates.$inferSelect): InspectionTemplate {
  return {
    id: t.id,
    code: t.code,
    version: t.version,
    name: t.name,
    orgType: t.orgType,
    regionCode: t.regionCode,
    items: t.items,
    maxScore: Number(t.maxScore),
    gradeThresholds: t.gradeThresholds ?? null,
    active: t.active,
  };
}

export function presentSummary(r: InspectionRow) {
  return {
    id: r.id,
    roundId: r.round_id,
    roundName: r.round_name,
    orgId: r.org_id,
    orgName: r.org_name,
    orgType: r.org_type,
    period: r.period,
    templateName: r.template_name,
    status: r.status,
    selfScore: r.self_score,
    totalScore: r.total_score,
    maxScore: r.max_score,
    grade: r.grade,
    finishedAt: iso(r.finished_at),
    openFindings: r.open_findings,
  };
}

export function presentFinding(f: FindingRow, today = todayCst()): InspectionFinding {
  return {
    id: f.id,
    inspectionId: f.inspection_id,
    orgId: f.org_id,
    orgName: f.org_name,
    itemCode: f.item_code,
    description: f.description,
    severity: f.severity,
    dueOn: f.due_on,
    status: f.status,
    rectification: f.rectification,
    rectifiedAt: iso(f.rectified_at),
    recheckNote: f.recheck_note,
    recheckedAt: iso(f.rechecked_at),
    overdue: f.status === 'open' && f.due_on < today,
  };
}

export function presentDetail(
  r: InspectionRow,
  template: typeof inspectionTemplates.$inferSelect,
  scores: Array<typeof inspectionScores.$inferSelect>,
  findings: FindingRow[],
): InspectionDetail {
  const byItem = new Map(scores.map((s) => [s.itemCode, s]));
  const items = template.items.map((it) => {
    const s = byItem.get(it.code);
    return {
      ...it,
      selfScore: s?.selfScore ?? null,
      selfNote: s?.selfNote ?? null,
      score: s?.score ?? null,
      note: s?.note ?? null,
    };
  });
  return {
    ...presentSummary(r),
    template: presentTemplate(template),
    selfSubmittedAt: iso(r.self_submitted_at),
    assessorName: r.assessor_name,
    items,
    sections: sectionTotals(items),
    findings: findings.map((f) => presentFinding(f)),
  };
}
