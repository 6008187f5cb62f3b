import type { MealPeriod } from '@zhiyang/shared';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { canteenDishes, canteenMenuItems, canteens } from './meals.schema.ts';

/**
 * Canteens, dishes and menus: SQL only. A canteen is an organisation of type 'canteen'; its
 * profile is the `canteens` row (absent until first saved).
 */

export interface CanteenRow {
  id: string;
  name: string;
  region_code: string;
  status: string;
  org_address: string | null;
  profiled: boolean;
  address: string | null;
  communities: string[] | null;
  open_days: number[] | null;
  opens_at: string | null;
  closes_at: string | null;
  meal_periods: Array<{ period: MealPeriod; start: string; end: string }> | null;
  capacity: number | null;
  delivery_communities: string[] | null;
}

/**
 * Which canteens the actor reaches: its own canteen (canteen staff), or, for region staff, a
 * canteen in the region or one serving or delivering to a community of it.
 */
export function canteenVisibleTo(actor: Actor): SQL {
  if (isRegionScoped(actor)) {
    const own = regionScope(sql.raw('o.region_code'), actor);
    const served = regionScope(sql.raw('cc.code'), actor);
    if (!own || !served) return sql`true`;
    return sql`(${own} OR EXISTS (SELECT 1 FROM unnest(c.communities || c.delivery_communities) AS cc(code) WHERE ${served}))`;
  }
  if (actor.orgId) return sql`o.id = ${actor.orgId}::uuid`;
  return sql`false`;
}

const SELECT = sql`
  SELECT o.id, o.name, o.region_code, o.status, o.address AS org_address, (c.org_id IS NOT NULL) AS profiled,
         c.address, c.communities, c.open_days, c.opens_at, c.closes_at, c.meal_periods, c.capacity, c.delivery_communities
  FROM organizations o LEFT JOIN canteens c ON c.org_id = o.id`;

export async function listCanteens(db: DbOrTx, actor: Actor) {
  return queryRows<CanteenRow>(
    db,
    sql`${SELECT} WHERE o.type = 'canteen' AND ${canteenVisibleTo(actor)} ORDER BY o.region_code, o.name`,
  );
}

export async function findCanteen(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await queryRows<CanteenRow>(
    db,
    sql`${SELECT} WHERE o.id = ${id} AND o.type = 'canteen' AND ${canteenVisibleTo(actor)}`,
  );
  return row;
}

export async function upsertProfile(tx: DbOrTx, orgId: string, p: Omit<typeof canteens.$inferInsert, 'orgId' | 'updatedAt'>) {
  const values = { ...p, orgId, updatedAt: new Date() };
  await tx.insert(canteens).values(values).onConflictDoUpdate({ target: canteens.orgId, set: values });
}

export type DishRow = typeof canteenDishes.$inferSelect;

export async function listDishes(db: DbOrTx, canteenId: string, includeInactive: boolean) {
  return db
    .select()
    .from(canteenDishes)
    .where(and(eq(canteenDishes.canteenId, canteenId), includeInactive ? undefined : eq(canteenDishes.active, true)))
    .orderBy(asc(canteenDishes.category), asc(canteenDishes.name));
}

export async function findDish(db: DbOrTx, canteenId: string, dishId: string) {
  const [d] = await db
    .select()
    .from(canteenDishes)
    .where(and(eq(canteenDishes.id, dishId), eq(canteenDishes.canteenId, canteenId)));
  return d;
}

export async function dishesByIds(db: DbOrTx, canteenId: string, ids: string[]) {
  if (!ids.length) return [];
  return db
    .select()
    .from(canteenDishes)
    .where(and(eq(canteenDishes.canteenId, canteenId), inArray(canteenDishes.id, ids)));
}

/** Insert a dish; undefined when the canteen already has a dish of that name. */
export async function insertDish(tx: DbOrTx, d: typeof canteenDishes.$inferInsert) {
  const [row] = await tx.insert(canteenDishes).values(d).onConflictDoNothing().returning();
  return row as DishRow | undefined;
}

export async function updateDish(tx: DbOrTx, id: string, patch: Partial<typeof canteenDishes.$inferInsert>) {
  const [row] = await tx
    .update(canteenDishes)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(canteenDishes.id, id))
    .returning();
  return row;
}

export async function dishNameTaken(db: DbOrTx, canteenId: string, name: string, exceptId: string) {
  const rows = await queryRows(
    db,
    sql`SELECT 1 FROM canteen_dishes WHERE canteen_id = ${canteenId} AND name = ${name} AND id <> ${exceptId}`,
  );
  return rows.length > 0;
}

export interface MenuItemRow extends DishRow {
  day: string;
  period: MealPeriod;
  menuPriceFen: number;
}

/** Menu items of a canteen from `from` to `to` (days, inclusive), in menu order. */
export async function menuItems(db: DbOrTx, canteenId: string, from: string, to: string, period?: MealPeriod) {
  const rows = await db
    .select({ dish: canteenDishes, day: canteenMenuItems.day, period: canteenMenuItems.period, price: canteenMenuItems.priceFen })
    .from(canteenMenuItems)
    .innerJoin(canteenDishes, eq(canteenDishes.id, canteenMenuItems.dishId))
    .where(
      and(
        eq(canteenMenuItems.canteenId, canteenId),
        sql`${canteenMenuItems.day} BETWEEN ${from} AND ${to}`,
        period ? eq(canteenMenuItems.period, period) : undefined,
      ),
    )
    .orderBy(asc(canteenMenuItems.day), asc(canteenMenuItems.period), asc(canteenMenuItems.position));
  return rows.map((r): MenuItemRow => ({ ...r.dish, day: r.day, period: r.period, menuPriceFen: r.price }));
}

/** Replace the menu of a day and period. */
export async function replaceMenu(
  tx: DbOrTx,
  canteenId: string,
  day: string,
  period: MealPeriod,
  items: Array<{ dishId: string; priceFen: number }>,
) {
  await tx
    .delete(canteenMenuItems)
    .where(and(eq(canteenMenuItems.canteenId, canteenId), eq(canteenMenuItems.day, day), eq(canteenMenuItems.period, period)));
  if (items.length)
    await tx
      .insert(canteenMenuItems)
      .values(items.map((i, position) => ({ canteenId, day, period, dishId: i.dishId, priceFen: i.priceFen, position })));
}

/** The community codes among `codes` that exist. */
export async function existingCommunities(db: DbOrTx, codes: string[]) {
  if (!codes.length) return new Set<string>();
  const rows = await queryRows<{ code: string }>(
    db,
    sql`SELECT code FROM regions WHERE level = 'community' AND code IN ${codes}`,
  );
  return new Set(rows.map((r) => r.code));
}
