import { ageOn, type RadarLevel, type RiskThresholds, type RiskWeights } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { actorCoversRegion, can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { scheduleSingleCall } from '../campaigns/single-call.service.ts';
import { scheduleVisit } from '../care-visits/plans.service.ts';
import * as repo from './risk-radar.repo.ts';
import { checkThresholds, mergeSettings } from './risk-radar.rules.ts';
import { scoreDay, trackTopEntries } from './scoring.repo.ts';

/**
 * The risk radar 风险雷达: scoring (the daily run and the on-event update of one elder), the
 * ranked list with its explanation, the automatic task on entering the top level, visits and
 * calls planned from the radar, and the district's weights and thresholds. docs/risk-radar.md.
 */

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function presentEntry(r: repo.RadarRow) {
  const rank = (l: RadarLevel | null) => (l ? ['low', 'watch', 'high', 'top'].indexOf(l) : -1);
  return {
    elderId: r.elder_id,
    elderName: r.elder_name,
    age: r.birth_date ? ageOn(r.birth_date) : null,
    regionCode: r.region_code,
    regionName: r.region_name,
    lat: r.lat,
    lng: r.lng,
    day: r.day,
    score: Number(r.score),
    level: r.level,
    previousLevel: r.prev_level,
    isNew: rank(r.level) >= 1 && rank(r.prev_level) < rank(r.level),
    signals: r.signals,
    openTasks: (r.open_tasks ?? []) as Array<'top_entry' | 'visit' | 'call'>,
    computedAt: iso(r.computed_at) as string,
  };
}

function presentTask(t: repo.TaskRow) {
  return {
    id: t.id,
    elderId: t.elderId,
    elderName: t.elderName,
    regionCode: t.regionCode,
    regionName: t.regionName,
    kind: t.kind,
    enteredOn: t.enteredOn,
    score: Number(t.score),
    signals: t.signals,
    note: t.note,
    careCallTaskId: t.careCallTaskId,
    careVisitId: t.careVisitId,
    createdAt: iso(t.createdAt) as string,
    doneAt: iso(t.doneAt),
    doneNote: t.doneNote,
  };
}

/**
 * Score every active elder for `day` (China date, default today) as of now, record the run and
 * open the tasks of elders who entered the top level. Safe to rerun: the day's scores are replaced,
 * and an entry opens its task once.
 */
export async function runDaily(ctx: AppContext, actor: Actor | null = null, day = cstDate(), asOf = new Date()) {
  const started = performance.now();
  return ctx.db.transaction(async (tx) => {
    const { scored, top } = await scoreDay(tx, day, asOf);
    const opened = await trackTopEntries(tx, day);
    const ms = Math.round(performance.now() - started);
    await repo.recordRun(tx, { day, scored, top, tasksOpened: opened.length, ms });
    await publishUpdated(ctx, tx, day, null, opened);
    await recordAudit(tx, {
      actor,
      action: actor ? 'risk.run' : 'risk.scored',
      targetType: 'risk_run',
      targetId: day,
      detail: { day, scored, top, tasksOpened: opened.length },
    });
    return { day, scored, top, tasksOpened: opened.length, ms };
  });
}

/**
 * The on-event update: rescore these elders on the radar's current day (the latest full run),
 * as of now, and open a task if one entered the top level. Before the first full run there is no
 * radar to update; the daily run picks everything up.
 */
export async function updateElders(ctx: AppContext, elderIds: string[]) {
  const ids = [...new Set(elderIds)];
  if (!ids.length) return null;
  return ctx.db.transaction(async (tx) => {
    const day = await repo.latestRunDay(tx);
    if (!day) return null;
    const { scored, top } = await scoreDay(tx, day, new Date(), ids);
    const opened = await trackTopEntries(tx, day, ids);
    await publishUpdated(ctx, tx, day, ids, opened);
    if (opened.length)
      await recordAudit(tx, {
        actor: null,
        action: 'risk.scored',
        targetType: 'risk_run',
        targetId: day,
        detail: { day, elders: ids.length, tasksOpened: opened.length },
      });
    return { day, scored, top, tasksOpened: opened.length };
  });
}

/**
 * Tell the radar pages over these elders' communities that the list changed (`risk.updated`, one
 * per community, after commit): ids only, no names or scores — each page re-reads its own scoped
 * list. `entered`: how many of them entered the top level (a task opened).
 */
async function publishUpdated(ctx: AppContext, tx: DbOrTx, day: string, ids: string[] | null, opened: unknown[]) {
  for (const r of await repo.elderRegions(tx, ids)) {
    await ctx.events.publish(tx, {
      type: 'risk.updated',
      data: { day, elderIds: r.elder_ids, entered: ids ? opened.length : 0 },
      audience: { permission: 'risk:read', regionCode: r.region_code },
    });
  }
}

export async function listRadar(
  ctx: AppContext,
  actor: Actor,
  q: { level?: RadarLevel; newOnly?: 'true' | 'false'; regionCode?: string; limit: number; page: number },
) {
  const day = await repo.latestRunDay(ctx.db);
  if (!day) return { day: null, items: [], total: 0, newCount: 0 };
  if (q.regionCode && !actorCoversRegion(actor, q.regionCode)) throw notFound('Region');
  const prevDay = await repo.latestRunDay(ctx.db, day);
  const r = await repo.listRadar(
    ctx.db,
    actor,
    { day, prevDay, minLevel: q.level ?? 'watch', newOnly: q.newOnly === 'true', regionCode: q.regionCode },
    q.limit,
    (q.page - 1) * q.limit,
  );
  return { day, items: r.items.map(presentEntry), total: r.total, newCount: r.newCount };
}

export async function getElderRisk(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const day = await repo.latestRunDay(ctx.db);
  const prevDay = day ? await repo.latestRunDay(ctx.db, day) : null;
  const row = day ? await repo.elderEntry(ctx.db, elderId, day, prevDay) : undefined;
  const history = await repo.history(ctx.db, elderId, addDays(cstDate(), -30));
  await recordReadAudit(ctx.db, {
    actor,
    action: 'risk.read',
    targetType: 'elder',
    targetId: elderId,
    regionCode: elder.region_code,
  });
  return { current: row ? presentEntry(row) : null, history: history.map((h) => ({ ...h, score: Number(h.score) })) };
}

/**
 * Plan a visit or a call for an elder from the radar. A visit is a care visit due today through
 * the care-visits module (it moves the elder's open visit to today, or opens one, assigned to the
 * elder's visit plan's worker or else to the planner); a call puts the elder on today's care-call
 * list (campaigns module). Either way a radar task records it with the reasons of the moment.
 * An open plan of the same kind is answered again rather than doubled.
 */
export async function plan(ctx: AppContext, actor: Actor, elderId: string, body: { kind: 'visit' | 'call'; note?: string }) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const existing = await repo.openTaskOf(ctx.db, elderId, body.kind);
  if (existing) {
    markUnchanged();
    return presentTask(await mustTask(ctx.db, actor, existing));
  }
  // The care-visits service commits its visit in its own transaction; a repeat finds the open task.
  const careVisitId = body.kind === 'visit' ? (await scheduleVisit(ctx, actor, { elderId, dueOn: cstDate() })).id : null;
  return ctx.db.transaction(async (tx) => {
    const day = await repo.latestRunDay(tx);
    const entry = day ? await repo.elderEntry(tx, elderId, day, null) : undefined;
    let careCallTaskId: string | null = null;
    if (body.kind === 'call') {
      const task = await scheduleSingleCall(
        tx,
        { id: elder.id, regionCode: elder.region_code, optOut: elder.care_call_opt_out },
        cstDate(),
      );
      if (!task) throw conflict('The elder asked not to be called (拒绝回访).', undefined, 'invalid-state');
      careCallTaskId = task.id;
    }
    const id = await repo.insertTask(tx, {
      elderId,
      regionCode: elder.region_code,
      kind: body.kind,
      score: entry ? Number(entry.score) : 0,
      signals: entry?.signals ?? [],
      note: body.note || null,
      careCallTaskId,
      careVisitId,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'risk.plan',
      targetType: 'risk_task',
      targetId: id,
      regionCode: elder.region_code,
      detail: { kind: body.kind, elderId, score: entry ? Number(entry.score) : 0, careCallTaskId, careVisitId },
    });
    return presentTask(await mustTask(tx, actor, id));
  });
}

async function mustTask(db: AppContext['db'], actor: Actor, id: string) {
  const t = await repo.findTask(db, actor, id);
  if (!t) throw notFound('Risk task');
  return t;
}

export async function listTasks(ctx: AppContext, actor: Actor, q: { open?: 'true' | 'false'; limit: number; page: number }) {
  const r = await repo.listTasks(ctx.db, actor, q.open === 'true', q.limit, (q.page - 1) * q.limit);
  return { items: r.items.map(presentTask), total: r.total };
}

export async function completeTask(ctx: AppContext, actor: Actor, id: string, note?: string) {
  return ctx.db.transaction(async (tx) => {
    const t = await mustTask(tx, actor, id);
    if (t.doneAt) {
      markUnchanged();
      return presentTask(t);
    }
    await repo.markDone(tx, id, actor.id, note || null);
    await recordAudit(tx, {
      actor,
      action: 'risk.task.done',
      targetType: 'risk_task',
      targetId: id,
      regionCode: t.regionCode,
      detail: { kind: t.kind, elderId: t.elderId },
    });
    return presentTask(await mustTask(tx, actor, id));
  });
}

async function presentSettings(ctx: AppContext, code: string) {
  const d = await repo.district(ctx.db, code);
  if (!d) throw notFound('District');
  const row = await repo.settingsRow(ctx.db, code);
  return {
    districtCode: code,
    districtName: d.name,
    ...mergeSettings(row),
    customised: !!row,
    updatedAt: iso(row?.updatedAt ?? null),
  };
}

/** The district of the actor's region (its first 6 digits), or the one asked for within reach. */
function districtOf(actor: Actor, asked?: string) {
  const code = asked ?? actor.regionCode?.slice(0, 6);
  if (!code) throw badRequest('Name the district (districtCode).');
  // A street or community user reads the settings of the district they belong to.
  if (!actorCoversRegion(actor, code) && !(actor.regionCode ?? '').startsWith(code)) throw notFound('District');
  return code;
}

export const getSettings = (ctx: AppContext, actor: Actor, districtCode?: string) =>
  presentSettings(ctx, districtOf(actor, districtCode));

export async function setSettings(
  ctx: AppContext,
  actor: Actor,
  body: { districtCode: string; weights: RiskWeights; thresholds: RiskThresholds },
) {
  if (!can(actor, 'risk:manage', { regionCode: body.districtCode })) throw notFound('District');
  const problems = checkThresholds(body.thresholds);
  if (problems.length) throw badRequest('The score bands must rise: 关注 < 高 < 极高.', problems);
  if (!(await repo.district(ctx.db, body.districtCode))) throw notFound('District');
  await ctx.db.transaction(async (tx) => {
    await repo.upsertSettings(tx, { ...body, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'risk.settings',
      targetType: 'risk_settings',
      targetId: body.districtCode,
      regionCode: body.districtCode,
      detail: { weights: body.weights, thresholds: body.thresholds },
    });
  });
  return presentSettings(ctx, body.districtCode);
}
