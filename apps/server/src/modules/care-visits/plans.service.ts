import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentMember, presentVisit } from './care-visits.present.ts';
import * as repo from './care-visits.repo.ts';
import * as visits from './visits.repo.ts';

/** Rules and settings are the district's: read by anyone reaching into it, changed by whoever reaches all of it. */
function readDistrict(actor: Actor, district: string) {
  const r = actor.regionCode;
  if (r !== null && !r.startsWith(district) && !district.startsWith(r)) throw notFound('District');
}
function manageDistrict(actor: Actor, district: string) {
  if (!can(actor, 'care_visit:manage', { regionCode: district })) throw notFound('District');
}

const presentRule = (r: repo.RuleRow) => ({
  id: r.id,
  regionCode: r.region_code,
  groups: r.groups as never,
  riskLevel: r.risk_level,
  intervalDays: r.interval_days,
  assigneeKind: r.assignee_kind,
});

export async function listRules(ctx: AppContext, actor: Actor, district: string) {
  readDistrict(actor, district);
  const rows = await repo.listRules(ctx.db, district);
  return { items: rows.map(presentRule), total: rows.length };
}

export async function putRules(
  ctx: AppContext,
  actor: Actor,
  b: { regionCode: string; rules: Array<{ groups: string[]; riskLevel: string; intervalDays: number; assigneeKind?: string }> },
) {
  manageDistrict(actor, b.regionCode);
  const seen = new Set<string>();
  b.rules.forEach((r, i) => {
    const key = [...new Set(r.groups)].sort().join('+');
    if (seen.has(key)) throw validationError(`body.rules.${i}.groups`, 'another rule has the same groups');
    seen.add(key);
  });
  return ctx.db.transaction(async (tx) => {
    await repo.replaceRules(
      tx,
      b.regionCode,
      b.rules.map((r) => ({ ...r, groups: [...new Set(r.groups)] })),
      actor.id,
    );
    await recordAudit(tx, {
      actor,
      action: 'care.rules.replace',
      targetType: 'care_visit_rules',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: { rules: b.rules },
    });
    const rows = await repo.listRules(tx, b.regionCode);
    return { items: rows.map(presentRule), total: rows.length };
  });
}

export async function getSettings(ctx: AppContext, actor: Actor, district: string) {
  readDistrict(actor, district);
  return { regionCode: district, ...(await repo.getSettings(ctx.db, district)) };
}

export async function putSettings(
  ctx: AppContext,
  actor: Actor,
  b: { regionCode: string; escalateAfterDays: number; followUpDays: number },
) {
  manageDistrict(actor, b.regionCode);
  return ctx.db.transaction(async (tx) => {
    const before = await repo.getSettings(tx, b.regionCode);
    await repo.putSettings(tx, b.regionCode, b, actor.id);
    await recordAudit(tx, {
      actor,
      action: 'care.settings.update',
      targetType: 'care_visit_settings',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: { from: before, to: { escalateAfterDays: b.escalateAfterDays, followUpDays: b.followUpDays } },
    });
    return { ...b };
  });
}

/**
 * One district's planning run: groups from the archive, plans from the rules, due visits.
 * Idempotent: a second run on the same day changes nothing.
 */
export async function planDistrict(ctx: AppContext, district: string, today = cstDate()) {
  return ctx.db.transaction(async (tx) => {
    const g = await repo.computeGroups(tx, district, today);
    const plans = await repo.syncPlans(tx, district);
    const scheduled = await repo.scheduleDue(tx, district, today);
    return { ...g, plans, scheduled };
  });
}

/** The nightly job: every district that has visit rules (groups are computed everywhere rules apply). */
export async function planAll(ctx: AppContext, today = cstDate()) {
  const out: Record<string, unknown> = {};
  for (const d of await repo.districtsWithRules(ctx.db)) out[d] = await planDistrict(ctx, d, today);
  return out;
}

export async function computeNow(ctx: AppContext, actor: Actor, district: string) {
  manageDistrict(actor, district);
  const r = await planDistrict(ctx, district);
  await recordAudit(ctx.db, {
    actor,
    action: 'care.groups.compute',
    targetType: 'care_visit_rules',
    targetId: district,
    regionCode: district,
    detail: r,
  });
  return r;
}

/** Open visits past the district's delay go to the street; the street's staff see them as escalated. */
export async function escalateAll(ctx: AppContext, today = cstDate()) {
  let escalated = 0;
  for (const d of await repo.districtsWithRules(ctx.db)) {
    const s = await repo.getSettings(ctx.db, d);
    await ctx.db.transaction(async (tx) => {
      const rows = await repo.escalateOverdue(tx, d, today, s.escalateAfterDays);
      escalated += rows.length;
      if (rows.length)
        await recordAudit(tx, {
          actor: SYSTEM_ACTOR,
          action: 'care.visit.escalate',
          targetType: 'care_visit',
          targetId: d,
          regionCode: d,
          detail: { visits: rows.map((r) => r.id), afterDays: s.escalateAfterDays },
        });
    });
  }
  return { escalated };
}

async function checkAssignee(ctx: AppContext, assigneeId: string, elderRegion: string) {
  const w = await repo.findWorker(ctx.db, assigneeId);
  const fits =
    w &&
    w.status === 'active' &&
    ((repo.ASSIGNABLE_ROLES as readonly string[]).includes(w.role) ||
      (w.role === 'volunteer' && w.volunteer_status === 'approved')) &&
    w.region_code !== null &&
    elderRegion.startsWith(w.region_code);
  if (!fits)
    throw validationError(
      'body.assigneeId',
      'not a community, street or grid worker, or an approved volunteer, of the elder’s area',
    );
  return w;
}

export async function assignPlan(ctx: AppContext, actor: Actor, elderId: string, assigneeId: string) {
  const elder = await repo.findElderFor(ctx.db, actor, elderId);
  if (!elder || !can(actor, 'care_visit:manage', { regionCode: elder.region_code })) throw notFound('Elder');
  const plan = await repo.findPlan(ctx.db, elder.id);
  if (!plan) throw notFound('Visit plan');
  const w = await checkAssignee(ctx, assigneeId, elder.region_code);
  return ctx.db.transaction(async (tx) => {
    await repo.setAssignee(tx, elder.id, w.id);
    await recordAudit(tx, {
      actor,
      action: 'care.plan.assign',
      targetType: 'elder',
      targetId: elder.id,
      regionCode: elder.region_code,
      detail: { from: plan.assignee_id, to: w.id },
    });
    return presentMember(await repo.findMember(tx, elder.id, cstDate()));
  });
}

export async function listWorkers(ctx: AppContext, actor: Actor, regionCode?: string) {
  const rows = await repo.listWorkers(ctx.db, actor, regionCode);
  return {
    items: rows.map((r) => ({ id: r.id, name: r.name, role: r.role, regionCode: r.region_code })),
    total: rows.length,
  };
}

/** Plan one visit now (the radar's "plan a visit"): moves the elder's open visit, or opens one. */
export async function scheduleVisit(ctx: AppContext, actor: Actor, b: { elderId: string; dueOn: string; assigneeId?: string }) {
  const elder = await repo.findElderFor(ctx.db, actor, b.elderId);
  if (!elder || !can(actor, 'care_visit:manage', { regionCode: elder.region_code })) throw notFound('Elder');
  if (elder.status !== 'active') throw validationError('body.elderId', 'the elder’s archive is not active');
  const today = cstDate();
  if (b.dueOn < today) throw validationError('body.dueOn', 'today or later');
  if (b.assigneeId) await checkAssignee(ctx, b.assigneeId, elder.region_code);
  const plan = await repo.findPlan(ctx.db, elder.id);
  return ctx.db.transaction(async (tx) => {
    const id = await visits.insertVisit(tx, {
      planId: plan?.active ? plan.id : null,
      elderId: elder.id,
      regionCode: elder.region_code,
      assigneeId: b.assigneeId ?? (plan?.active ? plan.assignee_id : null) ?? (actor.role === 'system' ? null : actor.id),
      dueOn: b.dueOn,
      isDemo: elder.is_demo,
    });
    await recordAudit(tx, {
      actor,
      action: 'care.visit.schedule',
      targetType: 'care_visit',
      targetId: id,
      regionCode: elder.region_code,
      detail: { elderId: elder.id, dueOn: b.dueOn, assigneeId: b.assigneeId ?? null },
    });
    const row = await visits.findVisit(tx, actor, id);
    return presentVisit(ctx.cipher, row, today);
  });
}
