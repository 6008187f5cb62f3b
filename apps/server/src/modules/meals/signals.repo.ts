import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { mealSignalSettings } from './meals.schema.ts';

/** Missed-meal signals and their rule: SQL only. */

export type SignalSettings = typeof mealSignalSettings.$inferSelect;

export async function settings(db: DbOrTx): Promise<SignalSettings> {
  const [row] = await db.select().from(mealSignalSettings).where(eq(mealSignalSettings.id, 1));
  return row;
}

export async function updateSettings(
  tx: DbOrTx,
  s: { minMeals: number; windowDays: number; absentDays: number; updatedBy: string | null },
) {
  const [row] = await tx
    .update(mealSignalSettings)
    .set({ ...s, updatedAt: new Date() })
    .where(eq(mealSignalSettings.id, 1))
    .returning();
  return row;
}

export interface RaisedSignal {
  id: string;
  elder_id: string;
  region_code: string;
  days_absent: number;
}

/**
 * Raise the day's signals in one statement: elders (active, not in hospital) with at least
 * `minMeals` meals served in the window ending on `day` whose last meal is `absentDays` or more
 * days before it, and no signal yet for that last meal day (one per absence) nor for this day.
 */
export async function raiseSignals(tx: DbOrTx, day: string, s: SignalSettings) {
  return queryRows<RaisedSignal>(
    tx,
    sql`
    WITH regular AS (
      SELECT m.elder_id, count(*)::int AS meals, max(m.day) AS last_day,
             (array_agg(m.canteen_id ORDER BY m.eaten_at DESC))[1] AS canteen_id
      FROM meals m
      WHERE m.status = 'served' AND m.day BETWEEN ${day}::date - ${s.windowDays}::int AND ${day}::date
      GROUP BY m.elder_id
    )
    INSERT INTO meal_signals (elder_id, region_code, day, last_meal_day, days_absent, meals_in_window, canteen_id)
    SELECT r.elder_id, e.region_code, ${day}::date, r.last_day, (${day}::date - r.last_day), r.meals, r.canteen_id
    FROM regular r JOIN elders e ON e.id = r.elder_id
    WHERE e.status = 'active' AND r.meals >= ${s.minMeals}::int AND (${day}::date - r.last_day) >= ${s.absentDays}::int
      AND NOT EXISTS (SELECT 1 FROM meal_signals x WHERE x.elder_id = r.elder_id AND x.last_meal_day = r.last_day)
    ON CONFLICT (elder_id, kind, day) DO NOTHING
    RETURNING id, elder_id, region_code, days_absent`,
  );
}

export interface SignalRow {
  id: string;
  kind: 'missed_meals';
  elder_id: string;
  elder_name: string;
  region_code: string;
  day: string;
  last_meal_day: string;
  days_absent: number;
  meals_in_window: number;
  canteen_id: string | null;
  canteen_name: string | null;
  created_at: Date | string;
  handled_at: Date | string | null;
  outcome: 'called' | 'visited' | 'no_action' | null;
  handle_note: string | null;
  handled_by_name: string | null;
}

const SELECT = sql`SELECT s.*, e.name AS elder_name, o.name AS canteen_name, u.display_name AS handled_by_name
  FROM meal_signals s JOIN elders e ON e.id = s.elder_id LEFT JOIN organizations o ON o.id = s.canteen_id
  LEFT JOIN users u ON u.id = s.handled_by`;

export async function listSignals(
  db: DbOrTx,
  actor: Actor,
  f: { day?: string; status?: 'open' | 'handled' },
  limit: number,
  offset: number,
) {
  const where = sql.join(
    [
      regionScope(sql.raw('s.region_code'), actor) ?? sql`true`,
      f.day ? sql`s.day = ${f.day}` : undefined,
      f.status === 'open' ? sql`s.handled_at IS NULL` : f.status === 'handled' ? sql`s.handled_at IS NOT NULL` : undefined,
    ].filter((x): x is SQL => !!x),
    sql` AND `,
  );
  const order = f.status === 'handled' ? sql`s.handled_at DESC, s.id` : sql`s.day DESC, s.days_absent DESC, s.id`;
  const items = await queryRows<SignalRow>(db, sql`${SELECT} WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`);
  const [{ n }] = await queryRows<{ n: string }>(db, sql`SELECT count(*) AS n FROM meal_signals s WHERE ${where}`);
  return { items, total: Number(n) };
}

/** One signal in the actor's region (undefined otherwise). */
export async function findSignal(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<SignalRow>(
    db,
    sql`${SELECT} WHERE s.id = ${id} AND ${regionScope(sql.raw('s.region_code'), actor) ?? sql`true`}`,
  );
  return r;
}

/** open → handled (one winner); undefined when it was handled meanwhile. */
export async function markHandled(
  tx: DbOrTx,
  id: string,
  h: { by: string | null; outcome: 'called' | 'visited' | 'no_action'; note: string },
) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE meal_signals SET handled_at = now(), handled_by = ${h.by}, outcome = ${h.outcome}, handle_note = ${h.note}
        WHERE id = ${id} AND handled_at IS NULL RETURNING id`,
  );
  return rows[0];
}
