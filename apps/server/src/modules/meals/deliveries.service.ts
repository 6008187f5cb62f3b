import type { MealPeriod } from '@zhiyang/shared';
import type { Db } from '../../db/client.ts';
import { can, isPersonAccount, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import * as canteens from './canteens.repo.ts';
import * as repo from './deliveries.repo.ts';
import { asDay, findMeal, visibleElder } from './meals.repo.ts';
import { presentMeals, serveMeal } from './meals.service.ts';
import { deliveryCutoff } from './periods.ts';

/**
 * Meal delivery (送餐入户) for elders who cannot come: booked by the call centre, community staff,
 * the family or the elder for a day and meal period (today or up to a week ahead) from that day's
 * menu, at a canteen that delivers to the elder's community; checked off at the door by the
 * canteen's staff — or by the worker of the service provider the canteen handed it to — with the
 * time and the phone's position: the check-off settles the meal with its subsidy exactly as at
 * the counter (idempotent: a repeated check-off is the same meal).
 */

/** A position farther than this from the elder's recorded address is flagged on the delivery. */
const FAR_METERS = 500;

/**
 * The cutoff rule (送餐截止, `deliveryCutoff`: the meal period's start at the canteen): the elder
 * and the family book before it; the call centre and region staff may still book a meal of the
 * day after it (they arrange it with the canteen on the phone); nobody but the canteen's own
 * staff cancels after it — the meal is being cooked.
 */
export function mayBookNow(actor: Actor, canteenId: string, cutoff: Date, now = new Date()) {
  return actor.orgId === canteenId || !isPersonAccount(actor) || now < cutoff;
}
export function mayCancelNow(actor: Actor, canteenId: string, cutoff: Date, now = new Date()) {
  return actor.orgId === canteenId || now < cutoff;
}
const pastCutoff = (what: string, cutoff: Date) =>
  conflict(`${what} closed at the meal's cutoff (${cutoff.toISOString()}, the meal period's start).`, undefined, 'invalid-state');

export function presentDelivery(cipher: FieldCipher, d: repo.DeliveryView) {
  return {
    id: d.id,
    canteenId: d.canteen_id,
    canteenName: d.canteen_name,
    elderId: d.elder_id,
    elderName: d.elder_name,
    address: openElderPrivate(cipher, d.elder_private).address,
    day: asDay(d.day),
    period: d.period,
    items: d.items,
    note: d.note,
    status: d.status,
    bookedVia: d.booked_role,
    deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null,
    distanceM: d.distance_m,
    far: d.distance_m !== null && d.distance_m > FAR_METERS,
    mealId: d.meal_id,
    cancelReason: d.cancel_reason,
    providerId: d.provider_id,
    providerName: d.provider_name,
    workerId: d.worker_id,
    workerName: d.worker_name,
  };
}

export async function book(
  ctx: AppContext,
  actor: Actor,
  canteenId: string,
  input: {
    elderId: string;
    day: string;
    period: MealPeriod;
    items: Array<{ dishId: string; qty?: number }>;
    note?: string | null;
    providerId?: string | null;
  },
) {
  // Region staff reach the canteens of their region (404 otherwise); the elder and the family any
  // canteen that delivers to the elder's community.
  if (!isPersonAccount(actor) && !(await canteens.findCanteen(ctx.db, actor, canteenId))) throw notFound('Canteen');
  const elder = await visibleElder(ctx.db, actor, input.elderId);
  if (!elder) throw validationError('body.elderId', 'no such elder within your reach');
  const c = await repo.deliveringCanteen(ctx.db, canteenId, elder.region_code);
  if (!c) {
    if (isPersonAccount(actor)) throw notFound('Canteen');
    throw unprocessable("The canteen does not deliver to the elder's community.");
  }
  const today = cstDate();
  if (input.day < today || input.day > addDays(today, 7)) throw validationError('body.day', 'today or within a week');
  const cutoff = deliveryCutoff(await repo.canteenMealPeriods(ctx.db, c.id), input.day, input.period);
  if (!mayBookNow(actor, c.id, cutoff)) throw pastCutoff('Booking', cutoff);
  const menu = new Set((await canteens.menuItems(ctx.db, c.id, input.day, input.day, input.period)).map((d) => d.id));
  input.items.forEach((i, n) => {
    if (!menu.has(i.dishId)) throw validationError(`body.items.${n}.dishId`, `not on the ${input.period} menu of ${input.day}`);
  });
  if (input.providerId && !(await repo.eligibleProviders(ctx.db, [elder.region_code], input.providerId)).length)
    throw validationError('body.providerId', "no approved provider serving the elder's community");
  return ctx.db.transaction(async (tx) => {
    // Handing a delivery to a provider is new work for it: a listed or D-level provider takes none
    // (checked in this transaction, ordered against a listing committing meanwhile).
    if (input.providerId) await assertCreditAllows(tx, input.providerId, 'dispatch');
    const d = await repo.insert(tx, {
      canteenId: c.id,
      elderId: elder.id,
      regionCode: elder.region_code,
      day: input.day,
      period: input.period,
      items: input.items.map((i) => ({ dishId: i.dishId, qty: i.qty ?? 1 })),
      note: input.note ?? null,
      bookedBy: actor.id,
      bookedRole: actor.role,
      providerId: input.providerId ?? null,
      assignedAt: input.providerId ? new Date() : null,
    });
    if (!d) throw conflict('The elder already has a delivery booked for this meal.', undefined, 'duplicate');
    await recordAudit(tx, {
      actor,
      action: 'meal.delivery.book',
      targetType: 'meal_delivery',
      targetId: d.id,
      regionCode: elder.region_code,
      detail: { canteenId: c.id, day: input.day, period: input.period, providerId: input.providerId ?? null },
    });
    return presentDelivery(ctx.cipher, (await repo.find(tx, { ...actor, role: 'system' }, d.id)) as repo.DeliveryView);
  });
}

export async function list(ctx: AppContext, actor: Actor, q: { day?: string; status?: string; canteenId?: string }) {
  const rows = await repo.list(ctx.db, actor, q);
  return { items: rows.map((r) => presentDelivery(ctx.cipher, r)), total: rows.length };
}

/** The deliveries the actor checks off on a day: the canteen's own round, or those handed to a provider's worker. */
export async function round(ctx: AppContext, actor: Actor, q: { day?: string }) {
  const rows = await repo.list(ctx.db, actor, { day: q.day ?? cstDate(), ownRound: true });
  return { items: rows.map((r) => presentDelivery(ctx.cipher, r)), total: rows.length };
}

/** The providers a canteen may hand its deliveries to, with their workers. */
export async function providers(ctx: AppContext, actor: Actor, canteenId: string) {
  const c = await canteens.findCanteen(ctx.db, actor, canteenId);
  if (!c) throw notFound('Canteen');
  const items = await repo.eligibleProviders(ctx.db, c.delivery_communities ?? [], undefined, { creditOk: true });
  return { items, total: items.length };
}

/**
 * The canteen hands a booked delivery to a provider — optionally to one of its workers — or
 * takes it back (`providerId: null`). The provider must be approved and serve the elder's
 * community; the worker must be the provider's.
 */
export async function assign(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { providerId: string | null; workerId?: string | null },
) {
  const d = await visible(ctx, actor, id);
  if (!can(actor, 'meal:serve', { orgId: d.canteen_id }) || isRegionScoped(actor)) throw notFound('Delivery');
  if (d.status !== 'booked') throw conflict(`The delivery is already ${d.status}.`, undefined, 'already-handled');
  let workerId: string | null = null;
  if (input.providerId) {
    const [p] = await repo.eligibleProviders(ctx.db, [d.region_code], input.providerId);
    if (!p) throw validationError('body.providerId', "no approved provider serving the elder's community");
    if (input.workerId) {
      if (!p.workers.some((w) => w.id === input.workerId))
        throw validationError('body.workerId', 'not a worker of this provider');
      workerId = input.workerId;
    }
  } else if (input.workerId) throw validationError('body.workerId', 'a worker needs a provider');
  return ctx.db.transaction(async (tx) => {
    if (input.providerId) await assertCreditAllows(tx, input.providerId, 'dispatch');
    if (!(await repo.assign(tx, d.id, input.providerId, workerId)))
      throw conflict('The delivery changed meanwhile.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'meal.delivery.assign',
      targetType: 'meal_delivery',
      targetId: d.id,
      regionCode: d.region_code,
      detail: { providerId: input.providerId, workerId },
    });
    return presentDelivery(ctx.cipher, (await repo.find(tx, actor, d.id)) as repo.DeliveryView);
  });
}

async function visible(ctx: AppContext, actor: Actor, id: string) {
  const d = await repo.find(ctx.db, actor, id);
  if (!d) throw notFound('Delivery');
  return d;
}

/**
 * Check-off at the door — by the canteen's staff, or by the provider's worker it was handed to
 * (the visibility already says which: a worker sees only those): the meal is settled as at the
 * counter, time and position recorded. `deliveredAt` is when it was handed over (a phone that had
 * no network sends its queued check-off later; it must fall on the delivery's day); `key`, the
 * request's Idempotency-Key, is kept on the delivery, so the same check-off sent again by the same
 * person answers the first one (the same key with another position or time: 422).
 */
export async function deliver(
  ctx: AppContext,
  actor: Actor,
  id: string,
  p: { lat: number; lng: number; payMethod?: 'cash' | 'mobile'; deliveredAt?: string },
  key?: string,
) {
  const d = await visible(ctx, actor, id);
  const deliverer = actor.orgId !== null && (actor.orgId === d.canteen_id || actor.orgId === d.provider_id);
  if (!deliverer || !can(actor, 'meal:deliver')) throw notFound('Delivery');
  if (key && d.deliver_key === key && d.delivered_by === actor.id) return replayCheckOff(ctx, actor, d, p);
  if (d.status !== 'booked') throw conflict(`The delivery is already ${d.status}.`, undefined, 'already-handled');
  const at = p.deliveredAt ? new Date(p.deliveredAt) : new Date();
  if (asDay(d.day) !== cstDate(at)) throw conflict('A delivery is checked off on its day.', undefined, 'invalid-state');
  const distance =
    d.elder_lat !== null && d.elder_lng !== null
      ? Math.round(distanceMeters({ lat: p.lat, lng: p.lng }, { lat: Number(d.elder_lat), lng: Number(d.elder_lng) }))
      : null;
  return (ctx.db as Db).transaction(async (tx) => {
    const c = { ...ctx, db: tx as unknown as Db };
    const meal = await serveMeal(
      c,
      actor,
      d.canteen_id,
      `delivery-${d.id}`,
      {
        elderId: d.elder_id,
        period: d.period,
        items: d.items,
        payMethod: p.payMethod,
        ...(p.deliveredAt ? { eatenAt: at.toISOString() } : {}),
      },
      { delivery: true },
    );
    const row = await repo.close(tx, d.id, {
      status: 'delivered',
      deliveredAt: at,
      deliveredBy: actor.id,
      lat: p.lat,
      lng: p.lng,
      distanceM: distance,
      mealId: meal.id,
      deliverKey: key ?? null,
    });
    if (!row) throw conflict('The delivery was checked off meanwhile.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'meal.delivery.deliver',
      targetType: 'meal_delivery',
      targetId: d.id,
      regionCode: d.region_code,
      detail: {
        mealId: meal.id,
        distanceM: distance,
        far: distance !== null && distance > FAR_METERS,
        ...(p.deliveredAt ? { deliveredAt: at.toISOString() } : {}),
      },
    });
    return { delivery: presentDelivery(ctx.cipher, (await repo.find(tx, actor, d.id)) as repo.DeliveryView), meal };
  });
}

/** The same check-off sent again (its key): the first answer, if it is the same position and time. */
async function replayCheckOff(
  ctx: AppContext,
  actor: Actor,
  d: repo.DeliveryView,
  p: { lat: number; lng: number; deliveredAt?: string },
) {
  const sameTime =
    !p.deliveredAt || (d.delivered_at !== null && new Date(d.delivered_at).getTime() === Date.parse(p.deliveredAt));
  if (Number(d.lat) !== p.lat || Number(d.lng) !== p.lng || !sameTime)
    throw unprocessable('The Idempotency-Key was used for a different check-off.', undefined, 'idempotency-key-reused');
  const row = d.meal_id ? await findMeal(ctx.db, d.meal_id) : undefined;
  if (!row) throw conflict('The delivery changed meanwhile.', undefined, 'changed-meanwhile');
  const [meal] = await presentMeals(ctx, [row]);
  markUnchanged(); // a replay writes nothing, so no audit entry
  return { delivery: presentDelivery(ctx.cipher, (await repo.find(ctx.db, actor, d.id)) as repo.DeliveryView), meal };
}

export async function cancel(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const d = await visible(ctx, actor, id);
  if (d.status !== 'booked') throw conflict(`The delivery is already ${d.status}.`, undefined, 'already-handled');
  const cutoff = deliveryCutoff(await repo.canteenMealPeriods(ctx.db, d.canteen_id), asDay(d.day), d.period);
  if (!mayCancelNow(actor, d.canteen_id, cutoff)) throw pastCutoff('Cancelling', cutoff);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.close(tx, d.id, { status: 'cancelled', cancelReason: reason });
    if (!row) throw conflict('The delivery changed meanwhile.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'meal.delivery.cancel',
      targetType: 'meal_delivery',
      targetId: d.id,
      regionCode: d.region_code,
      detail: { reason },
    });
    return presentDelivery(ctx.cipher, (await repo.find(tx, actor, d.id)) as repo.DeliveryView);
  });
}
