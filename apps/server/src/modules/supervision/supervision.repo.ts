import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

// The figures of the later modules (volunteers, family beds, 医养结合, health, patrols, inspections).
export * from './supervision.care.repo.ts';

/**
 * Every query of the supervision dashboard. Each takes the region code already checked to lie
 * in the caller's reach and counts the rows whose region starts with it (a community's code
 * starts with its street's, a street's with its district's), so the region indexes serve them.
 * Months are China-time calendar months, given by the service as `MonthWindow`s.
 */

export interface MonthWindow {
  i: number;
  /** 'YYYY-MM' */
  month: string;
  startAt: string;
  endAt: string;
  firstDay: string;
  lastDay: string;
}

const prefix = (code: string) => `${code}%`;
const monthsTable = (months: MonthWindow[]) =>
  sql`(VALUES ${sql.join(
    months.map(
      (m) => sql`(${m.i}::int, ${m.startAt}::timestamptz, ${m.endAt}::timestamptz, ${m.firstDay}::date, ${m.lastDay}::date)`,
    ),
    sql`, `,
  )}) AS m(i, start_at, end_at, first_day, last_day)`;

export async function regionByCode(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ code: string; name: string; level: 'district' | 'street' | 'community' }>(
    db,
    sql`SELECT code, name, level FROM regions WHERE code = ${code}`,
  );
  return r;
}

/** Elders on the register at each month's end (joined by then, not moved away or died before it), by age then. */
export async function eldersByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; total: number; b60: number; b70: number; b80: number; b90: number }>(
    db,
    sql`SELECT m.i, count(x.age)::int AS total,
      count(*) FILTER (WHERE x.age BETWEEN 60 AND 69)::int AS b60,
      count(*) FILTER (WHERE x.age BETWEEN 70 AND 79)::int AS b70,
      count(*) FILTER (WHERE x.age BETWEEN 80 AND 89)::int AS b80,
      count(*) FILTER (WHERE x.age >= 90)::int AS b90
    FROM ${monthsTable(months)}
    LEFT JOIN LATERAL (
      SELECT date_part('year', age(m.last_day, e.birth_date))::int AS age FROM elders e
      WHERE e.region_code LIKE ${prefix(code)} AND e.created_at < m.end_at
        AND (e.status = 'active' OR e.status_date > m.last_day)
    ) x ON true
    GROUP BY m.i`,
  );
}

/** Active elders per special group (care-visits groups, computed or set by staff): today only, the table keeps no history. */
export async function eldersByGroup(db: DbOrTx, code: string) {
  return queryRows<{ group_code: string; n: number }>(
    db,
    sql`SELECT g.group_code, count(DISTINCT g.elder_id)::int AS n
    FROM care_group_members g JOIN elders e ON e.id = g.elder_id AND e.status = 'active'
    WHERE e.region_code LIKE ${prefix(code)} GROUP BY g.group_code`,
  );
}

/** Elders on the register at each month's end by the level of their latest signed assessment by then. */
export async function abilityByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; level: string; n: number }>(
    db,
    sql`SELECT m.i, x.level, count(*)::int AS n
    FROM ${monthsTable(months)}
    JOIN LATERAL (
      SELECT DISTINCT ON (a.elder_id) a.level FROM assessments a JOIN elders e ON e.id = a.elder_id
      WHERE e.region_code LIKE ${prefix(code)} AND a.status = 'signed' AND a.assessed_on <= m.last_day
        AND e.created_at < m.end_at AND (e.status = 'active' OR e.status_date > m.last_day)
      ORDER BY a.elder_id, a.assessed_on DESC, a.created_at DESC
    ) x ON true
    GROUP BY m.i, x.level`,
  );
}

const DONE = sql`('served', 'confirmed', 'settled')`;
const inMonth = (col: SQL) => sql`${col} >= m.start_at AND ${col} < m.end_at`;

/** Service orders per month: created (not voided), completed (served in the month) and the points they spent. */
export async function ordersByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; created: number; completed: number; points: number }>(
    db,
    sql`SELECT m.i,
      count(o.id) FILTER (WHERE ${inMonth(sql`o.created_at`)} AND o.status <> 'voided')::int AS created,
      count(o.id) FILTER (WHERE ${inMonth(sql`o.served_at`)} AND o.status IN ${DONE})::int AS completed,
      coalesce(sum(o.points) FILTER (WHERE ${inMonth(sql`o.served_at`)} AND o.status IN ${DONE} AND o.payment = 'points'), 0)::int AS points
    FROM ${monthsTable(months)}
    LEFT JOIN service_orders o ON o.region_code LIKE ${prefix(code)}
      AND ((${inMonth(sql`o.created_at`)}) OR (${inMonth(sql`o.served_at`)}))
    GROUP BY m.i`,
  );
}

/** Meals served (not refunded) per month and the subsidy they drew. */
export async function mealsByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; served: number; subsidy: number }>(
    db,
    sql`SELECT m.i, count(ml.id)::int AS served, coalesce(sum(ml.subsidy_fen), 0)::int AS subsidy
    FROM ${monthsTable(months)}
    LEFT JOIN meals ml ON ml.region_code LIKE ${prefix(code)} AND ml.status = 'served'
      AND ml.day >= m.first_day AND ml.day <= m.last_day
    GROUP BY m.i`,
  );
}

/** High-age allowance on approved payment rolls per month (the roll's month), in fen. */
export async function allowancePaidByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ month: string; fen: number }>(
    db,
    sql`SELECT l.month, coalesce(sum(l.amount_fen), 0)::int AS fen
    FROM allowance_roll_lines l JOIN allowance_rolls r ON r.id = l.roll_id AND r.status = 'approved'
    WHERE l.region_code LIKE ${prefix(code)} AND l.month IN (${sql.join(
      months.map((m) => sql`${m.month}`),
      sql`, `,
    )})
    GROUP BY l.month`,
  );
}

/** Institution beds in service now (out-of-service ones left out) and how many are occupied. */
export async function bedsNow(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ beds: number; occupied: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE b.status <> 'out_of_service')::int AS beds,
      count(*) FILTER (WHERE b.status = 'occupied')::int AS occupied
    FROM beds b JOIN organizations o ON o.id = b.org_id
    WHERE o.region_code LIKE ${prefix(code)} AND o.type = 'institution'`,
  );
  return r;
}

/** Residents in a bed at each month's end, from the admissions (admitted by then, not ended by then). */
export async function occupiedByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(a.id)::int AS n
    FROM ${monthsTable(months)}
    LEFT JOIN (admissions a JOIN organizations o ON o.id = a.org_id AND o.type = 'institution' AND o.region_code LIKE ${prefix(code)})
      ON a.admitted_on IS NOT NULL AND a.bed_id IS NOT NULL AND a.admitted_on <= m.last_day
      AND (a.ended_on IS NULL OR a.ended_on > m.last_day) AND a.status <> 'withdrawn'
    GROUP BY m.i`,
  );
}

/** Providers, institutions and canteens by status, today. */
export async function organizationsByStatus(db: DbOrTx, code: string) {
  return queryRows<{ type: string; status: string; n: number }>(
    db,
    sql`SELECT type, status, count(*)::int AS n FROM organizations
    WHERE region_code LIKE ${prefix(code)} AND type IN ('provider', 'institution', 'canteen')
    GROUP BY type, status`,
  );
}

/** The district's allowance verification period (month or quarter); month when it has no settings. */
export async function verificationPeriodOf(db: DbOrTx, districtCode: string) {
  const [r] = await queryRows<{ verification_period: 'month' | 'quarter' }>(
    db,
    sql`SELECT verification_period FROM allowance_settings WHERE region_code = ${districtCode}`,
  );
  return r?.verification_period ?? 'month';
}

/** Allowance recipients now (paid or suspended) and how many passed a survival verification for this period. */
export async function survivalVerification(db: DbOrTx, code: string, period: string) {
  const [r] = await queryRows<{ recipients: number; verified: number }>(
    db,
    sql`SELECT count(*)::int AS recipients,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM allowance_verifications v
        WHERE v.elder_id = a.elder_id AND v.period = ${period} AND v.result = 'passed'))::int AS verified
    FROM allowance_applications a
    WHERE a.region_code LIKE ${prefix(code)} AND a.status IN ('active', 'suspended')`,
  );
  return r;
}

/** Active care-visit plans now, and how many had a visit done within the plan's interval up to now. */
export async function visitCoverage(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ plans: number; covered: number }>(
    db,
    sql`SELECT count(*)::int AS plans,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM care_visits v
        WHERE v.elder_id = p.elder_id AND v.status = 'done'
          AND v.visited_at > now() - make_interval(days => p.interval_days)))::int AS covered
    FROM care_visit_plans p
    WHERE p.active AND p.region_code LIKE ${prefix(code)}`,
  );
  return r;
}
