import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { asDay as day } from './meals.repo.ts';
import * as repo from './signals.repo.ts';

/**
 * The missed-meal signal (未就餐提醒): an elder who usually eats at a canteen (at least
 * `minMeals` meals in the last `windowDays` days) and has not come for `absentDays` days is put
 * on the community worker's list — the first input of the risk radar. The rule is data
 * (`meal_signal_settings`, set by the bureau). The daily job is idempotent: at most one signal
 * per elder and day, and one per absence (the same last meal does not raise it again).
 */

export const presentSettings = (s: repo.SignalSettings) => ({
  minMeals: s.minMeals,
  windowDays: s.windowDays,
  absentDays: s.absentDays,
  updatedAt: s.updatedAt.toISOString(),
});

export async function getSettings(ctx: AppContext) {
  return presentSettings(await repo.settings(ctx.db));
}

export async function setSettings(
  ctx: AppContext,
  actor: Actor,
  input: { minMeals: number; windowDays: number; absentDays: number },
) {
  return ctx.db.transaction(async (tx) => {
    const s = await repo.updateSettings(tx, { ...input, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'meal.signal-settings',
      targetType: 'meal_signal_settings',
      detail: input,
    });
    return presentSettings(s);
  });
}

/** Raise the signals of `on` (a China-time day, default today). Safe to run any number of times. */
export async function runMissedMealCheck(ctx: AppContext, on = cstDate()) {
  const s = await repo.settings(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const raised = await repo.raiseSignals(tx, on, s);
    for (const r of raised)
      await ctx.events.publish(tx, {
        type: 'meal.missed',
        data: { id: r.id, elderId: r.elder_id, regionCode: r.region_code, daysAbsent: Number(r.days_absent) },
        audience: { permission: 'meal:signals', regionCode: r.region_code },
      });
    if (raised.length)
      await recordAudit(tx, {
        actor: null,
        action: 'meal.missed-check',
        targetType: 'meal_signal_settings',
        detail: { day: on, raised: raised.length, rule: presentSettings(s) },
      });
    return { day: on, raised: raised.length };
  });
}

export function presentSignal(r: repo.SignalRow) {
  return {
    id: r.id,
    kind: r.kind,
    elderId: r.elder_id,
    elderName: r.elder_name,
    regionCode: r.region_code,
    day: day(r.day),
    lastMealDay: day(r.last_meal_day),
    daysAbsent: Number(r.days_absent),
    mealsInWindow: Number(r.meals_in_window),
    canteenId: r.canteen_id,
    canteenName: r.canteen_name,
    createdAt: new Date(r.created_at).toISOString(),
    status: r.handled_at ? ('handled' as const) : ('open' as const),
    outcome: r.outcome,
    handleNote: r.handle_note,
    handledAt: r.handled_at ? new Date(r.handled_at).toISOString() : null,
    handledByName: r.handled_by_name,
  };
}

export async function listSignals(
  ctx: AppContext,
  actor: Actor,
  q: { day?: string; status?: 'open' | 'handled'; limit: number; page: number },
) {
  const { items, total } = await repo.listSignals(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return { total, items: items.map(presentSignal) };
}

/**
 * The community worker has called the elder (已联系), visited (已上门) or found nothing to do
 * (无需处理, e.g. the family took him away for a week): the signal leaves the open list, with the
 * note, who and when. Out of the worker's region: 404; handled already: 409.
 */
export async function handleSignal(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { outcome: 'called' | 'visited' | 'no_action'; note: string },
) {
  const s = await repo.findSignal(ctx.db, actor, id);
  if (!s) throw notFound('Signal');
  if (s.handled_at) throw conflict('The signal has already been handled.', undefined, 'already-handled');
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.markHandled(tx, id, { by: actor.id, outcome: input.outcome, note: input.note })))
      throw conflict('The signal was handled meanwhile.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'meal.signal.handle',
      targetType: 'meal_signal',
      targetId: id,
      regionCode: s.region_code,
      detail: { elderId: s.elder_id, outcome: input.outcome, note: input.note },
    });
    return presentSignal((await repo.findSignal(tx, actor, id)) as repo.SignalRow);
  });
}
