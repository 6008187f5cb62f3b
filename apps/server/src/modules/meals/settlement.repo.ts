import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { canteenSettlements, type PolicyPart } from './meals.schema.ts';

/** Canteen statements: SQL only. */

export type CanteenSettlementRow = typeof canteenSettlements.$inferSelect & { canteenName: string; regionCode: string };

/** Statements the actor reaches: its own canteen's, or those of canteens in its region. */
function visible(actor: Actor): SQL {
  if (isRegionScoped(actor)) return regionScope(sql.raw('o.region_code'), actor) ?? sql`true`;
  if (actor.orgId) return sql`s.canteen_id = ${actor.orgId}::uuid`;
  return sql`false`;
}

interface Raw {
  id: string;
  canteen_id: string;
  period: string;
  status: 'draft' | 'confirmed' | 'approved';
  meal_count: number;
  subsidy_fen: string | number;
  self_pay_fen: string | number;
  refunded_count: number;
  policy_parts: PolicyPart[];
  confirmed_by: string | null;
  confirmed_at: Date | string | null;
  approved_by: string | null;
  approved_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  canteen_name: string;
  region_code: string;
}
const at = (v: Date | string | null) => (v === null ? null : new Date(v));
const toRow = (r: Raw): CanteenSettlementRow => ({
  id: r.id,
  canteenId: r.canteen_id,
  period: r.period,
  status: r.status,
  mealCount: Number(r.meal_count),
  subsidyFen: Number(r.subsidy_fen),
  selfPayFen: Number(r.self_pay_fen),
  refundedCount: Number(r.refunded_count),
  policyParts: r.policy_parts,
  confirmedBy: r.confirmed_by,
  confirmedAt: at(r.confirmed_at),
  approvedBy: r.approved_by,
  approvedAt: at(r.approved_at),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  canteenName: r.canteen_name,
  regionCode: r.region_code,
});
const SELECT = sql`SELECT s.*, o.name AS canteen_name, o.region_code FROM canteen_settlements s JOIN organizations o ON o.id = s.canteen_id`;

export async function list(db: DbOrTx, actor: Actor, f: { period?: string; canteenId?: string }) {
  const conds = [
    visible(actor),
    f.period ? sql`s.period = ${f.period}` : undefined,
    f.canteenId ? sql`s.canteen_id = ${f.canteenId}` : undefined,
  ];
  const rows = await queryRows<Raw>(
    db,
    sql`${SELECT} WHERE ${sql.join(
      conds.filter((c): c is SQL => !!c),
      sql` AND `,
    )} ORDER BY s.period DESC, o.name`,
  );
  return rows.map(toRow);
}

export async function find(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<Raw>(db, sql`${SELECT} WHERE s.id = ${id} AND ${visible(actor)}`);
  return r ? toRow(r) : undefined;
}

export async function findByPeriod(db: DbOrTx, canteenId: string, period: string) {
  const [r] = await db
    .select()
    .from(canteenSettlements)
    .where(and(eq(canteenSettlements.canteenId, canteenId), eq(canteenSettlements.period, period)));
  return r;
}

/** The month's meals of a canteen: totals and each policy's part (served meals; refunds counted apart). */
export async function monthFigures(db: DbOrTx, canteenId: string, from: string, to: string) {
  const [t] = await queryRows<{ meals: string; subsidy: string; self_pay: string; refunded: string }>(
    db,
    sql`SELECT count(*) FILTER (WHERE status = 'served') AS meals,
               COALESCE(sum(subsidy_fen) FILTER (WHERE status = 'served'), 0) AS subsidy,
               COALESCE(sum(self_pay_fen) FILTER (WHERE status = 'served'), 0) AS self_pay,
               count(*) FILTER (WHERE status = 'refunded') AS refunded
        FROM meals WHERE canteen_id = ${canteenId} AND day BETWEEN ${from}::date AND ${to}::date`,
  );
  const parts = await queryRows<{ policy_id: string; name: string; meals: string; fen: string }>(
    db,
    sql`SELECT s.policy_id, p.name, count(*) AS meals, sum(s.amount_fen) AS fen
        FROM meal_subsidies s JOIN meals m ON m.id = s.meal_id JOIN policies p ON p.id = s.policy_id
        WHERE m.canteen_id = ${canteenId} AND m.day BETWEEN ${from}::date AND ${to}::date AND m.status = 'served'
        GROUP BY s.policy_id, p.name, p.created_at ORDER BY p.created_at, s.policy_id`,
  );
  return {
    meals: Number(t.meals),
    subsidyFen: Number(t.subsidy),
    selfPayFen: Number(t.self_pay),
    refunded: Number(t.refunded),
    parts: parts.map((p) => ({ policyId: p.policy_id, policyName: p.name, meals: Number(p.meals), amountFen: Number(p.fen) })),
  };
}

export async function upsert(tx: DbOrTx, v: typeof canteenSettlements.$inferInsert) {
  const values = { ...v, updatedAt: new Date() };
  const [row] = await tx
    .insert(canteenSettlements)
    .values(values)
    .onConflictDoUpdate({ target: [canteenSettlements.canteenId, canteenSettlements.period], set: values })
    .returning();
  return row;
}

/** Tie the month's served meals to the statement (and only those). */
export async function linkMeals(tx: DbOrTx, settlementId: string, canteenId: string, from: string, to: string) {
  await tx.execute(sql`UPDATE meals SET settlement_id = NULL WHERE settlement_id = ${settlementId}`);
  await tx.execute(sql`
    UPDATE meals SET settlement_id = ${settlementId}
    WHERE canteen_id = ${canteenId} AND day BETWEEN ${from}::date AND ${to}::date AND status = 'served'`);
}

/** Move from one status to the next; undefined when the statement was not in `from`. */
export async function move(
  tx: DbOrTx,
  id: string,
  from: 'draft' | 'confirmed',
  patch: Partial<typeof canteenSettlements.$inferInsert>,
) {
  const [row] = await tx
    .update(canteenSettlements)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(canteenSettlements.id, id), eq(canteenSettlements.status, from)))
    .returning();
  return row;
}

export async function mealLines(db: DbOrTx, settlementId: string) {
  return queryRows<{
    ticket_no: string;
    day: string | Date;
    period: string;
    elder_name: string;
    total_fen: number;
    subsidy_fen: number;
    self_pay_fen: number;
  }>(
    db,
    sql`SELECT m.ticket_no, m.day, m.period, e.name AS elder_name, m.total_fen, m.subsidy_fen, m.self_pay_fen
        FROM meals m JOIN elders e ON e.id = m.elder_id WHERE m.settlement_id = ${settlementId} ORDER BY m.eaten_at`,
  );
}

/** Close the month for the ledger (as a provider statement's approval does; idempotent). */
export async function closeMonth(tx: DbOrTx, period: string, actorId: string | null) {
  await tx.execute(sql`
    INSERT INTO ledger_closed_periods (period, settlement_id, closed_by) VALUES (${period}, NULL, ${actorId})
    ON CONFLICT (period) DO NOTHING`);
}
