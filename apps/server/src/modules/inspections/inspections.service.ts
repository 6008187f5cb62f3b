import type { Action } from '@zhiyang/shared';
import { todayCst } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { can, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, forbidden, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentDetail, presentSummary, presentTemplate } from './inspections.present.ts';
import * as repo from './inspections.repo.ts';
import { gradeFor, maxScore, scoreProblem, sumScores, templateProblems } from './inspections.rules.ts';
import type { ChecklistItem, GradeThreshold, InspectedOrgType } from './inspections.schema.ts';

/** Checklists, rounds, an inspection's two scores and finishing it with the grade. */

export async function listTemplates(ctx: AppContext, actor: Actor) {
  const rows = await repo.listTemplates(ctx.db, actor);
  return { items: rows.map(presentTemplate), total: rows.length };
}

export async function createTemplate(
  ctx: AppContext,
  actor: Actor,
  b: { code: string; name: string; orgType: InspectedOrgType; items: ChecklistItem[]; gradeThresholds: GradeThreshold[] | null },
) {
  const problems = templateProblems(b.items, b.gradeThresholds);
  if (problems.length) throw unprocessable('The checklist does not add up.', problems);
  const existing = await repo.templateCodeOwner(ctx.db, b.code);
  // The national standard and another district's checklists are not this district's to version.
  if (existing && (existing.regionCode === null || existing.regionCode !== actor.regionCode))
    throw conflict('That code is another checklist’s.', [{ path: 'body.code', message: 'taken' }], 'duplicate');
  return ctx.db.transaction(async (tx) => {
    const t = await repo.insertTemplateVersion(tx, {
      code: b.code,
      name: b.name,
      orgType: b.orgType,
      regionCode: actor.regionCode,
      items: b.items,
      maxScore: maxScore(b.items),
      gradeThresholds: b.gradeThresholds,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'inspection.template.create',
      targetType: 'inspection_template',
      targetId: t.id,
      regionCode: actor.regionCode,
      detail: { code: t.code, version: t.version, items: b.items.length, maxScore: t.maxScore },
    });
    return presentTemplate(t);
  });
}

const presentRound = (r: repo.RoundRow) => ({
  id: r.id,
  regionCode: r.region_code,
  kind: r.kind,
  period: r.period,
  name: r.name,
  dueOn: r.due_on,
  inspections: r.inspections,
  finished: r.finished,
  openFindings: r.open_findings,
});

export async function listRounds(ctx: AppContext, actor: Actor) {
  const rows = await repo.listRounds(ctx.db, actor);
  return { items: rows.map(presentRound), total: rows.length };
}

/** Open a round: one inspection for every open institution (and centre) of the actor's district. */
export async function createRound(
  ctx: AppContext,
  actor: Actor,
  b: {
    kind: 'quarterly' | 'annual';
    periodCode: string;
    name: string;
    dueOn: string;
    institutionTemplateId: string | null;
    centreTemplateId: string | null;
  },
) {
  if ((b.kind === 'quarterly') !== b.periodCode.includes('Q'))
    throw validationError('body.period', b.kind === 'quarterly' ? 'a quarter like 2026Q3' : 'a year like 2026');
  if (!b.institutionTemplateId && !b.centreTemplateId)
    throw validationError('body.institutionTemplateId', 'choose a checklist for institutions or centres');
  if (!actor.regionCode) throw forbidden('A round belongs to a district: log in as its staff.');
  const region = actor.regionCode;
  const templates: Array<[InspectedOrgType, string | null, string]> = [
    ['institution', b.institutionTemplateId, 'body.institutionTemplateId'],
    ['community_centre', b.centreTemplateId, 'body.centreTemplateId'],
  ];
  for (const [type, id, path] of templates) {
    if (!id) continue;
    const t = await repo.findTemplate(ctx.db, id);
    if (!t || t.orgType !== type || (t.regionCode !== null && !region.startsWith(t.regionCode)))
      throw validationError(path, `no checklist for ${type} with that id`);
  }
  return ctx.db.transaction(async (tx) => {
    const round = await repo.insertRound(tx, {
      regionCode: region,
      kind: b.kind,
      period: b.periodCode,
      name: b.name,
      dueOn: b.dueOn,
      createdBy: actor.id,
    });
    if (!round) throw conflict('The district has a round of that period already.', undefined, 'duplicate');
    let count = 0;
    for (const [type, templateId] of templates) {
      if (!templateId) continue;
      const orgs = await repo.openOrgs(tx, region, type);
      count += await repo.insertInspections(
        tx,
        orgs.map((o) => ({
          roundId: round.id,
          orgId: o.id,
          orgType: type,
          regionCode: o.region_code,
          templateId,
          period: b.periodCode,
        })),
      );
    }
    await recordAudit(tx, {
      actor,
      action: 'inspection.round.create',
      targetType: 'inspection_round',
      targetId: round.id,
      regionCode: region,
      detail: { kind: b.kind, period: b.periodCode, inspections: count },
    });
    const [row] = await repo.listRounds(tx, actor, round.id);
    return presentRound(row);
  });
}

export async function listInspections(ctx: AppContext, actor: Actor, q: { roundId?: string; orgId?: string; status?: string }) {
  const rows = await repo.listInspections(ctx.db, actor, q);
  return { items: rows.map(presentSummary), total: rows.length };
}

/** An inspection the actor reaches (else 404), with what `action` needs checked. */
export async function inspectionFor(ctx: AppContext, actor: Actor, id: string, action: Action = 'inspection:read') {
  const [row] = await repo.listInspections(ctx.db, actor, { id });
  if (!row || !can(actor, action, { orgId: row.org_id, regionCode: row.region_code })) throw notFound('Inspection');
  if (action === 'inspection:self' && !selfMay(actor, row)) throw notFound('Inspection');
  return row;
}

/**
 * Who assesses the organisation itself: an institution's own staff; a community centre's, the
 * community's staff (region-scoped holders of inspection:self).
 */
export function selfMay(actor: Actor, row: { org_id: string; org_type: InspectedOrgType }) {
  if (row.org_type === 'institution') return actor.orgId === row.org_id;
  return isRegionScoped(actor);
}

export async function getInspection(ctx: AppContext, actor: Actor, id: string) {
  await inspectionFor(ctx, actor, id);
  return detail(ctx, actor, id);
}

export async function detail(ctx: AppContext, actor: Actor, id: string, db: DbOrTx = ctx.db) {
  const [row] = await repo.listInspections(db, actor, { id });
  if (!row) throw notFound('Inspection');
  const template = await repo.findTemplate(db, row.template_id);
  return presentDetail(row, template, await repo.scoresOf(db, id), await repo.listFindings(db, actor, { inspectionId: id }));
}

function checkLines(items: ChecklistItem[], lines: Array<{ itemCode: string; score: number | null }>) {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const problems = lines.flatMap((l, i) => {
    const p = scoreProblem(byCode, l.itemCode, l.score);
    return p ? [{ path: `body.scores.${i}`, message: `${l.itemCode}: ${p}` }] : [];
  });
  if (new Set(lines.map((l) => l.itemCode)).size !== lines.length)
    problems.push({ path: 'body.scores', message: 'an item twice' });
  if (problems.length) throw unprocessable('Some scores do not fit the checklist.', problems);
}

export async function saveSelfAssessment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { scores: Array<{ itemCode: string; score: number | null; note?: string }>; submit: boolean },
) {
  const row = await inspectionFor(ctx, actor, id, 'inspection:self');
  if (row.status !== 'self_assessment')
    throw conflict('The self-assessment has been handed in already.', undefined, 'already-handled');
  const template = await repo.findTemplate(ctx.db, row.template_id);
  checkLines(template.items, b.scores);
  return ctx.db.transaction(async (tx) => {
    await repo.upsertScores(tx, id, 'self', b.scores);
    const scores = await repo.scoresOf(tx, id);
    if (b.submit) {
      const missing = template.items.filter((it) => scores.find((s) => s.itemCode === it.code)?.selfScore == null);
      if (missing.length)
        throw unprocessable('Score every item before handing the self-assessment in.', [
          { path: 'body.scores', message: `not scored: ${missing.map((m) => m.code).join(', ')}` },
        ]);
    }
    await repo.updateInspection(tx, id, {
      selfScore: sumScores(scores.map((s) => s.selfScore)),
      ...(b.submit ? { status: 'assessing' as const, selfSubmittedAt: new Date() } : {}),
    });
    await recordAudit(tx, {
      actor,
      action: 'inspection.self.save',
      targetType: 'inspection',
      targetId: id,
      regionCode: row.region_code,
      detail: { orgId: row.org_id, items: b.scores.length, submitted: b.submit },
    });
    return detail(ctx, actor, id, tx);
  });
}

export async function saveScores(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { scores: Array<{ itemCode: string; score: number | null; note?: string }> },
) {
  const row = await inspectionFor(ctx, actor, id, 'inspection:assess');
  if (row.status === 'finished') throw conflict('The inspection is finished.', undefined, 'already-handled');
  const template = await repo.findTemplate(ctx.db, row.template_id);
  checkLines(template.items, b.scores);
  return ctx.db.transaction(async (tx) => {
    await repo.upsertScores(tx, id, 'assessor', b.scores);
    await repo.updateInspection(tx, id, { assessorId: actor.id, assessorName: actor.displayName });
    await recordAudit(tx, {
      actor,
      action: 'inspection.score.save',
      targetType: 'inspection',
      targetId: id,
      regionCode: row.region_code,
      detail: { orgId: row.org_id, items: b.scores.length },
    });
    return detail(ctx, actor, id, tx);
  });
}

/** Finish: every item scored by the assessor; the total, the grade (if the checklist gives one) and its history. */
export async function finishInspection(ctx: AppContext, actor: Actor, id: string) {
  const row = await inspectionFor(ctx, actor, id, 'inspection:assess');
  if (row.status === 'finished') throw conflict('The inspection is finished already.', undefined, 'already-handled');
  const template = await repo.findTemplate(ctx.db, row.template_id);
  return ctx.db.transaction(async (tx) => {
    const scores = await repo.scoresOf(tx, id);
    const missing = template.items.filter((it) => scores.find((s) => s.itemCode === it.code)?.score == null);
    if (missing.length)
      throw unprocessable('Score every item before finishing.', [
        { path: 'scores', message: `not scored: ${missing.map((m) => m.code).join(', ')}` },
      ]);
    const total = sumScores(scores.filter((s) => template.items.some((it) => it.code === s.itemCode)).map((s) => s.score));
    const grade = gradeFor(total, template.gradeThresholds);
    const done = await repo.finishInspection(tx, id, {
      totalScore: total,
      grade,
      assessorId: actor.id,
      assessorName: actor.displayName,
    });
    if (!done) throw conflict('The inspection is finished already.', undefined, 'already-handled');
    if (grade !== null)
      await repo.insertGrade(tx, {
        orgId: row.org_id,
        inspectionId: id,
        grade,
        score: total,
        templateCode: template.code,
        awardedOn: todayCst(),
      });
    await recordAudit(tx, {
      actor,
      action: 'inspection.finish',
      targetType: 'inspection',
      targetId: id,
      regionCode: row.region_code,
      detail: { orgId: row.org_id, totalScore: total, grade, selfScore: row.self_score },
    });
    return detail(ctx, actor, id, tx);
  });
}

export async function gradeHistory(ctx: AppContext, actor: Actor, orgId: string) {
  const rows = await repo.operatingStatus(ctx.db, actor, todayCst());
  if (!rows.some((r) => r.org_id === orgId)) throw notFound('Organisation');
  const grades = await repo.gradeHistory(ctx.db, orgId);
  return {
    items: grades.map((g) => ({
      inspectionId: g.inspection_id,
      period: g.period,
      grade: g.grade,
      score: g.score,
      templateCode: g.template_code,
      awardedOn: g.awarded_on,
    })),
    total: grades.length,
  };
}
