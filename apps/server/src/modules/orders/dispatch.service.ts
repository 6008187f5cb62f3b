import { randomUUID } from 'node:crypto';
import type { DispatchExplanation } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import { isRegionScoped } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstDayStart } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import { findElder } from '../elders/service-elders.repo.ts';
import { packageProvider } from '../family-beds/package.service.ts';
import { dispatchCandidates, lockDispatchCandidates, offeringPrice, providerStanding } from '../providers/providers.repo.ts';
import { regionPosition } from '../regions/regions.repo.ts';
import * as repo from './orders.repo.ts';
import { offerDeadline } from './service-settings.repo.ts';
import { note, transition, transitionWithOffer } from './transition.ts';

/**
 * The dispatch score (0–1), documented in docs/service-loop.md:
 *   0.5 × distance  (1 at the nearest site's door, 0 at 10 km or more)
 * + 0.3 × rating    (average of 1–5 ratings with a prior of three 4-star ratings, ÷ 5)
 * + 0.2 × load      (1 − orders already booked that day ÷ daily capacity)
 * Only providers that serve the elder's community, offer the item, are approved (not
 * suspended), are not on the dishonesty list, have an assignable worker, free capacity that
 * day and free capacity in the time slot of the booked start are candidates. A slot is
 * `slot_minutes` long counted from midnight (China time) and holds `slot_capacity` orders (no
 * slot limit when unset, only the daily one). Ties go to the lower provider id, so the result
 * is reproducible.
 */
export const DISPATCH_WEIGHTS = { distance: 0.5, rating: 0.3, load: 0.2 } as const;
export const DISTANCE_ZERO_KM = 10;
const RATING_PRIOR = { count: 3, mean: 4 };

export interface Candidate {
  providerId: string;
  providerName: string;
  priceFen: number;
  distanceKm: number | null;
  nearestSite: string | null;
  rating: number;
  ratingCount: number;
  load: number;
  capacity: number;
  /** The slot of the booked start: [slotStart, slotEnd), orders already in it, and its room. */
  slotStart: string;
  slotEnd: string;
  slotLoad: number;
  /** null: no limit per slot. */
  slotCapacity: number | null;
  components: { distance: number; rating: number; load: number };
  score: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Rank the candidate providers for an order (best first), with the parts of each score. */
export async function rankCandidates(
  db: DbOrTx,
  order: repo.OrderRow,
  home: { lat: number; lng: number } | null,
  only?: string[],
): Promise<Candidate[]> {
  const day = cstDate(order.scheduledAt);
  const dayStart = cstDayStart(day).toISOString();
  const dayEnd = cstDayStart(addDays(day, 1)).toISOString();
  const rows = await dispatchCandidates(db, {
    orderId: order.id,
    itemId: order.itemId,
    regionCode: order.regionCode,
    day,
    dayStart,
    dayEnd,
    at: order.scheduledAt.toISOString(),
    only,
  });
  const out: Candidate[] = [];
  for (const c of rows) {
    const load = Number(c.load);
    if (load >= c.daily_capacity) continue;
    const slotLoad = Number(c.slot_load);
    const slotCapacity = c.slot_capacity;
    if (slotCapacity !== null && slotLoad >= slotCapacity) continue;
    const slotStart = new Date(c.slot_start);
    let distanceKm: number | null = null;
    let nearestSite: string | null = null;
    if (home) {
      for (const s of c.sites ?? []) {
        const d = distanceMeters(home, s) / 1000;
        if (distanceKm === null || d < distanceKm) {
          distanceKm = d;
          nearestSite = s.name;
        }
      }
    }
    const rating = (c.rating_sum + RATING_PRIOR.count * RATING_PRIOR.mean) / (c.rating_count + RATING_PRIOR.count);
    const components = {
      distance: distanceKm === null ? 0.5 : Math.max(0, 1 - distanceKm / DISTANCE_ZERO_KM),
      rating: rating / 5,
      load: 1 - load / c.daily_capacity,
    };
    const score =
      DISPATCH_WEIGHTS.distance * components.distance +
      DISPATCH_WEIGHTS.rating * components.rating +
      DISPATCH_WEIGHTS.load * components.load;
    out.push({
      providerId: c.id,
      providerName: c.name,
      priceFen: c.price_fen,
      distanceKm: distanceKm === null ? null : round(distanceKm, 2),
      nearestSite,
      rating: round(rating, 2),
      ratingCount: c.rating_count,
      load,
      capacity: c.daily_capacity,
      slotStart: slotStart.toISOString(),
      slotEnd: new Date(slotStart.getTime() + c.slot_minutes * 60_000).toISOString(),
      slotLoad,
      slotCapacity,
      components: { distance: round(components.distance), rating: round(components.rating), load: round(components.load) },
      score: round(score, 4),
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.providerId < b.providerId ? -1 : 1));
}

/** HH:MM in China time. */
const cstClock = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(11, 16);

/** A sentence for the console: why this provider. */
export function explainChoice(c: Candidate, others: number): string {
  const dist = c.distanceKm === null ? 'elder home position unknown' : `nearest site ${c.nearestSite} ${c.distanceKm} km away`;
  const slot = `${c.slotLoad}${c.slotCapacity === null ? '' : `/${c.slotCapacity}`} booked in the ${cstClock(c.slotStart)}–${cstClock(c.slotEnd)} slot`;
  return `Score ${c.score}: ${dist}; rating ${c.rating} (${c.ratingCount} ratings); ${c.load}/${c.capacity} orders that day; ${slot}. Best of ${others + 1} candidates.`;
}

async function homeOf(db: DbOrTx, elderId: string, regionCode: string) {
  const e = await findElder(db, elderId);
  if (e?.lat != null && e?.lng != null) return { lat: e.lat, lng: e.lng };
  const reg = await regionPosition(db, regionCode);
  return reg?.lat != null && reg?.lng != null ? { lat: reg.lat, lng: reg.lng } : null;
}

/**
 * Offer the order to the best candidate (status dispatched), or leave it `created` with a
 * history note when there is none (the call centre dispatches by hand). A delayed job moves
 * it on if the provider does not answer in time; the sweep is the backstop.
 */
export async function autoDispatch(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  order: repo.OrderRow,
  /** The elder's home when the caller has just read it (undefined: read it here). */
  knownHome?: { lat: number; lng: number },
) {
  const home = knownHome ?? (await homeOf(tx, order.elderId, order.regionCode));
  // Two orders racing for a provider's last place in a slot: lock every possible candidate (in
  // id order, in one statement, so no two dispatches deadlock), then count under the locks; the
  // second waits for the first to commit, then sees its order and moves on to the next provider.
  let ids = await lockDispatchCandidates(tx, { itemId: order.itemId, regionCode: order.regionCode });
  // A package order goes to the bed's contracted provider only: another provider's visit is not the package's.
  if (order.payment === 'package') {
    const bedProvider = await packageProvider(tx, order.elderId);
    ids = ids.filter((id) => id === bedProvider);
  }
  const ranked = ids.length ? await rankCandidates(tx, order, home, ids) : [];
  if (!ranked.length) {
    await note(
      tx,
      actor,
      order,
      'dispatch-failed',
      'No provider serves this community with this item and free capacity in the booked slot; dispatch by hand.',
    );
    return order;
  }
  const best = ranked[0];
  const explain: DispatchExplanation = {
    why: explainChoice(best, ranked.length - 1),
    mode: 'auto',
    candidateCount: ranked.length,
    weights: DISPATCH_WEIGHTS,
    chosen: best,
    runnersUp: ranked.slice(1, 5),
  };
  return offer(ctx, tx, actor, order, best.providerId, 'auto', best.score, explain, null);
}

async function offer(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  order: repo.OrderRow,
  providerId: string,
  mode: 'auto' | 'manual',
  score: number | null,
  explain: Record<string, unknown>,
  reason: string | null,
) {
  // The offer is written by the move's own statement, open for the service rules' acceptMinutes.
  const offerId = randomUUID();
  const { next, offerExpiresAt } = await transitionWithOffer(
    ctx,
    tx,
    actor,
    order,
    {
      from: ['created', 'dispatched'],
      to: 'dispatched',
      action: mode === 'auto' ? 'dispatch' : 'dispatch-manual',
      reason,
      detail: { providerId, score, offerId },
      patch: { providerId, workerId: null, dispatchMode: mode, dispatchScore: explain },
    },
    { id: offerId, providerId, mode, score, explain, expiresAt: offerDeadline() },
  );
  const expiresAt = offerExpiresAt ?? new Date();
  if (ctx.boss) {
    // In a savepoint: a job system that is not ready (no queue yet on a fresh database) must not
    // fail the order; the sweep job times the offer out anyway.
    await tx
      .transaction((sp) => sendJob(ctx, sp, 'service-orders.offer-timeout', { offerId }, { startAfter: expiresAt }))
      .catch((err) => ctx.log.warn({ err, offerId }, 'offer timeout job not queued; the sweep will handle it'));
  }
  return next;
}

/** The operator's view: every candidate with its score, for the dispatch screen (region staff only). */
export async function candidatesFor(ctx: AppContext, actor: Actor, order: repo.OrderRow) {
  if (!isRegionScoped(actor)) throw notFound('Service order');
  const ranked = await rankCandidates(ctx.db, order, await homeOf(ctx.db, order.elderId, order.regionCode));
  return { weights: DISPATCH_WEIGHTS, items: ranked };
}

/** Manual dispatch or override by the call centre, with a reason (audited). */
export async function manualDispatch(ctx: AppContext, actor: Actor, order: repo.OrderRow, providerId: string, reason: string) {
  if (!isRegionScoped(actor)) throw notFound('Service order');
  const p = await providerStanding(ctx.db, providerId, order.itemId);
  if (!p) throw validationError('body.providerId', 'unknown provider');
  if (order.payment === 'package' && (await packageProvider(ctx.db, order.elderId)) !== providerId)
    throw validationError('body.providerId', 'not the provider of the elder’s family care bed (the package pays this order)');
  if (p.approval_status !== 'approved' || p.dishonest)
    throw conflict(
      'This provider is not approved, is suspended or is on the dishonesty list.',
      undefined,
      'provider-unavailable',
    );
  if (!p.offers) throw conflict('This provider does not offer the item.', undefined, 'not-offered');
  return ctx.db.transaction(async (tx) => {
    // Listed on the dishonesty list or at credit level D: no new dispatch (credit module). Checked
    // in this transaction, so a listing committing meanwhile is seen or waits for the offer.
    await assertCreditAllows(tx, providerId, 'dispatch');
    const current = await repo.openOffer(tx, order.id);
    if (current) await repo.closeOffer(tx, current.id, 'withdrawn', `override: ${reason}`);
    const next = await offer(
      ctx,
      tx,
      actor,
      order,
      providerId,
      'manual',
      null,
      { why: `Manual: ${reason}`, mode: 'manual', reason, overrides: current?.providerId ?? null } satisfies DispatchExplanation,
      reason,
    );
    await recordAudit(tx, {
      actor,
      action: 'order.dispatch-manual',
      targetType: 'service_order',
      targetId: order.id,
      regionCode: order.regionCode,
      detail: { providerId, reason, replaced: current?.providerId ?? null },
    });
    return next;
  });
}

/** The provider accepts the offer. */
export async function accept(ctx: AppContext, actor: Actor, order: repo.OrderRow) {
  return ctx.db.transaction(async (tx) => {
    const o = await repo.openOffer(tx, order.id);
    if (!o || o.providerId !== actor.orgId)
      throw conflict('There is no open offer of this order to your organisation.', undefined, 'no-open-offer');
    await repo.closeOffer(tx, o.id, 'accepted', null);
    const price = (await offeringPrice(tx, o.providerId, order.itemId)) ?? 0;
    return transition(ctx, tx, actor, order, {
      from: ['dispatched'],
      to: 'accepted',
      action: 'accept',
      audit: true,
      // A self-paid order costs the provider's own price; subsidised ones keep the reserved amount.
      patch: order.payment === 'self' ? { amountFen: price * order.quantity } : {},
    });
  });
}

/**
 * The offer ends without acceptance (rejected by the provider, timed out, or a provider hands
 * back an order it accepted): the order goes to the next candidate.
 */
export async function passOn(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  order: repo.OrderRow,
  outcome: 'rejected' | 'timed_out',
  reason: string,
) {
  const o = await repo.openOffer(tx, order.id);
  if (o) await repo.closeOffer(tx, o.id, outcome, reason);
  const back = await transition(ctx, tx, actor, order, {
    from: ['dispatched', 'accepted', 'assigned'],
    to: 'created',
    action: outcome === 'rejected' ? 'reject' : 'offer-timeout',
    audit: outcome === 'rejected',
    reason,
    patch: { providerId: null, workerId: null },
  });
  return autoDispatch(ctx, tx, SYSTEM_ACTOR, back);
}

export async function reject(ctx: AppContext, actor: Actor, order: repo.OrderRow, reason: string) {
  if (order.providerId !== actor.orgId) throw notFound('Service order');
  if (!['dispatched', 'accepted', 'assigned'].includes(order.status))
    throw conflict(`The order is ${order.status}; it can no longer be handed back.`);
  return ctx.db.transaction((tx) => passOn(ctx, tx, actor, order, 'rejected', reason));
}

/** Time out one offer if it is still open (the delayed job and the sweep both call this). */
export async function timeoutOffer(ctx: AppContext, offerId: string) {
  return ctx.db.transaction(async (tx) => {
    const orderId = await repo.lockExpiredOffer(tx, offerId);
    if (!orderId) return false;
    const order = await repo.findOrder(tx, orderId, true);
    if (order?.status !== 'dispatched') {
      await repo.closeOffer(tx, offerId, 'withdrawn', 'order moved on');
      return false;
    }
    await passOn(ctx, tx, SYSTEM_ACTOR, order, 'timed_out', 'The provider did not answer in time.');
    return true;
  });
}
