import { and, asc, desc, eq, gte, ne, notInArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { alarms } from '../alarms/alarms.schema.ts';
import { serviceItems } from '../catalogue/catalogue.schema.ts';
import { elderContacts, elders } from '../elders/elders.schema.ts';
import { serviceOrders, serviceVisits } from '../orders/orders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { users } from '../users/users.schema.ts';
import { ledgerAccounts } from '../wallets/ledger.schema.ts';
import { callCategories, calls } from './calls.schema.ts';

/**
 * The caller card's reads (弹屏): read while the phone rings, so one query per part, each on an
 * index (elder id), run together. The elder's visibility is checked by the first one; the others
 * are only asked once it answered.
 */

const FINISHED_ORDER = ['served', 'confirmed', 'settled', 'cancelled', 'voided'];

export async function findCardElder(db: DbOrTx, actor: Actor, elderId: string) {
  const rows = await db
    .select({ elder: elders, regionName: regions.name })
    .from(elders)
    .leftJoin(regions, eq(regions.code, elders.regionCode))
    .where(and(eq(elders.id, elderId), elderVisibleTo(actor)))
    .limit(1);
  return rows[0];
}

export const contactsOf = (db: DbOrTx, elderId: string) =>
  db.select().from(elderContacts).where(eq(elderContacts.elderId, elderId)).orderBy(asc(elderContacts.callOrder)).limit(20);

export const openAlarmsOf = (db: DbOrTx, elderId: string) =>
  db
    .select({ id: alarms.id, type: alarms.type, priority: alarms.priority, status: alarms.status, raisedAt: alarms.raisedAt })
    .from(alarms)
    .where(and(eq(alarms.elderId, elderId), eq(alarms.open, true)))
    .orderBy(asc(alarms.priority), desc(alarms.raisedAt))
    .limit(10);

/** Open orders (any age) and those of the last 90 days, newest first. */
export const ordersOf = (db: DbOrTx, elderId: string) =>
  db
    .select({
      id: serviceOrders.id,
      no: serviceOrders.no,
      itemName: serviceItems.name,
      status: serviceOrders.status,
      scheduledAt: serviceOrders.scheduledAt,
    })
    .from(serviceOrders)
    .leftJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .where(
      and(
        eq(serviceOrders.elderId, elderId),
        or(
          notInArray(serviceOrders.status, FINISHED_ORDER as never[]),
          gte(serviceOrders.createdAt, sql`now() - interval '90 days'`),
        ),
      ),
    )
    .orderBy(desc(serviceOrders.createdAt))
    .limit(30);

export const isOpenOrder = (status: string) => !FINISHED_ORDER.includes(status);

export const walletOf = (db: DbOrTx, elderId: string) =>
  db
    .select({ currency: ledgerAccounts.currency, balance: ledgerAccounts.balance, frozen: ledgerAccounts.frozen })
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.kind, 'elder'), eq(ledgerAccounts.ownerId, elderId)));

const workers = alias(users, 'card_worker');

export const lastVisitsOf = (db: DbOrTx, elderId: string) =>
  db
    .select({
      orderId: serviceOrders.id,
      orderNo: serviceOrders.no,
      itemName: serviceItems.name,
      workerName: workers.displayName,
      checkInAt: serviceVisits.checkInAt,
      checkOutAt: serviceVisits.checkOutAt,
    })
    .from(serviceVisits)
    .innerJoin(serviceOrders, eq(serviceOrders.id, serviceVisits.orderId))
    .leftJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .leftJoin(workers, eq(workers.id, serviceVisits.workerId))
    .where(eq(serviceOrders.elderId, elderId))
    .orderBy(desc(serviceVisits.checkInAt))
    .limit(5);

const callAgents = alias(users, 'card_agent');

/** The 10 most recent calls about the elder, or from the number when the caller is not known. */
export const previousCallsOf = (
  db: DbOrTx,
  actor: Actor,
  by: { elderId: string } | { numberHash: string },
  exceptId: string | null,
) =>
  db
    .select({
      id: calls.id,
      direction: calls.direction,
      offeredAt: calls.offeredAt,
      outcome: calls.outcome,
      categoryName: callCategories.name,
      agentName: callAgents.displayName,
      notes: calls.notes,
    })
    .from(calls)
    .leftJoin(callCategories, eq(callCategories.code, calls.categoryCode))
    .leftJoin(callAgents, eq(callAgents.id, calls.agentUserId))
    .where(
      and(
        'elderId' in by
          ? eq(calls.elderId, by.elderId)
          : or(eq(calls.callerHash, by.numberHash), eq(calls.calledHash, by.numberHash)),
        exceptId ? ne(calls.id, exceptId) : undefined,
        regionScope(calls.regionCode, actor),
      ),
    )
    .orderBy(desc(calls.offeredAt))
    .limit(10);
