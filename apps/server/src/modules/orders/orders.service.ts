import {
  DEFAULT_NAVIGATION_URL,
  type LtcBookingCover,
  navigationUrl,
  ORDER_STATUSES,
  type OrderChannel,
  type OrderListQuery,
  type OrderStatus,
  type PaymentMethod,
} from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { can, isRegionScoped } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstDayStart, cstMonthRange } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { maskAddress } from '../../lib/http.ts';
import { auditStep, recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { findItem } from '../catalogue/catalogue.repo.ts';
import { clearValue, maskedPhone } from '../elders/elders.present.ts';
import { openElderPrivate } from '../elders/elders.private.ts';
import { boundElderId, findElderFor } from '../elders/service-elders.repo.ts';
import { packagePayment } from '../family-beds/package.service.ts';
import { fundBookedOrder, ltcCoverForBooking } from '../health-records/ltc-booking.service.ts';
import { addProviderRating } from '../providers/providers.repo.ts';
import * as wallets from '../wallets/wallets.service.ts';
import { walletMayPay } from './bookable.service.ts';
import { autoDispatch } from './dispatch.service.ts';
import * as repo from './orders.repo.ts';
import { getServiceSettings } from './service-settings.repo.ts';
import { transition } from './transition.ts';

type Names = Omit<NonNullable<Awaited<ReturnType<typeof repo.orderNames>>>, 'elderPrivate'> & { elderAddress: string | null };

export function presentOrder(o: repo.OrderRow & { ltc?: LtcBookingCover | null }, n?: Partial<Names>) {
  return {
    id: o.id,
    no: o.no,
    elderId: o.elderId,
    elderName: n?.elderName ?? null,
    elderAddress: n?.elderAddress ?? null,
    elderLat: n?.elderLat ?? null,
    elderLng: n?.elderLng ?? null,
    regionCode: o.regionCode,
    itemId: o.itemId,
    itemName: n?.itemName ?? null,
    providerId: o.providerId,
    providerName: n?.providerName ?? null,
    workerId: o.workerId,
    workerName: n?.workerName ?? null,
    channel: o.channel,
    status: o.status,
    scheduledAt: o.scheduledAt.toISOString(),
    durationMinutes: o.durationMinutes,
    quantity: o.quantity,
    payment: o.payment,
    points: o.points,
    amountFen: o.amountFen,
    note: o.note,
    dispatchMode: o.dispatchMode,
    dispatchExplain: (o.dispatchScore as Record<string, unknown> | null) ?? null,
    flags: o.flags,
    reviewStatus: o.reviewStatus,
    cancelReason: o.cancelReason,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    servedAt: o.servedAt?.toISOString() ?? null,
    confirmedAt: o.confirmedAt?.toISOString() ?? null,
    ...(o.ltc ? { ltc: o.ltc } : {}),
  };
}

/** The order if the actor may see it, else a 404 (never a 403 that confirms it exists). */
export async function visibleOrder(ctx: AppContext, actor: Actor, id: string) {
  const elderId = await boundElderId(ctx.db, actor);
  const o = await repo.findVisibleOrder(ctx.db, actor, elderId, id);
  if (!o) throw notFound('Service order');
  return o;
}

export interface CreateOrderInput {
  elderId: string;
  itemId: string;
  scheduledAt: string;
  quantity?: number;
  payment?: PaymentMethod;
  note?: string | null;
  channel?: 'console' | 'api';
  /** The call centre books on a call: 长护险 may pay it, as on the phone pages. */
  fromCall?: boolean;
}

function channelOf(actor: Actor, asked?: 'console' | 'api'): OrderChannel {
  if (actor.role === 'elder') return 'elder';
  if (actor.role === 'family') return 'family';
  return asked ?? 'console';
}

/**
 * Create an order: check the elder is in the caller's scope and can be served, reserve its
 * price from the wallet (points or purchased credit), write the history and dispatch it
 * automatically — all in one transaction, so a refused reserve leaves nothing behind.
 */
export async function createOrder(ctx: AppContext, actor: Actor, input: CreateOrderInput) {
  const elder = await findElderFor(ctx.db, actor, input.elderId);
  if (!elder) throw notFound('Elder');
  if (elder.status === 'deceased' || elder.status === 'moved_away')
    throw conflict(`The elder's archive is ${elder.status}; no service can be ordered.`);
  if (elder.regionCode.length !== 12) throw conflict("The elder's archive has no community; complete the address first.");
  const item = await findItem(ctx.db, input.itemId);
  if (!item?.active) throw validationError('body.itemId', 'unknown service item');
  const scheduledAt = new Date(input.scheduledAt);
  if (scheduledAt.getTime() < Date.now() - 10 * 60_000) throw validationError('body.scheduledAt', 'in the past');
  if (scheduledAt.getTime() > Date.now() + 90 * 86400_000) throw validationError('body.scheduledAt', 'more than 90 days ahead');
  const quantity = input.quantity ?? 1;
  // A family care bed's package item is paid by the package (never also by points or credit).
  // Points and purchased credit pay only for what the elder's policies cover (the bookable list's
  // rule): otherwise a grant for 助浴 would pay for any service, and an item without a points price
  // would cost nothing. Read beside the package lookup; applied below unless 长护险 pays.
  const asked = input.payment ?? 'points';
  const [payment, walletPays] = await Promise.all([
    packagePayment(ctx.db, elder.id, item.id, input.payment),
    asked === 'points' || asked === 'purchase' ? walletMayPay(ctx.db, elder.id, item, asked) : true,
  ]);
  const points = payment === 'points' ? item.points * quantity : 0;
  const amountFen = payment === 'purchase' ? item.refPriceFen * quantity : 0;

  return ctx.db.transaction(async (tx) => {
    // 长护险: booked on the phone pages or on a call, an enrolled elder's package item is paid by the
    // policy (one payer per order: nothing is held in the wallet). A family-bed package order is not.
    const ltc =
      (actor.role === 'elder' || actor.role === 'family' || input.fromCall) &&
      (['points', 'purchase', 'self'] as string[]).includes(payment)
        ? await ltcCoverForBooking(tx, {
            elderId: elder.id,
            item,
            quantity,
            minutes: item.durationMinutes * quantity,
            scheduledAt,
          })
        : null;
    if (!ltc && (payment === 'points' || payment === 'purchase') && !walletPays)
      throw unprocessable(
        payment === 'points'
          ? 'The elder’s points policies do not cover this item (or it has no points price); book it self-paid (payment "self").'
          : 'The elder’s purchase-credit policies do not cover this item (or it has no price); book it self-paid (payment "self").',
        [
          {
            path: 'body.payment',
            message: `not covered by the elder's ${payment === 'points' ? 'points' : 'purchase-credit'} policies`,
          },
        ],
        'payment-not-covered',
      );
    const paid = ltc ? { payment: 'self' as const, points: 0, amountFen: 0 } : { payment, points, amountFen };
    const channel = channelOf(actor, input.channel);
    const detail = { ...paid, ...(ltc ? { ltcPolicyId: ltc.policyId } : {}) };
    // The order, its first history row and its audit entry in one statement; a reserve refused
    // below undoes them all.
    const order = await repo.insertOrderWithHistory(
      tx,
      {
        no: repo.nextOrderNo(cstDate()),
        elderId: elder.id,
        regionCode: elder.regionCode,
        itemId: item.id,
        channel,
        status: 'created',
        scheduledAt,
        durationMinutes: item.durationMinutes * quantity,
        quantity,
        payment: paid.payment,
        points: paid.points,
        amountFen: paid.amountFen,
        note: input.note ?? null,
        createdBy: actor.id,
      },
      {
        action: 'create',
        actorId: actor.id,
        actorName: actor.displayName,
        detail: { channel, ...detail },
      },
      [
        auditStep(
          {
            actor,
            action: 'order.create',
            targetType: 'service_order',
            regionCode: elder.regionCode,
            detail: { item: item.code, ...detail },
          },
          // With the order's id and the number its insert drew.
          repo.ORDER_AUDIT_SOURCE,
        ),
      ],
    );
    if (ltc) await fundBookedOrder(tx, order.id, ltc);
    if (paid.points > 0)
      await wallets.reserve(tx, {
        elderId: elder.id,
        orderId: order.id,
        currency: 'points',
        amount: paid.points,
        actorId: actor.id,
      });
    if (paid.amountFen > 0)
      await wallets.reserve(tx, {
        elderId: elder.id,
        orderId: order.id,
        currency: 'fen',
        amount: paid.amountFen,
        actorId: actor.id,
      });
    const home = elder.lat != null && elder.lng != null ? { lat: elder.lat, lng: elder.lng } : undefined;
    const dispatched = await autoDispatch(ctx, tx, SYSTEM_ACTOR, order, home);
    return Object.assign(dispatched, { ltc });
  });
}

/** Give back whatever the order still holds (cancellation, a visit rejected before capture). */
export async function releaseHold(tx: DbOrTx, o: repo.OrderRow, memo: string) {
  if (o.points > 0) await wallets.release(tx, { elderId: o.elderId, orderId: o.id, currency: 'points', amount: o.points, memo });
  if (o.payment === 'purchase' && o.amountFen > 0)
    await wallets.release(tx, { elderId: o.elderId, orderId: o.id, currency: 'fen', amount: o.amountFen, memo });
}

const CANCELLABLE: OrderStatus[] = ['created', 'dispatched', 'accepted', 'assigned', 'en_route'];

/**
 * Cancel before the visit starts, by the elder or family, or by region staff: the whole
 * reserve is released (no fee before check-in). A provider does not cancel — it hands the
 * order back (reject) and the order goes to the next provider.
 */
export async function cancelOrder(ctx: AppContext, actor: Actor, order: repo.OrderRow, reason: string) {
  // Those who order may cancel; a provider (no order:create) hands the order back instead.
  if (!can(actor, 'order:create')) {
    throw conflict('A provider hands an order back with /reject; the order then goes to the next provider.');
  }
  return ctx.db.transaction(async (tx) => {
    const next = await transition(ctx, tx, actor, order, {
      from: CANCELLABLE,
      to: 'cancelled',
      action: 'cancel',
      reason,
      patch: { cancelReason: reason },
    });
    const offer = await repo.openOffer(tx, order.id);
    if (offer) await repo.closeOffer(tx, offer.id, 'withdrawn', 'order cancelled');
    await releaseHold(tx, order, `cancelled: ${reason}`);
    await recordAudit(tx, {
      actor,
      action: 'order.cancel',
      targetType: 'service_order',
      targetId: order.id,
      regionCode: order.regionCode,
      detail: { reason },
    });
    return next;
  });
}

/** The elder or family (or the call centre on their behalf) confirms the service: the hold is captured. */
export async function confirmInTx(ctx: AppContext, tx: DbOrTx, actor: Actor, order: repo.OrderRow, auto: boolean) {
  const next = await transition(ctx, tx, actor, order, {
    from: ['served'],
    to: 'confirmed',
    action: auto ? 'auto-confirm' : 'confirm',
    audit: true,
    patch: { confirmedAt: new Date() },
  });
  const providerId = order.providerId as string;
  if (order.points > 0)
    await wallets.capture(tx, {
      elderId: order.elderId,
      orderId: order.id,
      providerId,
      currency: 'points',
      amount: order.points,
    });
  if (order.payment === 'purchase' && order.amountFen > 0)
    await wallets.capture(tx, {
      elderId: order.elderId,
      orderId: order.id,
      providerId,
      currency: 'fen',
      amount: order.amountFen,
    });
  return next;
}

/** The ordering side (elder, family, staff who order for them) confirms and rates; the provider never does. */
function assertMayConfirm(actor: Actor) {
  if (!can(actor, 'order:create')) throw notFound('Service order');
}

export async function confirmOrder(ctx: AppContext, actor: Actor, order: repo.OrderRow) {
  assertMayConfirm(actor);
  return ctx.db.transaction((tx) => confirmInTx(ctx, tx, actor, order, false));
}

/** Confirm orders served longer ago than the configured hours (the sweep job). */
export async function autoConfirmDue(ctx: AppContext, now = new Date()) {
  const s = await getServiceSettings(ctx.db);
  const due = await repo.dueForAutoConfirm(ctx.db, new Date(now.getTime() - s.autoConfirmHours * 3600_000), 200);
  let n = 0;
  for (const { id } of due) {
    await ctx.db.transaction(async (tx) => {
      const o = await repo.findOrder(tx, id, true);
      if (o?.status !== 'served') return;
      await confirmInTx(ctx, tx, SYSTEM_ACTOR, o, true);
      n++;
    });
  }
  return n;
}

/**
 * Rate 1–5 (once). A served order is confirmed by the rating. A rating of 2 or less opens a
 * complaint the call centre must follow up by its deadline.
 */
export async function rateOrder(ctx: AppContext, actor: Actor, order: repo.OrderRow, score: number, comment: string | null) {
  assertMayConfirm(actor);
  const settings = await getServiceSettings(ctx.db);
  return ctx.db.transaction(async (tx) => {
    let current = order;
    if (order.status === 'served') current = await confirmInTx(ctx, tx, actor, order, false);
    if (!['confirmed', 'settled'].includes(current.status)) throw conflict('Only a served order can be rated.');
    const rating = await repo.insertRating(tx, { orderId: order.id, score, comment, ratedBy: actor.id });
    if (!rating) throw conflict('This order has already been rated.', undefined, 'already-handled');
    if (order.providerId) {
      await addProviderRating(tx, order.providerId, score);
    }
    let complaintId: string | null = null;
    if (score <= 2) {
      const c = await repo.insertComplaint(tx, {
        orderId: order.id,
        elderId: order.elderId,
        regionCode: order.regionCode,
        providerId: order.providerId,
        reason: comment,
        dueAt: new Date(Date.now() + settings.complaintFollowUpHours * 3600_000),
      });
      complaintId = c.id;
      await ctx.events.publish(tx, {
        type: 'complaint.opened',
        data: { id: c.id, source: 'rating', orderId: order.id, callId: null, score, dueAt: c.dueAt.toISOString() },
        audience: { permission: 'order:review', regionCode: order.regionCode },
      });
    }
    await repo.insertHistory(tx, {
      orderId: order.id,
      fromStatus: current.status,
      toStatus: current.status,
      action: 'rate',
      actorId: actor.id,
      actorName: actor.displayName,
      detail: { score, complaintId },
    });
    await recordAudit(tx, {
      actor,
      action: 'order.rate',
      targetType: 'service_order',
      targetId: order.id,
      regionCode: order.regionCode,
      detail: { score, complaintId },
    });
    return { score, comment, complaintId };
  });
}

export async function getOrder(ctx: AppContext, actor: Actor, id: string) {
  const o = await visibleOrder(ctx, actor, id);
  const [names, history, offers, visit, rating] = await Promise.all([
    repo.orderNames(ctx.db, o),
    repo.history(ctx.db, id),
    isRegionScoped(actor) ? repo.offersOf(ctx.db, id) : Promise.resolve([]),
    repo.findVisit(ctx.db, id),
    repo.findRating(ctx.db, id),
  ]);
  return {
    ...presentOrder(o, names && { ...names, elderAddress: openElderPrivate(ctx.cipher, names.elderPrivate).address }),
    history: history.map((h) => ({
      at: h.at.toISOString(),
      from: h.fromStatus,
      to: h.toStatus,
      action: h.action,
      actorName: h.actorName,
      reason: h.reason,
      detail: (h.detail as Record<string, unknown> | null) ?? null,
    })),
    offers: offers.map((f) => ({
      providerId: f.providerId,
      mode: f.mode,
      score: f.score,
      status: f.status,
      reason: f.reason,
      offeredAt: f.offeredAt.toISOString(),
      expiresAt: f.expiresAt.toISOString(),
    })),
    visit: visit ? presentVisit(visit) : null,
    rating: rating ? { score: rating.score, comment: rating.comment } : null,
  };
}

export function presentVisit(v: repo.VisitRow) {
  return {
    workerId: v.workerId,
    checkInAt: v.checkInAt.toISOString(),
    checkInMethod: v.checkInMethod,
    checkInDistanceM: v.checkInDistanceM,
    checkInReason: v.checkInReason ?? null,
    checkOutAt: v.checkOutAt?.toISOString() ?? null,
    checkOutMethod: v.checkOutMethod,
    checkOutDistanceM: v.checkOutDistanceM,
    record: v.record,
    photos: v.photos,
    flags: v.flags,
    lockedAt: v.lockedAt?.toISOString() ?? null,
    reviewNote: v.reviewNote,
  };
}

/** The orders the caller may see, filtered by the list query (statuses comma-separated, a China-time day). */
export async function listOrders(ctx: AppContext, actor: Actor, query: OrderListQuery) {
  const { limit, page, status, date, days, month, monthBy, ...rest } = query;
  const statuses = status?.split(',').filter((s): s is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(s));
  const f: repo.OrderFilter = {
    ...rest,
    status: statuses,
    from: date ? cstDayStart(date) : undefined,
    to: date ? cstDayStart(addDays(date, days ?? 1)) : undefined,
  };
  // The dashboard's month figures count by created_at or served_at, not the booked time: the
  // drilled list must filter on the same column to show exactly the figure's rows.
  if (month) {
    const [start, end] = cstMonthRange(month);
    f.month = { by: monthBy ?? 'scheduled', start, end };
  }
  const elderId = await boundElderId(ctx.db, actor);
  const { items, total } = await repo.listOrders(ctx.db, actor, elderId, f, limit, (page - 1) * limit);
  const out = [];
  const reasonMinutes = items.some((r) => r.order.workerId === actor.id)
    ? (await getServiceSettings(ctx.db)).checkInReasonMinutes
    : 0;
  for (const { elderPhoneEnc, elderPrivate, elderAddressMasked, ...rest } of items) {
    // The full address only for the worker who goes to the door; a list for anyone else shows
    // the street the row keeps in clear (masked here for a row not sealed yet), decrypting nothing.
    const own = rest.order.workerId === actor.id && actor.role === 'service_worker';
    const elderAddress = own
      ? openElderPrivate(ctx.cipher, elderPrivate).address
      : (elderAddressMasked ?? maskAddress(openElderPrivate(ctx.cipher, elderPrivate).address));
    const r = { ...rest, elderAddress };
    const o = presentOrder(r.order, r);
    // The worker's own orders carry the elder's phone: in full (for the call button) only while
    // the order is active, and each such read is audited like the elder module's brief read;
    // masked before and after. Nobody else gets the phone through the order list.
    if (!own) {
      out.push(o);
      continue;
    }
    const start = r.order.scheduledAt.getTime();
    const checkInWindow = {
      from: new Date(start - reasonMinutes * 60_000).toISOString(),
      to: new Date(start + reasonMinutes * 60_000).toISOString(),
      minutes: reasonMinutes,
    };
    const nav = navigationUrl(ctx.config.navigationUrl ?? DEFAULT_NAVIGATION_URL, {
      lat: r.elderLat,
      lng: r.elderLng,
      name: r.elderName,
      address: r.elderAddress,
    });
    if (!ACTIVE_FOR_WORKER.includes(r.order.status)) {
      out.push({
        ...o,
        navigationUrl: nav,
        checkInWindow,
        elderPhone: null,
        elderPhoneMasked: maskedPhone(ctx.cipher, elderPhoneEnc),
      });
      continue;
    }
    const phone = clearValue(ctx.cipher, elderPhoneEnc);
    if (phone)
      await recordReadAudit(ctx.db, {
        actor,
        action: 'elder.read-brief',
        targetType: 'elder',
        targetId: r.order.elderId,
        regionCode: r.order.regionCode,
        detail: { field: 'phone', orderId: r.order.id },
      });
    out.push({
      ...o,
      navigationUrl: nav,
      checkInWindow,
      elderPhone: phone,
      elderPhoneMasked: maskedPhone(ctx.cipher, elderPhoneEnc),
    });
  }
  return { items: out, total };
}

/** Orders whose assigned worker may call the elder: from assignment until check-out. */
const ACTIVE_FOR_WORKER: readonly OrderStatus[] = ['assigned', 'en_route', 'in_service'];

export async function listComplaints(
  ctx: AppContext,
  actor: Actor,
  status: 'open' | 'closed' | undefined,
  limit: number,
  page: number,
) {
  const { items, total } = await repo.listComplaints(ctx.db, actor, status, limit, (page - 1) * limit);
  return {
    items: items.map((r) => ({
      id: r.c.id,
      orderId: r.c.orderId,
      orderNo: r.orderNo,
      callId: r.c.callId,
      elderName: r.elderName,
      providerName: r.providerName,
      reason: r.c.reason,
      status: r.c.status,
      dueAt: r.c.dueAt.toISOString(),
      overdue: r.c.status === 'open' && r.c.dueAt.getTime() < Date.now(),
      followUp: r.c.followUp,
      closedAt: r.c.closedAt?.toISOString() ?? null,
    })),
    total,
  };
}

/** The call centre's follow-up call (回访) closes the complaint. */
export async function followUpComplaint(ctx: AppContext, actor: Actor, id: string, note: string) {
  const c = await repo.findComplaint(ctx.db, id);
  if (!c || !isRegionScoped(actor) || !(actor.regionCode === null || c.regionCode.startsWith(actor.regionCode)))
    throw notFound('Complaint');
  return ctx.db.transaction(async (tx) => {
    const closed = await repo.closeComplaint(tx, id, note, actor.id);
    if (!closed) throw conflict('This complaint is already closed.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'complaint.follow-up',
      targetType: 'service_complaint',
      targetId: id,
      regionCode: c.regionCode,
    });
    return { id, status: closed.status };
  });
}
