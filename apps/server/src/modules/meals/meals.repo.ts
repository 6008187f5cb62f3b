import type { MealPeriod } from '@zhiyang/shared';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { mealSubsidies, mealSubsidyRules, meals, type PerMealFen } from './meals.schema.ts';

/** Meals, their subsidies and the subsidy rules: SQL only. */

export type MealRow = typeof meals.$inferSelect & { canteenName: string; elderName: string };

const mealColumns = sql`m.*, o.name AS canteen_name, e.name AS elder_name`;

interface RawMeal {
  id: string;
  ticket_no: string;
  canteen_id: string;
  elder_id: string;
  region_code: string;
  day: string;
  period: MealPeriod;
  eaten_at: Date | string;
  items: MealRow['items'];
  total_fen: number;
  subsidy_fen: number;
  self_pay_fen: number;
  pay_method: MealRow['payMethod'];
  status: MealRow['status'];
  idempotency_key: string;
  request_hash: string;
  served_by: string | null;
  refunded_at: Date | string | null;
  refunded_by: string | null;
  refund_reason: string | null;
  created_at: Date | string;
  settlement_id: string | null;
  canteen_name: string;
  elder_name: string;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
/** A \`date\` column as YYYY-MM-DD, whether the driver gives a string or a midnight (UTC or local) Date. */
export const asDay = (v: Date | string) =>
  typeof v === 'string' ? v.slice(0, 10) : new Date(v.getTime() + 12 * 3600_000).toISOString().slice(0, 10);

function toMeal(r: RawMeal): MealRow {
  return {
    id: r.id,
    ticketNo: r.ticket_no,
    canteenId: r.canteen_id,
    elderId: r.elder_id,
    regionCode: r.region_code,
    day: asDay(r.day),
    period: r.period,
    eatenAt: asDate(r.eaten_at),
    items: r.items,
    totalFen: Number(r.total_fen),
    subsidyFen: Number(r.subsidy_fen),
    selfPayFen: Number(r.self_pay_fen),
    payMethod: r.pay_method,
    status: r.status,
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    servedBy: r.served_by,
    refundedAt: r.refunded_at ? asDate(r.refunded_at) : null,
    refundedBy: r.refunded_by,
    refundReason: r.refund_reason,
    createdAt: asDate(r.created_at),
    settlementId: r.settlement_id ?? null,
    canteenName: r.canteen_name,
    elderName: r.elder_name,
  };
}

const FROM = sql`FROM meals m JOIN organizations o ON o.id = m.canteen_id JOIN elders e ON e.id = m.elder_id`;

export async function findMeal(db: DbOrTx, id: string, actor?: Actor) {
  const scope = actor ? sql`AND ${mealScope(actor)}` : sql``;
  const [r] = await queryRows<RawMeal>(db, sql`SELECT ${mealColumns} ${FROM} WHERE m.id = ${id} ${scope}`);
  return r ? toMeal(r) : undefined;
}

/** Meals the actor reaches (alias `m`): its canteen's (canteen staff), its region's elders' (region staff). */
export function mealScope(actor: Actor): SQL {
  if (isRegionScoped(actor)) return regionScope(sql.raw('m.region_code'), actor) ?? sql`true`;
  if (actor.orgId) return sql`m.canteen_id = ${actor.orgId}::uuid`;
  return sql`false`;
}

export async function findByKey(db: DbOrTx, canteenId: string, key: string) {
  const [r] = await queryRows<RawMeal>(
    db,
    sql`SELECT ${mealColumns} ${FROM} WHERE m.canteen_id = ${canteenId} AND m.idempotency_key = ${key}`,
  );
  return r ? toMeal(r) : undefined;
}

export async function listMeals(
  db: DbOrTx,
  actor: Actor,
  f: { canteenId?: string; elderId?: string; day?: string; status?: string },
  limit: number,
  offset: number,
) {
  const where = sql.join(
    [
      mealScope(actor),
      f.canteenId ? sql`m.canteen_id = ${f.canteenId}` : undefined,
      f.elderId ? sql`m.elder_id = ${f.elderId}` : undefined,
      f.day ? sql`m.day = ${f.day}` : undefined,
      f.status ? sql`m.status = ${f.status}` : undefined,
    ].filter((x): x is SQL => !!x),
    sql` AND `,
  );
  const rows = await queryRows<RawMeal>(
    db,
    sql`SELECT ${mealColumns} ${FROM} WHERE ${where} ORDER BY m.eaten_at DESC, m.id LIMIT ${limit} OFFSET ${offset}`,
  );
  const [{ n }] = await queryRows<{ n: string }>(db, sql`SELECT count(*) AS n FROM meals m WHERE ${where}`);
  return { items: rows.map(toMeal), total: Number(n) };
}

/** Claim the kiosk's key: the new meal's id, or undefined when a meal with this key exists. */
export async function insertMeal(tx: DbOrTx, m: typeof meals.$inferInsert) {
  const [row] = await tx.insert(meals).values(m).onConflictDoNothing().returning({ id: meals.id });
  return row?.id;
}

export async function updateMeal(tx: DbOrTx, id: string, patch: Partial<typeof meals.$inferInsert>) {
  await tx.update(meals).set(patch).where(eq(meals.id, id));
}

/** Refund: served → refunded (one winner under concurrent refunds). */
export async function markRefunded(tx: DbOrTx, id: string, by: string | null, reason: string) {
  const rows = await tx
    .update(meals)
    .set({ status: 'refunded', refundedAt: new Date(), refundedBy: by, refundReason: reason })
    .where(and(eq(meals.id, id), eq(meals.status, 'served')))
    .returning({ id: meals.id });
  return rows.length > 0;
}

/** The next ticket number of a canteen's day (取餐号), under the counter row's lock. */
export async function nextTicket(tx: DbOrTx, canteenId: string, day: string) {
  const [r] = await queryRows<{ last: number }>(
    tx,
    sql`INSERT INTO canteen_ticket_counters (canteen_id, day, last) VALUES (${canteenId}, ${day}, 1)
        ON CONFLICT (canteen_id, day) DO UPDATE SET last = canteen_ticket_counters.last + 1 RETURNING last`,
  );
  return Number(r.last);
}

export async function subsidiesOf(db: DbOrTx, mealIds: string[]) {
  if (!mealIds.length) return [];
  return queryRows<{ meal_id: string; policy_id: string; name: string; amount_fen: number }>(
    db,
    sql`SELECT s.meal_id, s.policy_id, p.name, s.amount_fen FROM meal_subsidies s JOIN policies p ON p.id = s.policy_id
        WHERE s.meal_id IN ${mealIds} ORDER BY p.created_at, p.id`,
  );
}

export async function insertSubsidies(tx: DbOrTx, rows: Array<typeof mealSubsidies.$inferInsert>) {
  if (rows.length) await tx.insert(mealSubsidies).values(rows);
}

/** One meal policy's lot for an elder's month, with its rule; locked for the checkout's transaction. */
export interface MealLot {
  policy_id: string;
  name: string;
  per_meal_fen: PerMealFen;
  daily_cap_fen: number | null;
  daily_meals: number | null;
  period_key: string;
  remaining: number;
}

export async function mealLots(tx: DbOrTx, elderId: string, month: string, day: string, lock: boolean) {
  return queryRows<MealLot>(
    tx,
    sql`
    SELECT r.policy_id, p.name, r.per_meal_fen, r.daily_cap_fen, r.daily_meals, g.period_key, g.remaining
    FROM meal_subsidy_rules r
    JOIN policies p ON p.id = r.policy_id
    JOIN policy_grants g ON g.policy_id = r.policy_id AND g.elder_id = ${elderId} AND g.period_key = ${month}
    WHERE p.status = 'active' AND p.valid_from <= ${day}::date AND (p.valid_to IS NULL OR p.valid_to >= ${day}::date)
    ORDER BY p.created_at, p.id
    ${lock ? sql`FOR UPDATE OF g` : sql``}`,
  );
}

/** What each meal policy already paid the elder on a day (meals not refunded). */
export async function paidToday(db: DbOrTx, elderId: string, day: string) {
  const rows = await queryRows<{ policy_id: string; fen: string; meals: string }>(
    db,
    sql`SELECT s.policy_id, sum(s.amount_fen) AS fen, count(*) AS meals FROM meal_subsidies s JOIN meals m ON m.id = s.meal_id
        WHERE s.elder_id = ${elderId} AND s.day = ${day} AND m.status = 'served' GROUP BY s.policy_id`,
  );
  return new Map(rows.map((r) => [r.policy_id, { fen: Number(r.fen), meals: Number(r.meals) }]));
}

export type RuleRow = typeof mealSubsidyRules.$inferSelect;

export async function upsertRule(tx: DbOrTx, r: Omit<typeof mealSubsidyRules.$inferInsert, 'updatedAt'>) {
  const values = { ...r, updatedAt: new Date() };
  const [row] = await tx
    .insert(mealSubsidyRules)
    .values(values)
    .onConflictDoUpdate({ target: mealSubsidyRules.policyId, set: values })
    .returning();
  return row;
}

export async function listRules(db: DbOrTx) {
  return db.select().from(mealSubsidyRules).orderBy(desc(mealSubsidyRules.updatedAt));
}

/** The elder as a canteen needs it: name, region and the diet part of the archive, if the actor sees the elder. */
export async function visibleElder(db: DbOrTx, actor: Actor, elderId: string) {
  const [e] = await queryRows<{
    id: string;
    name: string;
    region_code: string;
    status: string;
    /** The sealed diet part of the archive: open with withElderPrivate (elders.private.ts). */
    elder_private: string;
  }>(
    db,
    sql`SELECT id, name, region_code, status, ${privateBox('elders')} AS elder_private FROM elders
        WHERE id = ${elderId} AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
  return e;
}

/** An elder's meals, refunds and missed-meal signals, newest first, strictly before `before` (the 360° timeline). */
export async function elderMealHistory(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return queryRows<{
    at: Date | string;
    kind: 'served' | 'refunded' | 'missed';
    ref_id: string;
    canteen_name: string | null;
    period: MealPeriod | null;
    total_fen: number | null;
    subsidy_fen: number | null;
    reason: string | null;
    days_absent: number | null;
  }>(
    db,
    sql`SELECT * FROM (
          SELECT m.eaten_at AS at, 'served' AS kind, m.id AS ref_id, o.name AS canteen_name, m.period, m.total_fen, m.subsidy_fen,
                 NULL::text AS reason, NULL::int AS days_absent
          FROM meals m JOIN organizations o ON o.id = m.canteen_id WHERE m.elder_id = ${elderId}
          UNION ALL
          SELECT m.refunded_at, 'refunded', m.id, o.name, m.period, m.total_fen, m.subsidy_fen, m.refund_reason, NULL
          FROM meals m JOIN organizations o ON o.id = m.canteen_id WHERE m.elder_id = ${elderId} AND m.status = 'refunded'
          UNION ALL
          SELECT s.created_at, 'missed', s.id, o.name, NULL, NULL, NULL, NULL, s.days_absent
          FROM meal_signals s LEFT JOIN organizations o ON o.id = s.canteen_id WHERE s.elder_id = ${elderId}
        ) h WHERE h.at < ${before} ORDER BY h.at DESC LIMIT ${limit}`,
  );
}
