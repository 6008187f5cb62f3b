import type { OrderStatus } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict } from '../../lib/errors.ts';
import { auditStep } from '../audit/audit.service.ts';
import * as repo from './orders.repo.ts';

export interface Transition {
  from: OrderStatus[];
  to: OrderStatus;
  action: string;
  reason?: string | null;
  detail?: Record<string, unknown> | null;
  patch?: Partial<repo.OrderRow>;
  /** Record `order.<action>` in the audit trail, in the same transaction (callers that audit themselves leave it off). */
  audit?: boolean;
}

/**
 * Every change of an order goes through here: a conditional update (a concurrent change makes
 * it a 409, never a lost update), a row in the order's history and an `order.updated` event
 * to those who may see it — the elder's region, the provider, the worker, the elder's own
 * and family accounts. All inside the caller's transaction.
 */
export async function transition(ctx: AppContext, tx: DbOrTx, actor: Actor, order: repo.OrderRow, t: Transition) {
  return (await transitionWithOffer(ctx, tx, actor, order, t)).next;
}

/**
 * `transition`, and — when given — the offer to a provider that the move makes, written by the
 * move's own statement (dispatch). Returns the order after the move and the offer's deadline.
 */
export async function transitionWithOffer(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  order: repo.OrderRow,
  t: Transition,
  offer?: repo.OfferOf,
) {
  if (!t.from.includes(order.status)) {
    throw conflict(
      `The order is ${order.status}; it cannot be ${t.action.replace(/-/g, ' ')}ed now.`,
      undefined,
      'invalid-state',
    );
  }
  // The move and its history row (and the offer) in one statement: no row moved, nothing written.
  const moved = await repo.updateOrderWithHistory(
    tx,
    order.id,
    t.from,
    { ...t.patch, status: t.to },
    {
      fromStatus: order.status,
      action: t.action,
      actorId: actor.id,
      actorName: actor.displayName,
      reason: t.reason ?? null,
      detail: t.detail ?? null,
    },
    offer,
    // The audit entry, when asked, is written by the move's statement too (only when it moved).
    t.audit
      ? [
          auditStep(
            {
              actor,
              action: `order.${t.action}`,
              targetType: 'service_order',
              regionCode: order.regionCode,
              detail: { ...t.detail, from: order.status, to: t.to, ...(t.reason ? { reason: t.reason } : {}) },
            },
            repo.ORDER_AUDIT_TARGET,
          ),
        ]
      : [],
  );
  if (!moved) throw conflict('The order was changed by someone else; reload it.', undefined, 'changed-meanwhile');
  const next = moved.row;
  await publishOrder(ctx, tx, next, t.action, order.status);
  return { next, offerExpiresAt: moved.offerExpiresAt };
}

/** Record a history row without a status change (a note, a dispatch failure, an edit). */
export async function note(
  tx: DbOrTx,
  actor: Actor,
  order: repo.OrderRow,
  action: string,
  reason: string | null,
  detail?: Record<string, unknown>,
) {
  await repo.insertHistory(tx, {
    orderId: order.id,
    fromStatus: order.status,
    toStatus: order.status,
    action,
    actorId: actor.id,
    actorName: actor.displayName,
    reason,
    detail: detail ?? null,
  });
}

export async function publishOrder(ctx: AppContext, tx: DbOrTx, o: repo.OrderRow, action: string, from: OrderStatus | null) {
  // The elder's own and family accounts are read by the NOTIFY's statement itself.
  await ctx.events.publish(
    tx,
    {
      type: 'order.updated',
      data: {
        id: o.id,
        no: o.no,
        status: o.status,
        from,
        action,
        elderId: o.elderId,
        providerId: o.providerId,
        workerId: o.workerId,
        scheduledAt: o.scheduledAt.toISOString(),
        flags: o.flags,
        at: new Date().toISOString(),
      },
      audience: {
        permission: 'order:read',
        regionCode: o.regionCode,
        orgIds: o.providerId ? [o.providerId] : [],
        userIds: o.workerId ? [o.workerId] : [],
      },
    },
    repo.elderUserIdsQuery(o.elderId),
  );
}
