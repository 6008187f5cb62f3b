import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { serviceItems } from '../catalogue/catalogue.schema.ts';
import { elders } from '../elders/elders.schema.ts';
import { familyBedMonths, settlementBedLines } from '../family-beds/family-beds.schema.ts';
import { serviceOrders } from '../orders/orders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { settlementLines, settlements } from './settlements.schema.ts';

export type SettlementRow = typeof settlements.$inferSelect;

function visible(actor: Actor) {
  if (isRegionScoped(actor)) return regionScope(organizations.regionCode, actor);
  return actor.orgId ? eq(settlements.providerId, actor.orgId) : sql`false`;
}

export async function listSettlements(db: DbOrTx, actor: Actor, f: { period?: string; providerId?: string }) {
  return db
    .select({ s: settlements, providerName: organizations.name })
    .from(settlements)
    .innerJoin(organizations, eq(organizations.id, settlements.providerId))
    .where(
      and(
        visible(actor),
        f.period ? eq(settlements.period, f.period) : undefined,
        f.providerId ? eq(settlements.providerId, f.providerId) : undefined,
      ),
    )
    .orderBy(desc(settlements.period), asc(organizations.name))
    .limit(500);
}

export async function findVisible(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select({ s: settlements, providerName: organizations.name })
      .from(settlements)
      .innerJoin(organizations, eq(organizations.id, settlements.providerId))
      .where(and(eq(settlements.id, id), visible(actor)))
      .limit(1)
  )[0];
}

export async function findByPeriod(db: DbOrTx, providerId: string, period: string) {
  return (
    await db
      .select()
      .from(settlements)
      .where(and(eq(settlements.providerId, providerId), eq(settlements.period, period)))
      .limit(1)
      .for('update')
  )[0];
}

/** Confirmed, not yet settled orders of a provider confirmed before `end` (earlier held ones included). */
export async function settleableOrders(db: DbOrTx, providerId: string, end: Date) {
  return db
    .select()
    .from(serviceOrders)
    .where(
      and(
        eq(serviceOrders.providerId, providerId),
        eq(serviceOrders.status, 'confirmed'),
        isNull(serviceOrders.settlementId),
        lt(serviceOrders.confirmedAt, end),
      ),
    )
    .orderBy(asc(serviceOrders.confirmedAt));
}

export async function upsertSettlement(db: DbOrTx, s: typeof settlements.$inferInsert) {
  return (
    await db
      .insert(settlements)
      .values(s)
      .onConflictDoUpdate({ target: [settlements.providerId, settlements.period], set: { ...s, updatedAt: new Date() } })
      .returning()
  )[0];
}

export async function replaceLines(db: DbOrTx, settlementId: string, lines: Array<typeof settlementLines.$inferInsert>) {
  await db.delete(settlementLines).where(eq(settlementLines.settlementId, settlementId));
  for (let i = 0; i < lines.length; i += 1000) await db.insert(settlementLines).values(lines.slice(i, i + 1000));
}

export async function lines(db: DbOrTx, settlementId: string) {
  return db
    .select({
      l: settlementLines,
      no: serviceOrders.no,
      elderName: elders.name,
      itemName: serviceItems.name,
      scheduledAt: serviceOrders.scheduledAt,
      confirmedAt: serviceOrders.confirmedAt,
    })
    .from(settlementLines)
    .innerJoin(serviceOrders, eq(serviceOrders.id, settlementLines.orderId))
    .innerJoin(elders, eq(elders.id, serviceOrders.elderId))
    .innerJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .where(eq(settlementLines.settlementId, settlementId))
    .orderBy(asc(settlementLines.held), asc(serviceOrders.confirmedAt));
}

export async function update(
  db: DbOrTx,
  id: string,
  from: SettlementRow['status'],
  patch: Partial<typeof settlements.$inferInsert>,
) {
  return (
    await db
      .update(settlements)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(settlements.id, id), eq(settlements.status, from)))
      .returning()
  )[0];
}

/** Settle the included orders: status settled, linked to the statement, ledger entries final. */
export async function settleOrders(db: DbOrTx, settlementId: string, orderIds: string[]) {
  for (let i = 0; i < orderIds.length; i += 1000) {
    const ids = orderIds.slice(i, i + 1000);
    await db
      .update(serviceOrders)
      .set({ status: 'settled', settlementId, updatedAt: new Date() })
      .where(and(inArray(serviceOrders.id, ids), eq(serviceOrders.status, 'confirmed')));
    await db.execute(sql`UPDATE ledger_transactions SET final = true WHERE order_id IN ${ids}`);
  }
}

/**
 * Family care bed months of a provider not yet settled, up to the period: checked as delivered (or
 * their hold released), whose subsidy was paid from the policy's fund into the provider's account.
 */
export async function settleableBedMonths(db: DbOrTx, providerId: string, period: string) {
  return db
    .select()
    .from(familyBedMonths)
    .where(
      and(
        eq(familyBedMonths.providerId, providerId),
        isNull(familyBedMonths.settlementId),
        inArray(familyBedMonths.status, ['delivered', 'released']),
        sql`${familyBedMonths.month} <= ${period}`,
        sql`${familyBedMonths.amountFen} > 0`,
      ),
    )
    .orderBy(asc(familyBedMonths.month), asc(familyBedMonths.bedId));
}

export async function replaceBedLines(db: DbOrTx, settlementId: string, lines: Array<typeof settlementBedLines.$inferInsert>) {
  await db.delete(settlementBedLines).where(eq(settlementBedLines.settlementId, settlementId));
  for (let i = 0; i < lines.length; i += 1000) await db.insert(settlementBedLines).values(lines.slice(i, i + 1000));
}

export async function bedLines(db: DbOrTx, settlementId: string) {
  return queryRows<{ bed_id: string; month: string; elder_name: string; amount_fen: string | number }>(
    db,
    sql`SELECT l.bed_id, l.month, e.name AS elder_name, l.amount_fen FROM settlement_bed_lines l
      JOIN family_beds b ON b.id = l.bed_id JOIN elders e ON e.id = b.elder_id
      WHERE l.settlement_id = ${settlementId} ORDER BY l.month, e.name`,
  );
}

/** Mark the statement's bed months settled; answers how many were still unsettled (all, unless another statement took one). */
export async function settleBedMonths(db: DbOrTx, settlementId: string) {
  const rows = await queryRows<{ bed_id: string }>(
    db,
    sql`UPDATE family_bed_months m SET settlement_id = ${settlementId}
      FROM settlement_bed_lines l
      WHERE l.settlement_id = ${settlementId} AND m.bed_id = l.bed_id AND m.month = l.month AND m.settlement_id IS NULL
      RETURNING m.bed_id`,
  );
  const [{ n }] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM settlement_bed_lines WHERE settlement_id = ${settlementId}`,
  );
  return { settled: rows.length, lines: n };
}
