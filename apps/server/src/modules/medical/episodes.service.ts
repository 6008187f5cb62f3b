import { ABILITY_LEVEL_LABELS_ZH } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { actorCoversRegion, elderVisibleTo } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, isUniqueViolation, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { withElderPrivate } from '../elders/elders.private.ts';
import * as care from './care.repo.ts';
import { presentBilling, presentEpisode, presentVisit } from './medical.present.ts';
import * as repo from './medical.repo.ts';
import { openEpisodeHealth, sealEpisodeHealth, sealVisitReason } from './medical.sealed.ts';

// 家庭病床 episodes: admission criteria (rules as data), plan, visits, discharge, billing lines.

/** Without a district's own criteria: 60+ and one of these conditions, or moderate to total loss of ability. */
export const DEFAULT_CRITERIA = {
  minAge: 60,
  chronicConditions: ['高血压', '糖尿病', '脑卒中后遗症', '慢阻肺', '冠心病', '恶性肿瘤', '压疮'],
  abilityLevels: ['moderate', 'severe', 'total'] as string[],
};

async function criteriaOf(ctx: AppContext, district: string) {
  const c = await care.getCriteria(ctx.db, district);
  return c ? { minAge: c.min_age, chronicConditions: c.chronic_conditions, abilityLevels: c.ability_levels } : DEFAULT_CRITERIA;
}

export async function getCriteria(ctx: AppContext, _actor: Actor, district: string) {
  const c = await criteriaOf(ctx, district);
  return { regionCode: district, ...c, abilityLevels: c.abilityLevels as Array<'moderate'> };
}

export async function putCriteria(
  ctx: AppContext,
  actor: Actor,
  b: { regionCode: string; minAge: number; chronicConditions: string[]; abilityLevels: string[] },
) {
  if (!actorCoversRegion(actor, b.regionCode)) throw validationError('body.regionCode', 'outside your scope');
  return ctx.db.transaction(async (tx) => {
    await care.putCriteria(tx, { ...b, by: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'medical.home-bed.criteria.set',
      targetType: 'home_bed_criteria',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: b,
    });
    return { ...b, abilityLevels: b.abilityLevels as Array<'moderate'> };
  });
}

/** The check, rule by rule, in words a doctor reads. */
export function checkAgainst(
  c: { minAge: number; chronicConditions: string[]; abilityLevels: string[] },
  e: { age: number; chronic_conditions: string[]; ability_level: string | null },
) {
  const conditions = e.chronic_conditions.filter((x) => c.chronicConditions.includes(x));
  const ability = e.ability_level !== null && c.abilityLevels.includes(e.ability_level);
  const abilityText = e.ability_level ? ABILITY_LEVEL_LABELS_ZH[e.ability_level as 'mild'] : '未评估';
  const checks = [
    { rule: 'min_age' as const, passed: e.age >= c.minAge, detail: `年龄 ${e.age} 岁（要求 ≥ ${c.minAge}）` },
    {
      rule: 'chronic_or_ability' as const,
      passed: conditions.length > 0 || ability,
      detail: conditions.length
        ? `慢性病：${conditions.join('、')}`
        : ability
          ? `能力等级：${abilityText}`
          : `无符合的慢性病，能力等级：${abilityText}`,
    },
  ];
  return { eligible: checks.every((x) => x.passed), checks };
}

async function elderForTeamWork(ctx: AppContext, actor: Actor, elderId: string, today: string) {
  const elder = await repo.findElder(ctx.db, elderVisibleTo(actor) ?? sql`true`, elderId, today);
  if (!elder) throw notFound('Elder');
  return withElderPrivate(ctx.cipher, elder);
}

export async function checkCriteria(ctx: AppContext, actor: Actor, elderId: string) {
  const today = cstDate();
  const elder = await elderForTeamWork(ctx, actor, elderId, today);
  return checkAgainst(await criteriaOf(ctx, elder.region_code.slice(0, 6)), elder);
}

export async function listEpisodes(
  ctx: AppContext,
  actor: Actor,
  q: { status?: 'open' | 'discharged'; regionCode?: string; limit: number; page: number; count?: boolean },
) {
  const today = cstDate();
  const rows = await care.listEpisodes(ctx.db, actor, q, today, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentEpisode(ctx.cipher, r)),
    ...(q.count ? { total: await care.countEpisodes(ctx.db, actor, q) } : {}),
  };
}

async function episodeDetail(ctx: AppContext, db: AppContext['db'], actor: Actor, id: string) {
  const today = cstDate();
  const row = await care.findEpisode(db, actor, id, today);
  if (!row) throw notFound('Episode');
  const [visits, billing] = await Promise.all([
    care.listVisits(db, SYSTEM_ACTOR, { episodeId: id }, today, 200, 0),
    care.billingOf(db, { episodeId: id }),
  ]);
  return {
    ...presentEpisode(ctx.cipher, row),
    criteriaCheck: openEpisodeHealth(ctx.cipher, row.box).criteriaCheck as ReturnType<typeof checkAgainst>,
    visits: visits.map((r) => presentVisit(ctx.cipher, r)),
    billing: billing.map(presentBilling),
  };
}

export async function getEpisode(ctx: AppContext, actor: Actor, id: string) {
  const out = await episodeDetail(ctx, ctx.db, actor, id);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: out.elderId,
    regionCode: out.regionCode,
    detail: { part: 'home_bed_episode', episodeId: id },
  });
  return out;
}

/** Admit (建床): the criteria must pass; the team is the caller's (a doctor) or the elder's contracted team. */
export async function admit(
  ctx: AppContext,
  actor: Actor,
  b: {
    elderId: string;
    teamId?: string;
    diagnosis: string;
    admittedOn: string;
    visitsPerWeek: number;
    planItems: Array<{ code: string; name: string; amountFen: number }>;
  },
) {
  const today = cstDate();
  const elder = await elderForTeamWork(ctx, actor, b.elderId, today);
  const contract = await repo.activeContractOf(ctx.db, elder.id);
  const teamId = b.teamId ?? contract?.team_id;
  if (!teamId) throw validationError('body.teamId', 'the elder has no contracted team; name the team');
  const [team] = await repo.listTeams(ctx.db, actor, { id: teamId });
  if (!team) throw validationError('body.teamId', 'not one of your teams');
  const check = checkAgainst(await criteriaOf(ctx, elder.region_code.slice(0, 6)), elder);
  if (!check.eligible)
    throw unprocessable(
      'The elder does not meet the 家庭病床 admission criteria.',
      check.checks.filter((c) => !c.passed).map((c) => ({ path: `criteria.${c.rule}`, message: c.detail })),
    );
  const memberId = actor.id ? await repo.memberOfUser(ctx.db, actor.id, team.id) : null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const id = await care.insertEpisode(tx, {
        elderId: elder.id,
        teamId: team.id,
        regionCode: elder.region_code,
        privateEnc: sealEpisodeHealth(ctx.cipher, { diagnosis: b.diagnosis, criteriaCheck: check, dischargeSummary: null }),
        admittedOn: b.admittedOn,
        visitsPerWeek: b.visitsPerWeek,
        planItems: b.planItems,
        by: actor.id,
      });
      await care.insertVisit(tx, {
        elderId: elder.id,
        regionCode: elder.region_code,
        teamId: team.id,
        source: 'episode',
        episodeId: id,
        privateEnc: sealVisitReason(ctx.cipher, `家庭病床首次查床：${b.diagnosis}`),
        status: 'scheduled',
        scheduledOn: b.admittedOn,
        memberId,
        requestedBy: actor.id,
      });
      await recordAudit(tx, {
        actor,
        action: 'medical.home-bed.admit',
        targetType: 'home_bed_episode',
        targetId: id,
        regionCode: elder.region_code,
        detail: { elderId: elder.id, teamId: team.id, admittedOn: b.admittedOn, visitsPerWeek: b.visitsPerWeek },
      });
      return episodeDetail(ctx, tx as never, SYSTEM_ACTOR, id);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('This elder already has an open 家庭病床.', undefined, 'duplicate');
    throw e;
  }
}

export async function scheduleEpisodeVisit(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { scheduledOn: string; memberId?: string },
) {
  const today = cstDate();
  const ep = await care.findEpisode(ctx.db, actor, id, today);
  if (!ep) throw notFound('Episode');
  if (ep.status !== 'open') throw conflict('This 家庭病床 is discharged.', undefined, 'invalid-state');
  if (b.scheduledOn < today) throw validationError('body.scheduledOn', 'today or later');
  let memberId: string | null = null;
  if (b.memberId) {
    const m = await repo.findMember(ctx.db, b.memberId);
    if (!m || m.team_id !== ep.team_id || !m.active) throw validationError('body.memberId', 'not an active member of this team');
    memberId = m.id;
  } else if (actor.id) memberId = await repo.memberOfUser(ctx.db, actor.id, ep.team_id);
  return ctx.db.transaction(async (tx) => {
    const visitId = await care.insertVisit(tx, {
      elderId: ep.elder_id,
      regionCode: ep.region_code,
      teamId: ep.team_id,
      source: 'episode',
      episodeId: id,
      privateEnc: sealVisitReason(ctx.cipher, `家庭病床查床：${openEpisodeHealth(ctx.cipher, ep.box).diagnosis}`),
      status: 'scheduled',
      scheduledOn: b.scheduledOn,
      memberId,
      requestedBy: actor.id,
      isDemo: ep.is_demo,
    });
    await recordAudit(tx, {
      actor,
      action: 'medical.visit.schedule',
      targetType: 'medical_visit',
      targetId: visitId,
      regionCode: ep.region_code,
      detail: { elderId: ep.elder_id, episodeId: id, scheduledOn: b.scheduledOn, memberId },
    });
    return presentVisit(ctx.cipher, (await care.findVisit(tx, SYSTEM_ACTOR, visitId, today)) as care.VisitRow);
  });
}

export async function discharge(ctx: AppContext, actor: Actor, id: string, b: { dischargedOn: string; summary: string }) {
  const today = cstDate();
  const ep = await care.findEpisode(ctx.db, actor, id, today);
  if (!ep) throw notFound('Episode');
  if (b.dischargedOn < ep.admitted_on) throw validationError('body.dischargedOn', 'not before the admission day');
  return ctx.db.transaction(async (tx) => {
    const sealed = sealEpisodeHealth(ctx.cipher, { ...openEpisodeHealth(ctx.cipher, ep.box), dischargeSummary: b.summary });
    if (!(await care.dischargeEpisode(tx, id, b.dischargedOn, sealed)))
      throw conflict('This 家庭病床 is already discharged.', undefined, 'invalid-state');
    const cancelled = await care.cancelVisits(tx, { episodeId: id });
    await recordAudit(tx, {
      actor,
      action: 'medical.home-bed.discharge',
      targetType: 'home_bed_episode',
      targetId: id,
      regionCode: ep.region_code,
      detail: { elderId: ep.elder_id, dischargedOn: b.dischargedOn, cancelledVisits: cancelled.length },
    });
    return episodeDetail(ctx, tx as never, SYSTEM_ACTOR, id);
  });
}
