import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { mealScope } from './meals.repo.ts';

/** Meal statistics over the meals the actor reaches (SQL only). */

function where(actor: Actor, from: string, to: string, canteenId?: string): SQL {
  return sql.join(
    [
      mealScope(actor),
      sql`m.day BETWEEN ${from}::date AND ${to}::date`,
      canteenId ? sql`m.canteen_id = ${canteenId}` : undefined,
    ].filter((x): x is SQL => !!x),
    sql` AND `,
  );
}

export async function perDay(db: DbOrTx, actor: Actor, from: string, to: string, canteenId?: string) {
  return queryRows<{
    day: string | Date;
    canteen_id: string;
    canteen_name: string;
    meals: string;
    subsidy: string;
    self_pay: string;
  }>(
    db,
    sql`SELECT m.day, m.canteen_id, o.name AS canteen_name, count(*) AS meals,
               COALESCE(sum(m.subsidy_fen), 0) AS subsidy, COALESCE(sum(m.self_pay_fen), 0) AS self_pay
        FROM meals m JOIN organizations o ON o.id = m.canteen_id
        WHERE ${where(actor, from, to, canteenId)} AND m.status = 'served'
        GROUP BY m.day, m.canteen_id, o.name ORDER BY m.day, o.name`,
  );
}

export async function topDishes(db: DbOrTx, actor: Actor, from: string, to: string, canteenId?: string, limit = 10) {
  return queryRows<{ dish_id: string; name: string; servings: string }>(
    db,
    // By name: the same dish served by several canteens (each with its own dish id) is one line.
    sql`SELECT min(i->>'dishId') AS dish_id, i->>'name' AS name, sum((i->>'qty')::int) AS servings
        FROM meals m CROSS JOIN LATERAL jsonb_array_elements(m.items) AS i
        WHERE ${where(actor, from, to, canteenId)} AND m.status = 'served'
        GROUP BY i->>'name' ORDER BY servings DESC, name LIMIT ${limit}`,
  );
}

export async function totals(db: DbOrTx, actor: Actor, from: string, to: string, canteenId?: string) {
  const [r] = await queryRows<{ meals: string; subsidy: string; self_pay: string; elders: string; refunded: string }>(
    db,
    sql`SELECT count(*) FILTER (WHERE m.status = 'served') AS meals,
               COALESCE(sum(m.subsidy_fen) FILTER (WHERE m.status = 'served'), 0) AS subsidy,
               COALESCE(sum(m.self_pay_fen) FILTER (WHERE m.status = 'served'), 0) AS self_pay,
               count(DISTINCT m.elder_id) FILTER (WHERE m.status = 'served') AS elders,
               count(*) FILTER (WHERE m.status = 'refunded') AS refunded
        FROM meals m WHERE ${where(actor, from, to, canteenId)}`,
  );
  return r;
}
