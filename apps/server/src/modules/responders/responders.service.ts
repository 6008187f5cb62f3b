import { DEFAULT_NAVIGATION_URL, type DispatchStep, navigationUrl } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { findAlarmView } from '../alarms/alarms.repo.ts';
import { updateDispatch } from '../alarms/alarms.service.ts';
import { distanceM } from '../alarms/rules.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import { activeDispatchesOf, findStatus, respondersOnDuty, upsertStatus } from './responders.repo.ts';

/** A position older than this does not count as "available". */
const FRESH_MINUTES = 30;

export async function reportStatus(
  ctx: AppContext,
  actor: Actor,
  input: { onDuty: boolean; lat?: number; lng?: number; accuracy?: number },
) {
  const values = {
    userId: actor.id as string,
    onDuty: input.onDuty,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    accuracy: input.accuracy ?? null,
    seenAt: new Date(),
  };
  await ctx.db.transaction(async (tx) => {
    await upsertStatus(tx, values);
    // Who was on duty where, and when, matters after an incident: each report is in the trail.
    await recordAudit(tx, {
      actor,
      action: 'responder.status',
      targetType: 'user',
      targetId: values.userId,
      detail: { onDuty: values.onDuty, lat: values.lat, lng: values.lng },
    });
  });
  return { onDuty: values.onDuty, lat: values.lat, lng: values.lng, seenAt: values.seenAt.toISOString() };
}

/**
 * Responders for an alarm, nearest first: on duty, position fresh, not busy on another alarm,
 * and responsible for the alarm's area (a region-scoped account whose subtree holds it; provider
 * staff on duty are included too).
 */
export async function nearestResponders(ctx: AppContext, actor: Actor, alarmId: string, limit: number) {
  const v = await findAlarmView(ctx.db, alarmId, actor);
  if (!v) throw notFound('Alarm');
  const here = v.elderLat != null && v.elderLng != null ? { lat: v.elderLat, lng: v.elderLng } : null;
  const candidates = await respondersOnDuty(ctx.db, v.alarm.regionCode, FRESH_MINUTES);
  const items = candidates
    .map((c) => ({
      userId: c.id,
      name: c.display_name,
      role: c.role,
      busy: c.busy,
      lastSeenAt: new Date(c.seen_at).toISOString(),
      distanceM: here && c.lat != null && c.lng != null ? Math.round(distanceM(here, { lat: c.lat, lng: c.lng })) : null,
    }))
    .sort(
      (a, b) =>
        Number(a.busy) - Number(b.busy) || (a.distanceM ?? Number.MAX_SAFE_INTEGER) - (b.distanceM ?? Number.MAX_SAFE_INTEGER),
    );
  return { items: items.slice(0, limit) };
}

/** The responder's own active tasks, with the address and a navigation link. */
export async function myTasks(ctx: AppContext, actor: Actor) {
  const list = await activeDispatchesOf(ctx.db, actor.id ?? '');
  const me = await findStatus(ctx.db, actor.id ?? '');
  return {
    status: me ? { onDuty: me.onDuty, lat: me.lat, lng: me.lng, seenAt: me.seenAt.toISOString() } : null,
    items: list
      .map((x) => ({ ...x, address: x.a.elderId ? openElderPrivate(ctx.cipher, x.elderPrivate).address : null }))
      .map((x) => ({
        dispatchId: x.d.id,
        status: x.d.status,
        alarmId: x.a.id,
        alarmType: x.a.type,
        priority: x.a.priority,
        raisedAt: x.a.raisedAt.toISOString(),
        elderName: x.elderName,
        address: x.address,
        lat: x.lat,
        lng: x.lng,
        navigationUrl: navigationUrl(ctx.config.navigationUrl ?? DEFAULT_NAVIGATION_URL, {
          lat: x.lat,
          lng: x.lng,
          name: x.elderName,
          address: x.address,
        }),
      })),
  };
}

/** The URL's step names (accept, en-route …) → the dispatch states they move to. */
const STEP_STATUS = {
  accept: 'accepted',
  decline: 'declined',
  'en-route': 'en_route',
  'on-site': 'on_site',
  done: 'done',
} as const;

/** The responder takes one step on a dispatch offered to them (accept, decline, en route, on site, done). */
export function respondToDispatch(ctx: AppContext, actor: Actor, dispatchId: string, step: DispatchStep) {
  return updateDispatch(ctx, actor, dispatchId, STEP_STATUS[step]);
}
