import type { OrderStatus } from '@zhiyang/shared';
import { and, asc, count, desc, eq, gte, inArray, like, lt, type SQL, sql } from 'drizzle-orm';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.ts';
import { can, escapeLike, isPersonAccount, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { jsonbParam, queryRows, tableRow } from '../../lib/sql-rows.ts';
import { serviceItems } from '../catalogue/catalogue.schema.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';
import {
  dispatchOffers,
  serviceComplaints,
  serviceOrderHistory,
  serviceOrders,
  serviceRatings,
  serviceVisits,
} from './orders.schema.ts';

export type OrderRow = typeof serviceOrders.$inferSelect;
export type VisitRow = typeof serviceVisits.$inferSelect;
export type OfferRow = typeof dispatchOffers.$inferSelect;

/**
 * Which orders an actor sees: region staff by the elder's community, a provider's admin its
 * provider's orders, a worker the orders assigned to them, an elder or family their elder's.
 */
export function orderScope(actor: Actor, elderId: string | null) {
  if (isRegionScoped(actor)) return regionScope(serviceOrders.regionCode, actor);
  // A provider's dispatcher sees its organisation's orders; a worker only those assigned to them.
  if (can(actor, 'order:dispatch') && actor.orgId) return eq(serviceOrders.providerId, actor.orgId);
  if (can(actor, 'order:work') && actor.id) return eq(serviceOrders.workerId, actor.id);
  if (isPersonAccount(actor) && elderId) return eq(serviceOrders.elderId, elderId);
  return sql`false`;
}

/** The next order number (FW + day + sequence, at least six digits), drawn by the insert itself. */
export function nextOrderNo(day: string) {
  return sql<string>`(SELECT 'FW' || ${day.replace(/-/g, '')}::text || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END
    FROM nextval('service_order_no_seq') AS n)`;
}

export async function findOrder(db: DbOrTx, id: string, lock = false) {
  const q = db.select().from(serviceOrders).where(eq(serviceOrders.id, id)).limit(1);
  return (await (lock ? q.for('update') : q))[0];
}

export async function findVisibleOrder(db: DbOrTx, actor: Actor, elderId: string | null, id: string) {
  return (
    await db
      .select()
      .from(serviceOrders)
      .where(and(eq(serviceOrders.id, id), orderScope(actor, elderId)))
      .limit(1)
  )[0];
}

export async function updateOrder(db: DbOrTx, id: string, patch: Partial<typeof serviceOrders.$inferInsert>) {
  return (
    await db
      .update(serviceOrders)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(serviceOrders.id, id))
      .returning()
  )[0];
}

export async function insertHistory(db: DbOrTx, h: typeof serviceOrderHistory.$inferInsert) {
  await db.insert(serviceOrderHistory).values(h);
}

/** A history row of the order the statement's `u` names, without its order and new status (those are `u`'s). */
export type HistoryOf = Omit<typeof serviceOrderHistory.$inferInsert, 'orderId' | 'toStatus' | 'id' | 'at'>;

/** An offer written by the statement that moves its order (`updateOrderWithHistory`). */
export interface OfferOf {
  id: string;
  providerId: string;
  mode: 'auto' | 'manual';
  score: number | null;
  explain: Record<string, unknown>;
  /** When it lapses (an expression: `offerDeadline()`). */
  expiresAt: SQL;
}

/**
 * `WITH u AS (<statement returning the order>)`: the order row, with its history row — and an
 * offer to a provider, when given — written by the same statement, only when `u` returns the row.
 */
async function withHistory(
  db: DbOrTx,
  orderStatement: SQL,
  h: HistoryOf,
  offer?: OfferOf,
  steps: SQL[] = [],
): Promise<{ row: OrderRow; offerExpiresAt: Date | null } | undefined> {
  const [raw] = await queryRows<Record<string, unknown>>(
    db,
    sql`WITH u AS (${orderStatement}),
      h AS (
        INSERT INTO service_order_history (order_id, from_status, to_status, action, actor_id, actor_name, reason, detail)
        SELECT u.id, ${h.fromStatus ?? null}::text, u.status, ${h.action}::text, ${h.actorId ?? null}::uuid,
               ${h.actorName ?? null}::text, ${h.reason ?? null}::text, ${jsonbParam(h.detail)}::jsonb
        FROM u)${
          steps.length
            ? sql.join(
                steps.map((step, i) => sql`, ${sql.raw(`step${i}`)} AS (${step})`),
                sql``,
              )
            : sql``
        }${
          offer
            ? sql`,
      f AS (
        INSERT INTO dispatch_offers (id, order_id, provider_id, mode, score, explain, expires_at)
        SELECT ${offer.id}::uuid, u.id, ${offer.providerId}::uuid, ${offer.mode}::text, ${offer.score}::float8,
               ${jsonbParam(offer.explain)}::jsonb, ${offer.expiresAt}
        FROM u
        RETURNING expires_at)
      SELECT u.*, (SELECT expires_at FROM f) AS zy_offer_expires_at FROM u`
            : sql`
      SELECT * FROM u`
        }`,
  );
  if (!raw) return undefined;
  const expires = raw.zy_offer_expires_at;
  return {
    row: tableRow(serviceOrders, raw),
    offerExpiresAt: expires == null ? null : (dispatchOffers.expiresAt.mapFromDriverValue(expires as string) as Date),
  };
}

/**
 * What an audit step (`auditStep`) of the statement that writes an order reads: the order's row
 * (the step `u`), its id, and the number the insert drew as detail.
 */
export const ORDER_AUDIT_SOURCE = { source: sql`u`, targetId: sql`u.id`, detail: sql`jsonb_build_object('no', u.no)` };
/** The same, for an entry whose detail the caller gives whole (a move of the order). */
export const ORDER_AUDIT_TARGET = { source: sql`u`, targetId: sql`u.id` };

/**
 * Insert an order and its first history row in one statement; `no` may be `nextOrderNo(day)`.
 * `steps` are more data-modifying statements run by the same statement, which may read the new
 * order (its audit entry: `auditStep` with `ORDER_AUDIT_SOURCE`).
 */
export async function insertOrderWithHistory(
  db: DbOrTx,
  o: PgInsertValue<typeof serviceOrders>,
  h: HistoryOf,
  steps: SQL[] = [],
): Promise<OrderRow> {
  const r = await withHistory(
    db,
    db.insert(serviceOrders).values(o).returning().getSQL(),
    { ...h, fromStatus: null },
    undefined,
    steps,
  );
  if (!r) throw new Error('order insert returned no row');
  return r.row;
}

/**
 * Move an order from `from` to its new state, with the history row of the move (and the offer
 * made with it, and `steps` that read the order like those of `insertOrderWithHistory`), in one
 * statement: undefined — and nothing written — when someone else moved the order first.
 * `offerExpiresAt` is the offer's deadline as written.
 */
export async function updateOrderWithHistory(
  db: DbOrTx,
  id: string,
  from: OrderStatus[],
  patch: Partial<typeof serviceOrders.$inferInsert>,
  h: HistoryOf,
  offer?: OfferOf,
  steps: SQL[] = [],
) {
  const update = db
    .update(serviceOrders)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(serviceOrders.id, id), inArray(serviceOrders.status, from)))
    .returning();
  return withHistory(db, update.getSQL(), h, offer, steps);
}

export async function history(db: DbOrTx, orderId: string) {
  return db
    .select()
    .from(serviceOrderHistory)
    .where(eq(serviceOrderHistory.orderId, orderId))
    .orderBy(asc(serviceOrderHistory.id));
}

export interface OrderFilter {
  status?: OrderStatus[];
  providerId?: string;
  elderId?: string;
  from?: Date;
  to?: Date;
  flagged?: boolean;
  regionCode?: string;
  payment?: (typeof serviceOrders.$inferSelect)['payment'];
  /** A China-time month [start, end) on the booked, created or served time. */
  month?: { by: 'scheduled' | 'created' | 'served'; start: Date; end: Date };
}

const MONTH_COLUMN = {
  scheduled: serviceOrders.scheduledAt,
  created: serviceOrders.createdAt,
  served: serviceOrders.servedAt,
} as const;

export async function listOrders(
  db: DbOrTx,
  actor: Actor,
  boundElder: string | null,
  f: OrderFilter,
  limit: number,
  offset: number,
) {
  const where = and(
    orderScope(actor, boundElder),
    f.status?.length ? inArray(serviceOrders.status, f.status) : undefined,
    f.providerId ? eq(serviceOrders.providerId, f.providerId) : undefined,
    f.elderId ? eq(serviceOrders.elderId, f.elderId) : undefined,
    f.from ? gte(serviceOrders.scheduledAt, f.from) : undefined,
    f.to ? lt(serviceOrders.scheduledAt, f.to) : undefined,
    f.regionCode ? like(serviceOrders.regionCode, `${escapeLike(f.regionCode)}%`) : undefined,
    f.payment ? eq(serviceOrders.payment, f.payment) : undefined,
    f.month ? gte(MONTH_COLUMN[f.month.by], f.month.start) : undefined,
    f.month ? lt(MONTH_COLUMN[f.month.by], f.month.end) : undefined,
    f.flagged ? sql`cardinality(${serviceOrders.flags}) > 0 AND ${serviceOrders.reviewStatus} = 'pending'` : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        order: serviceOrders,
        elderName: elders.name,
        elderPrivate: privateBox('elders'),
        elderAddressMasked: elders.addressMasked,
        elderLat: elders.lat,
        elderLng: elders.lng,
        // Encrypted; the service decrypts it only for the assigned worker of an active order.
        elderPhoneEnc: elders.phoneEnc,
        itemName: serviceItems.name,
        providerName: organizations.name,
        workerName: users.displayName,
      })
      .from(serviceOrders)
      .innerJoin(elders, eq(elders.id, serviceOrders.elderId))
      .innerJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
      .leftJoin(organizations, eq(organizations.id, serviceOrders.providerId))
      .leftJoin(users, eq(users.id, serviceOrders.workerId))
      .where(where)
      .orderBy(desc(serviceOrders.scheduledAt), desc(serviceOrders.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(serviceOrders).where(where),
  ]);
  return { items, total };
}

export async function orderNames(db: DbOrTx, o: OrderRow) {
  const [row] = await db
    .select({
      elderName: elders.name,
      elderPrivate: privateBox('elders'),
      elderLat: elders.lat,
      elderLng: elders.lng,
      itemName: serviceItems.name,
      providerName: organizations.name,
      workerName: users.displayName,
    })
    .from(serviceOrders)
    .innerJoin(elders, eq(elders.id, serviceOrders.elderId))
    .innerJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .leftJoin(organizations, eq(organizations.id, serviceOrders.providerId))
    .leftJoin(users, eq(users.id, serviceOrders.workerId))
    .where(eq(serviceOrders.id, o.id));
  return row;
}

/** The elder's own and family accounts, as a query for an event's audience (`EventBus.publish`). */
export function elderUserIdsQuery(elderId: string): SQL {
  return sql`SELECT ${users.id} FROM ${users} WHERE ${users.elderId} = ${elderId}`;
}

// Offers
export async function offersOf(db: DbOrTx, orderId: string) {
  return db.select().from(dispatchOffers).where(eq(dispatchOffers.orderId, orderId)).orderBy(asc(dispatchOffers.offeredAt));
}
/** Lock an offer that is still open past its deadline; its order's id, or undefined when there is none. */
export async function lockExpiredOffer(tx: DbOrTx, offerId: string): Promise<string | undefined> {
  const [r] = await queryRows<{ order_id: string }>(
    tx,
    sql`SELECT order_id FROM dispatch_offers WHERE id = ${offerId} AND status = 'offered' AND expires_at <= now() FOR UPDATE`,
  );
  return r?.order_id;
}

/** Every step of the elder's orders before `before`, newest first. */
export async function elderOrderHistory(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return queryRows<{
    at: Date | string;
    to_status: OrderStatus;
    action: string;
    order_id: string;
    no: string;
    item: string;
    reason: string | null;
  }>(
    db,
    sql`
        SELECT h.at, h.to_status, h.action, h.order_id, o.no, i.name AS item, h.reason
        FROM service_order_history h
        JOIN service_orders o ON o.id = h.order_id
        JOIN service_items i ON i.id = o.item_id
        WHERE o.elder_id = ${elderId} AND h.at < ${before.toISOString()}::timestamptz
        ORDER BY h.at DESC LIMIT ${limit}`,
  );
}

export async function openOffer(db: DbOrTx, orderId: string) {
  return (
    await db
      .select()
      .from(dispatchOffers)
      .where(and(eq(dispatchOffers.orderId, orderId), eq(dispatchOffers.status, 'offered')))
      .limit(1)
  )[0];
}
export async function closeOffer(db: DbOrTx, id: string, status: OfferRow['status'], reason: string | null) {
  return (
    await db
      .update(dispatchOffers)
      .set({ status, reason, respondedAt: new Date() })
      .where(and(eq(dispatchOffers.id, id), eq(dispatchOffers.status, 'offered')))
      .returning()
  )[0];
}
export async function expiredOffers(db: DbOrTx, now: Date, limit: number) {
  return db
    .select()
    .from(dispatchOffers)
    .where(and(eq(dispatchOffers.status, 'offered'), lt(dispatchOffers.expiresAt, now)))
    .limit(limit);
}
export async function dueForAutoConfirm(db: DbOrTx, before: Date, limit: number) {
  return db
    .select({ id: serviceOrders.id })
    .from(serviceOrders)
    .where(and(eq(serviceOrders.status, 'served'), lt(serviceOrders.servedAt, before)))
    .limit(limit);
}

// Visits
export async function findVisit(db: DbOrTx, orderId: string) {
  return (await db.select().from(serviceVisits).where(eq(serviceVisits.orderId, orderId)).limit(1))[0];
}
export async function insertVisit(db: DbOrTx, v: typeof serviceVisits.$inferInsert) {
  return (await db.insert(serviceVisits).values(v).returning())[0];
}
export async function updateVisit(db: DbOrTx, orderId: string, patch: Partial<typeof serviceVisits.$inferInsert>) {
  return (
    await db
      .update(serviceVisits)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(serviceVisits.orderId, orderId))
      .returning()
  )[0];
}
/** Another visit of the same worker whose time overlaps [from, to). */
export async function overlappingVisit(db: DbOrTx, workerId: string, orderId: string, from: Date, to: Date) {
  const r = await queryRows<{ order_id: string }>(
    db,
    sql`
    SELECT order_id FROM service_visits
    WHERE worker_id = ${workerId} AND order_id <> ${orderId}
      AND check_in_at < ${to.toISOString()}::timestamptz
      AND COALESCE(check_out_at, 'infinity'::timestamptz) > ${from.toISOString()}::timestamptz
    LIMIT 1`,
  );
  return r[0]?.order_id ?? null;
}

// Ratings and complaints
export async function findRating(db: DbOrTx, orderId: string) {
  return (await db.select().from(serviceRatings).where(eq(serviceRatings.orderId, orderId)).limit(1))[0];
}
export async function insertRating(db: DbOrTx, r: typeof serviceRatings.$inferInsert) {
  return (await db.insert(serviceRatings).values(r).onConflictDoNothing().returning())[0];
}
export async function insertComplaint(db: DbOrTx, c: typeof serviceComplaints.$inferInsert) {
  return (await db.insert(serviceComplaints).values(c).returning())[0];
}
export async function listComplaints(
  db: DbOrTx,
  actor: Actor,
  status: 'open' | 'closed' | undefined,
  limit: number,
  offset: number,
) {
  const scope = isRegionScoped(actor)
    ? regionScope(serviceComplaints.regionCode, actor)
    : can(actor, 'order:dispatch') && actor.orgId
      ? eq(serviceComplaints.providerId, actor.orgId)
      : sql`false`;
  const where = and(scope, status ? eq(serviceComplaints.status, status) : undefined);
  const [items, [{ total }]] = await Promise.all([
    db
      .select({ c: serviceComplaints, elderName: elders.name, providerName: organizations.name, orderNo: serviceOrders.no })
      .from(serviceComplaints)
      .innerJoin(elders, eq(elders.id, serviceComplaints.elderId))
      .leftJoin(serviceOrders, eq(serviceOrders.id, serviceComplaints.orderId))
      .leftJoin(organizations, eq(organizations.id, serviceComplaints.providerId))
      .where(where)
      .orderBy(asc(serviceComplaints.dueAt))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(serviceComplaints).where(where),
  ]);
  return { items, total };
}
export async function findComplaint(db: DbOrTx, id: string) {
  return (await db.select().from(serviceComplaints).where(eq(serviceComplaints.id, id)).limit(1))[0];
}
export async function closeComplaint(db: DbOrTx, id: string, followUp: string, by: string | null) {
  return (
    await db
      .update(serviceComplaints)
      .set({ status: 'closed', followUp, followedBy: by, closedAt: new Date() })
      .where(and(eq(serviceComplaints.id, id), eq(serviceComplaints.status, 'open')))
      .returning()
  )[0];
}
