import type { VisitFlag } from '@zhiyang/shared';
import { can, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findElder, findElderFor } from '../elders/service-elders.repo.ts';
import * as providers from '../providers/providers.repo.ts';
import * as wallets from '../wallets/wallets.service.ts';
import * as repo from './orders.repo.ts';
import { releaseHold } from './orders.service.ts';
import { getServiceSettings } from './service-settings.repo.ts';
import { transition } from './transition.ts';

/** The code printed on the elder's card or shown by the terminal: a keyed hash of the elder id. */
export const elderQrToken = (ctx: AppContext, elderId: string) =>
  `ZYQR1.${ctx.cipher.blindIndex(elderId, 'elder-qr').slice(0, 32)}`;

/** The elder's check-in code, for whoever may see the elder (their card or terminal). */
export async function elderQrFor(ctx: AppContext, actor: Actor, elderId: string) {
  if (!(await findElderFor(ctx.db, actor, elderId))) throw notFound('Elder');
  return { token: elderQrToken(ctx, elderId) };
}

/** The provider's admin assigns (or reassigns, before check-in) one of its workers with valid certificates. */
export async function assign(ctx: AppContext, actor: Actor, order: repo.OrderRow, workerId: string) {
  if (order.providerId !== actor.orgId) throw notFound('Service order');
  const staff = await providers.findStaff(ctx.db, workerId);
  if (!staff || staff.orgId !== actor.orgId) throw validationError('body.workerId', 'not a worker of your organisation');
  const day = cstDate(order.scheduledAt);
  if (!staff.active) throw conflict('This worker is not active.');
  if (
    !staff.careCertValidUntil ||
    staff.careCertValidUntil < day ||
    !staff.healthCertValidUntil ||
    staff.healthCertValidUntil < day
  ) {
    throw conflict(
      "This worker's care or health certificate is missing or expired on the service day; renew it before assigning.",
      undefined,
      'certificate-expired',
    );
  }
  return ctx.db.transaction((tx) =>
    transition(ctx, tx, actor, order, {
      from: ['accepted', 'assigned', 'en_route'],
      to: 'assigned',
      action: 'assign',
      audit: true,
      detail: { workerId, previous: order.workerId },
      patch: { workerId },
    }),
  );
}

function assertWorker(actor: Actor, order: repo.OrderRow) {
  // A worker sees only orders assigned to them; anything else is not found.
  if (order.workerId !== actor.id) throw notFound('Service order');
}

export async function enRoute(ctx: AppContext, actor: Actor, order: repo.OrderRow) {
  assertWorker(actor, order);
  return ctx.db.transaction((tx) =>
    transition(ctx, tx, actor, order, { from: ['assigned'], to: 'en_route', action: 'en-route', audit: true }),
  );
}

export interface Position {
  /** When it happened on the phone (queued offline check-ins keep their original time). */
  at?: string;
  lat?: number;
  lng?: number;
  qr?: string;
}

/**
 * Minutes between the check-in and the booked start (positive = late). Beyond the settings'
 * limit the visit is flagged off_schedule and the worker must say why.
 */
export const minutesFromBooking = (order: repo.OrderRow, at: Date) =>
  Math.round((at.getTime() - order.scheduledAt.getTime()) / 60_000);

/** Where and how: GPS distance from the elder's home, or the elder's QR code. */
async function locate(ctx: AppContext, order: repo.OrderRow, p: Position, radiusM: number) {
  const flags: VisitFlag[] = [];
  const at = p.at ? new Date(p.at) : new Date();
  if (at.getTime() > Date.now() + 2 * 60_000) throw validationError('body.at', 'in the future');
  if (at.getTime() < Date.now() - 72 * 3600_000) throw validationError('body.at', 'more than 72 hours ago');
  if (p.qr !== undefined) {
    if (p.qr !== elderQrToken(ctx, order.elderId)) throw validationError('body.qr', "not this elder's code");
    return { at, method: 'qr' as const, lat: null, lng: null, distanceM: null, flags };
  }
  if (p.lat === undefined || p.lng === undefined) throw validationError('body', 'send lat and lng, or the qr code');
  const elder = await findElder(ctx.db, order.elderId);
  let distanceM: number | null = null;
  if (elder?.lat == null || elder?.lng == null) flags.push('no_home_position');
  else {
    distanceM = Math.round(distanceMeters({ lat: p.lat, lng: p.lng }, { lat: elder.lat, lng: elder.lng }));
    if (distanceM > radiusM) flags.push('outside_radius');
  }
  return { at, method: 'gps' as const, lat: p.lat, lng: p.lng, distanceM, flags };
}

const addFlags = (a: VisitFlag[], b: VisitFlag[]) => [...new Set([...a, ...b])];

/**
 * Check in at the elder's home. Accepted with anomaly flags rather than refused (a weak GPS
 * fix must not stop a visit): outside the radius, the same worker in another visit at that
 * time, the elder in hospital or deceased. A second check-in is a 409.
 */
export async function checkIn(ctx: AppContext, actor: Actor, order: repo.OrderRow, p: Position & { reason?: string }) {
  assertWorker(actor, order);
  if (order.status === 'in_service' || order.status === 'served')
    throw conflict('Already checked in to this order.', undefined, 'already-handled');
  const s = await getServiceSettings(ctx.db);
  const loc = await locate(ctx, order, p, s.checkInRadiusM);
  const offBy = minutesFromBooking(order, loc.at);
  const offSchedule = Math.abs(offBy) > s.checkInReasonMinutes;
  if (offSchedule && !p.reason)
    throw unprocessable(
      `The check-in is ${Math.abs(offBy)} minutes ${offBy < 0 ? 'before' : 'after'} the booked start (limit ${s.checkInReasonMinutes}); send body.reason.`,
      [{ path: 'body.reason', message: 'required for a check-in this far from the booked start' }],
      'check-in-reason-required',
    );
  const elder = await findElder(ctx.db, order.elderId);
  const flags: VisitFlag[] = [...loc.flags];
  if (offSchedule) flags.push('off_schedule');
  if (elder && (elder.status === 'in_hospital' || elder.status === 'deceased')) flags.push('elder_unavailable');
  if (await repo.overlappingVisit(ctx.db, actor.id as string, order.id, loc.at, new Date(loc.at.getTime() + 60_000)))
    flags.push('worker_overlap');
  return ctx.db.transaction(async (tx) => {
    if (await repo.findVisit(tx, order.id)) throw conflict('Already checked in to this order.', undefined, 'already-handled');
    await repo.insertVisit(tx, {
      orderId: order.id,
      workerId: actor.id as string,
      checkInAt: loc.at,
      checkInMethod: loc.method,
      checkInLat: loc.lat,
      checkInLng: loc.lng,
      checkInDistanceM: loc.distanceM,
      checkInReason: offSchedule ? (p.reason ?? null) : null,
      flags,
    });
    return transition(ctx, tx, actor, order, {
      from: ['assigned', 'en_route'],
      to: 'in_service',
      action: 'check-in',
      audit: true,
      detail: {
        method: loc.method,
        distanceM: loc.distanceM,
        flags,
        at: loc.at.toISOString(),
        ...(offSchedule ? { minutesFromBooking: offBy, reason: p.reason } : {}),
      },
      patch: flags.length ? { flags: addFlags(order.flags, flags), reviewStatus: 'pending' } : {},
    });
  });
}

/** Check out with the service record; a visit shorter than half the booked time is flagged. */
export async function checkOut(
  ctx: AppContext,
  actor: Actor,
  order: repo.OrderRow,
  p: Position & { record: string; photos?: string[] },
) {
  assertWorker(actor, order);
  if (order.status !== 'in_service')
    throw conflict(order.status === 'served' ? 'Already checked out of this order.' : 'Check in first.');
  const s = await getServiceSettings(ctx.db);
  const loc = await locate(ctx, order, p, s.checkInRadiusM);
  const visit = await repo.findVisit(ctx.db, order.id);
  if (!visit) throw conflict('Check in first.');
  if (loc.at.getTime() < visit.checkInAt.getTime()) throw validationError('body.at', 'before the check-in');
  const flags = [...loc.flags];
  const minutes = (loc.at.getTime() - visit.checkInAt.getTime()) / 60_000;
  if (minutes < order.durationMinutes / 2) flags.push('short_visit');
  if (await repo.overlappingVisit(ctx.db, actor.id as string, order.id, visit.checkInAt, loc.at)) flags.push('worker_overlap');
  const all = addFlags(visit.flags, flags);
  return ctx.db.transaction(async (tx) => {
    await repo.updateVisit(tx, order.id, {
      checkOutAt: loc.at,
      checkOutMethod: loc.method,
      checkOutLat: loc.lat,
      checkOutLng: loc.lng,
      checkOutDistanceM: loc.distanceM,
      record: p.record,
      photos: p.photos ?? [],
      flags: all,
      lockedAt: new Date(loc.at.getTime() + s.lockHours * 3600_000),
    });
    return transition(ctx, tx, actor, order, {
      from: ['in_service'],
      to: 'served',
      action: 'check-out',
      audit: true,
      detail: { method: loc.method, distanceM: loc.distanceM, minutes: Math.round(minutes), flags },
      patch: { servedAt: loc.at, ...(all.length ? { flags: addFlags(order.flags, all), reviewStatus: 'pending' } : {}) },
    });
  });
}

/** Edit the service record. After the lock (72 h) an edit needs a reason, is audited and flags the visit. */
export async function editRecord(
  ctx: AppContext,
  actor: Actor,
  order: repo.OrderRow,
  record: string,
  reason: string | undefined,
) {
  // The worker who made the visit, or the provider's dispatcher (its admin) may edit the record.
  const mayEdit = order.workerId === actor.id || can(actor, 'order:dispatch', { orgId: order.providerId });
  if (!mayEdit) throw notFound('Service order');
  const visit = await repo.findVisit(ctx.db, order.id);
  if (!visit?.checkOutAt) throw conflict('There is no finished visit to edit.');
  if (order.settlementId) throw conflict('The order is settled; its record is final.');
  const locked = visit.lockedAt !== null && visit.lockedAt.getTime() <= Date.now();
  if (locked && !reason) throw validationError('body.reason', 'the record is locked; give a reason for the change');
  return ctx.db.transaction(async (tx) => {
    const flags = locked ? addFlags(visit.flags, ['edited_after_lock']) : visit.flags;
    const v = await repo.updateVisit(tx, order.id, { record, flags });
    if (locked)
      await repo.updateOrder(tx, order.id, { flags: addFlags(order.flags, ['edited_after_lock']), reviewStatus: 'pending' });
    await repo.insertHistory(tx, {
      orderId: order.id,
      fromStatus: order.status,
      toStatus: order.status,
      action: locked ? 'record-edit-after-lock' : 'record-edit',
      actorId: actor.id,
      actorName: actor.displayName,
      reason: reason ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: locked ? 'order.record-edit-after-lock' : 'order.record-edit',
      targetType: 'service_order',
      targetId: order.id,
      regionCode: order.regionCode,
      detail: { reason: reason ?? null },
    });
    return v;
  });
}

/**
 * A person reviews a flagged visit: `clear` lets it into settlement; `reject` voids the order
 * and gives the elder back what was paid (released if still held, refunded if captured).
 */
export async function review(ctx: AppContext, actor: Actor, order: repo.OrderRow, decision: 'clear' | 'reject', note: string) {
  if (!isRegionScoped(actor)) throw notFound('Service order');
  if (order.reviewStatus !== 'pending') throw conflict('This order has no anomaly waiting for review.');
  if (order.settlementId) throw conflict('The order is settled.');
  return ctx.db.transaction(async (tx) => {
    await repo.updateVisit(tx, order.id, { reviewedBy: actor.id, reviewedAt: new Date(), reviewNote: note });
    let next: repo.OrderRow;
    if (decision === 'clear') {
      next = await repo.updateOrder(tx, order.id, { reviewStatus: 'cleared' });
      await repo.insertHistory(tx, {
        orderId: order.id,
        fromStatus: order.status,
        toStatus: order.status,
        action: 'review-clear',
        actorId: actor.id,
        actorName: actor.displayName,
        reason: note,
      });
    } else {
      next = await transition(ctx, tx, actor, order, {
        from: ['in_service', 'served', 'confirmed'],
        to: 'voided',
        action: 'review-reject',
        reason: note,
        patch: { reviewStatus: 'rejected' },
      });
      if (order.status === 'confirmed') {
        const providerId = order.providerId as string;
        if (order.points > 0)
          await wallets.refund(tx, {
            elderId: order.elderId,
            orderId: order.id,
            providerId,
            currency: 'points',
            amount: order.points,
            memo: note,
          });
        if (order.payment === 'purchase' && order.amountFen > 0)
          await wallets.refund(tx, {
            elderId: order.elderId,
            orderId: order.id,
            providerId,
            currency: 'fen',
            amount: order.amountFen,
            memo: note,
          });
      } else await releaseHold(tx, order, `visit rejected: ${note}`);
    }
    await recordAudit(tx, {
      actor,
      action: `order.review-${decision}`,
      targetType: 'service_order',
      targetId: order.id,
      regionCode: order.regionCode,
      detail: { note },
    });
    return next;
  });
}
