import type { Campaign, CampaignCoverage, CampaignInput, CampaignPatch } from '@zhiyang/shared';
import { actorCoversRegion, can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { forbidden, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './campaigns.repo.ts';
import { hhmmToMinute, minuteToHhmm, periodStart } from './campaigns.rules.ts';

/** Care-call campaigns (主动关爱): the data that says whom to call, how often, what to ask and when. */

export function presentCampaign(c: repo.CampaignRow): Campaign {
  return {
    id: c.id,
    name: c.name,
    regionCode: c.regionCode,
    target: c.target,
    frequency: c.frequency,
    script: c.script,
    workStart: minuteToHhmm(c.workStartMinute),
    workEnd: minuteToHhmm(c.workEndMinute),
    retryAfterMinutes: c.retryAfterMinutes,
    maxAttemptsPerDay: c.maxAttemptsPerDay,
    visitAfterDays: c.visitAfterDays,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export async function listCampaigns(ctx: AppContext, actor: Actor, includeInactive = false) {
  const rows = await repo.listCampaigns(ctx.db, actor, includeInactive);
  return { items: rows.map(presentCampaign), total: rows.length };
}

export async function createCampaign(ctx: AppContext, actor: Actor, input: CampaignInput) {
  // The campaign's region must lie in the supervisor's own subtree (and exist: a foreign key).
  if (!can(actor, 'call:supervise', { regionCode: input.regionCode }))
    throw validationError('body.regionCode', 'must be a region in your area');
  try {
    return await insertCampaign(ctx, actor, input);
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    if (e?.code === '23503' || e?.cause?.code === '23503') throw validationError('body.regionCode', 'no such region');
    throw err;
  }
}

async function insertCampaign(ctx: AppContext, actor: Actor, input: CampaignInput) {
  return ctx.db.transaction(async (tx) => {
    const c = await repo.insertCampaign(tx, {
      name: input.name,
      regionCode: input.regionCode,
      target: input.target,
      frequency: input.frequency,
      script: input.script,
      workStartMinute: hhmmToMinute(input.workStart),
      workEndMinute: hhmmToMinute(input.workEnd),
      retryAfterMinutes: input.retryAfterMinutes,
      maxAttemptsPerDay: input.maxAttemptsPerDay,
      visitAfterDays: input.visitAfterDays,
      active: input.active,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'care-call.campaign.create',
      targetType: 'care_call_campaign',
      targetId: c.id,
      regionCode: c.regionCode,
      detail: { name: c.name, frequency: c.frequency, target: c.target, questions: c.script.length },
    });
    return presentCampaign(c);
  });
}

export async function updateCampaign(ctx: AppContext, actor: Actor, id: string, patch: CampaignPatch) {
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findCampaign(tx, actor, id);
    if (!before) throw notFound('Campaign');
    // Seen from below (a district campaign seen by a street) but not the actor's to change.
    if (!actorCoversRegion(actor, before.regionCode) && actor.role !== 'system')
      throw forbidden('This campaign belongs to a wider region than yours.');
    const start = patch.workStart !== undefined ? hhmmToMinute(patch.workStart) : before.workStartMinute;
    const end = patch.workEnd !== undefined ? hhmmToMinute(patch.workEnd) : before.workEndMinute;
    if (end <= start) throw validationError('body.workEnd', 'working hours must end after they start');
    const { workStart: _s, workEnd: _e, ...rest } = patch;
    const c = await repo.updateCampaign(tx, id, { ...rest, workStartMinute: start, workEndMinute: end });
    const changed = Object.keys(patch);
    await recordAudit(tx, {
      actor,
      action: 'care-call.campaign.update',
      targetType: 'care_call_campaign',
      targetId: id,
      regionCode: c.regionCode,
      detail: {
        changed,
        ...(patch.active !== undefined && patch.active !== before.active
          ? { active: { from: before.active, to: patch.active } }
          : {}),
      },
    });
    return presentCampaign(c);
  });
}

/** Coverage of each campaign the actor sees, in its current period, counted within the actor's region. */
export async function coverage(ctx: AppContext, actor: Actor, now: Date): Promise<{ items: CampaignCoverage[]; total: number }> {
  const today = cstDate(now);
  const campaigns = await repo.listCampaigns(ctx.db, actor, true);
  const items: CampaignCoverage[] = [];
  for (const c of campaigns) {
    const from = periodStart(c.frequency, today, cstDate(c.createdAt));
    const n = await repo.coverageCounts(ctx.db, actor, c.id, from, today);
    const tallies = await repo.answerTallies(ctx.db, actor, c.id, from, today);
    const questions = c.script.map((q) => {
      const rows = tallies.filter((t) => t.question_key === q.key);
      const counts: Record<string, number> = {};
      if (q.kind === 'choice') for (const o of q.options ?? []) counts[o] = 0;
      if (q.kind === 'scale') for (let i = 1; i <= 5; i++) counts[String(i)] = 0;
      let answered = 0;
      let sum = 0;
      for (const r of rows) {
        answered += r.n;
        if (q.kind === 'choice' && r.choice !== null) counts[r.choice] = (counts[r.choice] ?? 0) + r.n;
        if (q.kind === 'scale' && r.scale !== null) {
          counts[String(r.scale)] = (counts[String(r.scale)] ?? 0) + r.n;
          sum += r.scale * r.n;
        }
      }
      return {
        key: q.key,
        text: q.text,
        kind: q.kind,
        answered,
        counts,
        mean: q.kind === 'scale' && answered ? Math.round((sum / answered) * 100) / 100 : null,
      };
    });
    items.push({
      campaignId: c.id,
      name: c.name,
      frequency: c.frequency,
      active: c.active,
      periodFrom: from,
      periodTo: today,
      targeted: n.targeted,
      reached: n.reached,
      reachedRate: n.targeted ? n.reached / n.targeted : null,
      attempts: n.attempts,
      answeredAttempts: n.answered_attempts,
      answeredRate: n.attempts ? n.answered_attempts / n.attempts : null,
      open: n.open,
      unreached: n.unreached,
      visitTasks: n.visits,
      followUps: { orders: n.orders, alarms: n.alarms, complaints: n.complaints },
      questions,
    });
  }
  return { items, total: items.length };
}
