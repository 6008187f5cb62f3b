import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { CREDIT_BLOCKED_SQL } from '../credit/credit.access.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { mealDeliveries } from './meals.schema.ts';

/** Meal deliveries (送餐入户): SQL only. */

export type DeliveryRow = typeof mealDeliveries.$inferSelect;

/** Deliveries the actor reaches: its canteen's, its region's elders', or its own elder's (elder and family). */
export function deliveryVisibleTo(actor: Actor): SQL {
  if (isRegionScoped(actor)) return regionScope(sql.raw('d.region_code'), actor) ?? sql`true`;
  if ((actor.role === 'elder' || actor.role === 'family') && actor.id)
    return sql`d.elder_id = (SELECT u.elder_id FROM users u WHERE u.id = ${actor.id})`;
  // A provider's worker: the deliveries handed to the provider for any of its workers, or to them.
  if (actor.role === 'service_worker' && actor.orgId && actor.id)
    return sql`(d.provider_id = ${actor.orgId}::uuid AND (d.worker_id IS NULL OR d.worker_id = ${actor.id}::uuid))`;
  if (actor.role === 'provider_admin' && actor.orgId) return sql`d.provider_id = ${actor.orgId}::uuid`;
  if (actor.orgId) return sql`d.canteen_id = ${actor.orgId}::uuid`;
  return sql`false`;
}

export interface DeliveryView {
  id: string;
  canteen_id: string;
  canteen_name: string;
  elder_id: string;
  elder_name: string;
  /** The elder's sealed address (elders.private.ts). */
  elder_private: string;
  elder_lat: number | null;
  elder_lng: number | null;
  region_code: string;
  day: string | Date;
  period: 'breakfast' | 'lunch' | 'dinner';
  items: Array<{ dishId: string; qty: number }>;
  note: string | null;
  status: 'booked' | 'delivered' | 'cancelled';
  booked_role: string | null;
  delivered_at: Date | string | null;
  distance_m: number | null;
  meal_id: string | null;
  cancel_reason: string | null;
  created_at: Date | string;
  provider_id: string | null;
  provider_name: string | null;
  worker_id: string | null;
  worker_name: string | null;
  delivered_by: string | null;
  deliver_key: string | null;
  lat: number | null;
  lng: number | null;
}

const SELECT = sql`
  SELECT d.*, o.name AS canteen_name, e.name AS elder_name, ${privateBox('e')} AS elder_private, e.lat AS elder_lat, e.lng AS elder_lng,
         p.name AS provider_name, w.display_name AS worker_name
  FROM meal_deliveries d JOIN organizations o ON o.id = d.canteen_id JOIN elders e ON e.id = d.elder_id
  LEFT JOIN organizations p ON p.id = d.provider_id LEFT JOIN users w ON w.id = d.worker_id`;

export async function find(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<DeliveryView>(db, sql`${SELECT} WHERE d.id = ${id} AND ${deliveryVisibleTo(actor)}`);
  return r;
}

export async function list(
  db: DbOrTx,
  actor: Actor,
  f: { day?: string; status?: string; canteenId?: string; ownRound?: boolean; elderId?: string; fromDay?: string },
) {
  const conds = [
    deliveryVisibleTo(actor),
    f.elderId ? sql`d.elder_id = ${f.elderId}` : undefined,
    f.fromDay ? sql`d.day >= ${f.fromDay}` : undefined,
    // The canteen's own round leaves out what it handed to a provider.
    f.ownRound && actor.role === 'canteen_staff' ? sql`d.provider_id IS NULL` : undefined,
    f.day ? sql`d.day = ${f.day}` : undefined,
    f.status ? sql`d.status = ${f.status}` : undefined,
    f.canteenId ? sql`d.canteen_id = ${f.canteenId}` : undefined,
  ].filter((c): c is SQL => !!c);
  return queryRows<DeliveryView>(
    db,
    sql`${SELECT} WHERE ${sql.join(conds, sql` AND `)} ORDER BY d.day DESC, d.period, e.region_code, e.name LIMIT 500`,
  );
}

/** Book; undefined when the elder already has a live delivery for that meal. */
export async function insert(tx: DbOrTx, d: typeof mealDeliveries.$inferInsert) {
  const [row] = await tx.insert(mealDeliveries).values(d).onConflictDoNothing().returning();
  return row as DeliveryRow | undefined;
}

/** booked → delivered or cancelled (one winner). */
export async function close(tx: DbOrTx, id: string, patch: Partial<typeof mealDeliveries.$inferInsert>) {
  const [row] = await tx
    .update(mealDeliveries)
    .set(patch)
    .where(and(eq(mealDeliveries.id, id), eq(mealDeliveries.status, 'booked')))
    .returning();
  return row;
}

/** The canteen, if it delivers to this community. */
export async function deliveringCanteen(db: DbOrTx, canteenId: string, community: string) {
  const [r] = await queryRows<{ id: string; name: string; region_code: string }>(
    db,
    sql`SELECT o.id, o.name, o.region_code FROM organizations o JOIN canteens c ON c.org_id = o.id
        WHERE o.id = ${canteenId} AND o.type = 'canteen' AND ${community} = ANY (c.delivery_communities)`,
  );
  return r;
}

/**
 * Providers that may take deliveries into `communities`: active, approved, with a service area
 * covering at least one of them, with their active workers (one provider when `providerId`).
 */
/**
 * Approved, active providers serving one of the communities, with their active workers.
 * `creditOk`: leave out those the credit file blocks (the list a canteen picks from); a single
 * provider is checked with `assertCreditAllows` instead, to answer why.
 */
export async function eligibleProviders(
  db: DbOrTx,
  communities: string[],
  providerId?: string,
  opts: { creditOk?: boolean } = {},
) {
  if (!communities.length) return [];
  return queryRows<{ id: string; name: string; workers: Array<{ id: string; name: string }> }>(
    db,
    sql`SELECT o.id, o.name,
          COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.display_name) ORDER BY u.display_name)
                    FROM users u JOIN provider_staff ps ON ps.user_id = u.id
                    WHERE ps.org_id = o.id AND u.role = 'service_worker' AND u.status = 'active'), '[]'::json) AS workers
        FROM organizations o JOIN provider_profiles pp ON pp.org_id = o.id
        WHERE o.type = 'provider' AND o.status = 'active' AND pp.approval_status = 'approved'
          ${providerId ? sql`AND o.id = ${providerId}` : sql``}
          ${opts.creditOk ? sql.raw(`AND NOT ${CREDIT_BLOCKED_SQL}`) : sql``}
          AND EXISTS (SELECT 1 FROM provider_areas pa, unnest(ARRAY[${sql.join(
            communities.map((c) => sql`${c}`),
            sql`, `,
          )}]::text[]) AS cc(code)
                      WHERE pa.org_id = o.id AND cc.code LIKE pa.region_code || '%')
        ORDER BY o.name`,
  );
}

/** Hand a booked delivery to a provider (and worker), or take it back (null). */
export async function assign(tx: DbOrTx, id: string, providerId: string | null, workerId: string | null) {
  return close(tx, id, { providerId, workerId, assignedAt: providerId ? new Date() : null });
}

/** The canteens (active) that deliver to a community, with their meal hours; `orgId`: only that one (canteen staff). */
export async function canteensDeliveringTo(db: DbOrTx, community: string, orgId?: string | null) {
  return queryRows<{
    id: string;
    name: string;
    address: string | null;
    meal_periods: Array<{ period: 'breakfast' | 'lunch' | 'dinner'; start: string; end: string }> | null;
  }>(
    db,
    sql`SELECT o.id, o.name, COALESCE(c.address, o.address) AS address, c.meal_periods
        FROM organizations o JOIN canteens c ON c.org_id = o.id
        WHERE o.type = 'canteen' AND o.status = 'active' AND ${community} = ANY (c.delivery_communities)
          ${orgId ? sql`AND o.id = ${orgId}::uuid` : sql``}
        ORDER BY o.name`,
  );
}

/** The meal hours of a canteen (null: no profile, default hours). */
export async function canteenMealPeriods(db: DbOrTx, canteenId: string) {
  const [r] = await queryRows<{
    meal_periods: Array<{ period: 'breakfast' | 'lunch' | 'dinner'; start: string; end: string }> | null;
  }>(db, sql`SELECT meal_periods FROM canteens WHERE org_id = ${canteenId}`);
  return r?.meal_periods ?? null;
}
