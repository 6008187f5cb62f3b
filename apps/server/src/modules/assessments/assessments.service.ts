import {
  ASSESSMENT_ITEMS,
  type AssessmentBackground,
  type AssessmentReason,
  scoreAssessment,
  validateScores,
} from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, conflict, notFound, validationError } from '../../lib/errors.ts';
import { isoDate } from '../../lib/http.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { todayCn } from '../elders/elders.present.ts';
import * as elders from '../elders/elders.repo.ts';
import * as repo from './assessments.repo.ts';

export interface AssessmentInput {
  elderId: string;
  reason: AssessmentReason;
  assessedOn: string;
  location?: string | null;
  background: AssessmentBackground & { diagnoses?: string[] };
  scores: Record<string, number>;
  notes?: string | null;
  correctsId?: string;
  correctionReason?: string;
}

export function presentAssessment(a: repo.AssessmentRow, elderName?: string) {
  return {
    id: a.id,
    elderId: a.elderId,
    elderName: elderName ?? null,
    regionCode: a.regionCode,
    reason: a.reason,
    assessedOn: a.assessedOn,
    location: a.location,
    background: { ...a.background, diagnoses: a.background.diagnoses ?? [] },
    scores: a.scores,
    subtotals: a.subtotals,
    total: a.total,
    preliminaryLevel: a.preliminaryLevel,
    level: a.level,
    adjustments: a.adjustments,
    notes: a.notes,
    status: a.status,
    locked: a.status !== 'draft' || a.assessor1Id !== null,
    correctsId: a.correctsId,
    correctionReason: a.correctionReason,
    assessors: [
      a.assessor1Id ? { id: a.assessor1Id, name: a.assessor1Name ?? '', signedAt: isoDate(a.assessor1SignedAt) as string } : null,
      a.assessor2Id ? { id: a.assessor2Id, name: a.assessor2Name ?? '', signedAt: isoDate(a.assessor2SignedAt) as string } : null,
    ].filter((x) => x !== null),
    nextDue: a.nextDue,
    createdAt: isoDate(a.createdAt) as string,
  };
}

function score(input: Pick<AssessmentInput, 'scores' | 'background'>) {
  const problems = validateScores(input.scores);
  if (problems.length)
    throw new AppError(
      400,
      'Validation failed',
      problems.map((p) => `body.scores.${p.key}: ${p.message}`).join('; '),
      problems.map((p) => ({ path: `body.scores.${p.key}`, message: p.message })),
      'validation',
    );
  return scoreAssessment(input.scores, input.background);
}

function checkDate(d: string) {
  if (d > todayCn()) throw validationError('body.assessedOn', 'cannot be in the future');
}

export async function createAssessment(ctx: AppContext, actor: Actor, input: AssessmentInput) {
  const elder = await elders.findVisibleElder(ctx.db, actor, input.elderId);
  if (!elder) throw validationError('body.elderId', 'unknown elder or outside your region');
  checkDate(input.assessedOn);
  const result = score(input);
  if (input.correctsId) {
    const old = await repo.findVisible(ctx.db, actor, input.correctsId);
    if (!old || old.elderId !== input.elderId) throw validationError('body.correctsId', 'unknown assessment of this elder');
    if (old.status !== 'signed') throw conflict('Only a signed, current assessment can be corrected.');
    if (!input.correctionReason) throw validationError('body.correctionReason', 'say why the assessment is corrected');
  }
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAssessment(tx, {
      elderId: elder.id,
      regionCode: elder.regionCode,
      reason: input.reason,
      assessedOn: input.assessedOn,
      location: input.location ?? null,
      background: { ...input.background, diagnoses: input.background.diagnoses ?? [] },
      scores: input.scores,
      ...result,
      notes: input.notes ?? null,
      correctsId: input.correctsId ?? null,
      correctionReason: input.correctionReason ?? null,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'assessment.create',
      targetType: 'assessment',
      targetId: row.id,
      regionCode: row.regionCode,
      detail: { elderId: elder.id, total: row.total, level: row.level, correctsId: row.correctsId },
    });
    return presentAssessment(row, elder.name);
  });
}

/** A draft nobody has signed yet can still be changed; a signature locks it. */
export async function updateAssessment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: Partial<Omit<AssessmentInput, 'elderId' | 'correctsId'>>,
) {
  const a = await repo.findVisible(ctx.db, actor, id);
  if (!a) throw notFound('Assessment');
  if (a.status !== 'draft' || a.assessor1Id) throw conflict('The assessment is signed and locked; record a correction instead.');
  if (patch.assessedOn) checkDate(patch.assessedOn);
  const scores = patch.scores ?? a.scores;
  const background = patch.background ?? a.background;
  const result = score({ scores, background });
  return ctx.db.transaction(async (tx) => {
    const row = await repo.updateAssessment(tx, id, {
      ...patch,
      background: { ...background, diagnoses: background.diagnoses ?? [] },
      scores,
      ...result,
    });
    await recordAudit(tx, {
      actor,
      action: 'assessment.update',
      targetType: 'assessment',
      targetId: id,
      regionCode: row.regionCode,
      detail: { changed: Object.keys(patch), total: row.total, level: row.level },
    });
    return presentAssessment(row);
  });
}

const addMonths = (iso: string, months: number) => {
  const [y, m, d] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 0)).getUTCDate();
  dt.setUTCDate(Math.min(d, last));
  return dt.toISOString().slice(0, 10);
};

/**
 * Sign as one of the two assessors. The second, different assessor's signature locks the
 * assessment, sets the elder's current level and next-due date, and supersedes the assessment
 * it corrects.
 */
export async function signAssessment(ctx: AppContext, actor: Actor, id: string) {
  return ctx.db.transaction(async (tx) => {
    const a = await repo.findVisible(tx, actor, id, true);
    if (!a) throw notFound('Assessment');
    if (a.status !== 'draft') throw conflict('The assessment is already signed by two assessors.', undefined, 'already-handled');
    if (a.assessor1Id === actor.id) throw conflict('You have signed already; a second assessor must sign.');
    const now = new Date();
    if (!a.assessor1Id) {
      const row = await repo.updateAssessment(tx, id, {
        assessor1Id: actor.id,
        assessor1Name: actor.displayName,
        assessor1SignedAt: now,
      });
      await recordAudit(tx, {
        actor,
        action: 'assessment.sign',
        targetType: 'assessment',
        targetId: id,
        regionCode: a.regionCode,
        detail: { slot: 1 },
      });
      return presentAssessment(row);
    }
    const months = await repo.intervalMonths(tx);
    const nextDue = addMonths(a.assessedOn, months);
    const row = await repo.updateAssessment(tx, id, {
      assessor2Id: actor.id,
      assessor2Name: actor.displayName,
      assessor2SignedAt: now,
      status: 'signed',
      nextDue,
    });
    if (a.correctsId) await repo.updateAssessment(tx, a.correctsId, { status: 'superseded' });
    if (!(await repo.newerSigned(tx, a.elderId, id, a.assessedOn)))
      await elders.updateElder(tx, a.elderId, { abilityLevel: row.level, nextAssessmentDue: nextDue });
    await recordAudit(tx, {
      actor,
      action: 'assessment.sign',
      targetType: 'assessment',
      targetId: id,
      regionCode: a.regionCode,
      detail: { slot: 2, level: row.level, total: row.total, nextDue },
    });
    await ctx.events.publish(tx, {
      type: 'assessment.signed',
      data: { id, elderId: a.elderId, level: row.level, total: row.total, nextDue, correctsId: a.correctsId },
      audience: { permission: 'assessment:read', regionCode: a.regionCode },
    });
    return presentAssessment(row);
  });
}

export async function getAssessment(ctx: AppContext, actor: Actor, id: string) {
  const a = await repo.findVisible(ctx.db, actor, id);
  if (!a) throw notFound('Assessment');
  await recordReadAudit(ctx.db, {
    actor,
    action: 'assessment.read',
    targetType: 'assessment',
    targetId: id,
    regionCode: a.regionCode,
    detail: { elderId: a.elderId },
  });
  const e = await elders.findElder(ctx.db, a.elderId);
  return presentAssessment(a, e?.name);
}

export async function listAssessments(ctx: AppContext, actor: Actor, f: repo.AssessmentFilter, limit: number, page: number) {
  const { items, total } = await repo.listAssessments(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: items.map((r) => presentAssessment(r.a, r.elderName)), total };
}

export async function dueList(
  ctx: AppContext,
  actor: Actor,
  regionCode: string | undefined,
  withinDays: number,
  limit: number,
  page: number,
) {
  const today = todayCn();
  const until = new Date(Date.parse(today) + withinDays * 86400_000).toISOString().slice(0, 10);
  const { items, total } = await repo.dueElders(ctx.db, actor, regionCode, until, limit, (page - 1) * limit);
  return {
    items: items.map((e) => ({
      ...e,
      overdue: e.nextAssessmentDue === null || e.nextAssessmentDue < today,
      neverAssessed: e.nextAssessmentDue === null,
    })),
    total,
  };
}

export async function dueSummary(ctx: AppContext, actor: Actor, regionCode: string | undefined, withinDays: number) {
  const today = todayCn();
  const until = new Date(Date.parse(today) + withinDays * 86400_000).toISOString().slice(0, 10);
  return repo.dueSummary(ctx.db, actor, regionCode, today, until);
}

/** The 26 items of GB/T 42195-2022, as the form needs them. */
export function itemCatalogue() {
  return ASSESSMENT_ITEMS.map((i) => ({ ...i }));
}

export async function getSettings(ctx: AppContext) {
  return { intervalMonths: await repo.intervalMonths(ctx.db) };
}

export async function setSettings(ctx: AppContext, actor: Actor, intervalMonths: number) {
  await ctx.db.transaction(async (tx) => {
    await repo.setIntervalMonths(tx, intervalMonths);
    await recordAudit(tx, { actor, action: 'assessment.settings', detail: { intervalMonths } });
  });
  return { intervalMonths };
}
