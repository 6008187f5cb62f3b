import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/**
 * The command-centre screen's queries: every community under a region (checked to be the caller's)
 * with its indicators, and today's meals and services. `today` is the China day; `dayStart` and
 * `dayEnd` its instants.
 */

const prefix = (code: string) => `${code}%`;

/** Every community under the region, with its active elders, 健康管理率 parts, meals and services today. */
export async function communityIndicators(db: DbOrTx, code: string, today: string, dayStart: string, dayEnd: string) {
  return queryRows<{
    region_code: string;
    name: string;
    elders: number;
    elders65: number;
    contracted65: number;
    meals: number;
    services: number;
  }>(
    db,
    sql`WITH c AS (SELECT code, name FROM regions WHERE level = 'community' AND code LIKE ${prefix(code)}),
      e AS (
        SELECT e.region_code, count(*)::int AS elders,
          count(*) FILTER (WHERE e.birth_date <= (${today}::date - interval '65 years')::date)::int AS elders65,
          count(*) FILTER (WHERE e.birth_date <= (${today}::date - interval '65 years')::date AND EXISTS (
            SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = e.id AND dc.status = 'active'
              AND dc.starts_on <= ${today}::date AND dc.ends_on >= ${today}::date))::int AS contracted65
        FROM elders e WHERE e.status = 'active' AND e.region_code LIKE ${prefix(code)} GROUP BY e.region_code),
      ml AS (
        SELECT region_code, count(*)::int AS meals FROM meals
        WHERE region_code LIKE ${prefix(code)} AND day = ${today}::date AND status = 'served' GROUP BY region_code),
      o AS (
        SELECT region_code, count(*)::int AS services FROM service_orders
        WHERE region_code LIKE ${prefix(code)} AND scheduled_at >= ${dayStart}::timestamptz AND scheduled_at < ${dayEnd}::timestamptz
          AND status <> 'voided' GROUP BY region_code)
    SELECT c.code AS region_code, c.name, coalesce(e.elders, 0) AS elders, coalesce(e.elders65, 0) AS elders65,
      coalesce(e.contracted65, 0) AS contracted65, coalesce(ml.meals, 0) AS meals, coalesce(o.services, 0) AS services
    FROM c LEFT JOIN e ON e.region_code = c.code LEFT JOIN ml ON ml.region_code = c.code LEFT JOIN o ON o.region_code = c.code
    ORDER BY c.code`,
  );
}

/** Today's meals (served, not refunded), their subsidy and the canteens serving; orders scheduled today and in service now. */
export async function todayTotals(db: DbOrTx, code: string, today: string, dayStart: string, dayEnd: string) {
  const [r] = await queryRows<{
    meals: number;
    subsidy: number;
    canteens: number;
    services: number;
    in_progress: number;
  }>(
    db,
    sql`SELECT m.meals, m.subsidy, m.canteens, o.services, o.in_progress FROM
      (SELECT count(*)::int AS meals, coalesce(sum(subsidy_fen), 0)::int AS subsidy, count(DISTINCT canteen_id)::int AS canteens
        FROM meals WHERE region_code LIKE ${prefix(code)} AND day = ${today}::date AND status = 'served') m,
      (SELECT count(*) FILTER (WHERE scheduled_at >= ${dayStart}::timestamptz AND scheduled_at < ${dayEnd}::timestamptz
          AND status <> 'voided')::int AS services,
        count(*) FILTER (WHERE status = 'in_service')::int AS in_progress
        FROM service_orders WHERE region_code LIKE ${prefix(code)}
          AND (status = 'in_service' OR (scheduled_at >= ${dayStart}::timestamptz AND scheduled_at < ${dayEnd}::timestamptz))) o`,
  );
  return r;
}
