import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import type { MonthWindow } from './supervision.repo.ts';

/**
 * The dashboard figures of the modules built after the first dashboard: volunteers and the time
 * bank, family care beds, 医养结合 contracts, health records, patrols and inspections. Same rules as
 * supervision.repo.ts: a checked region code matched as a prefix, China-time month windows.
 */

const prefix = (code: string) => `${code}%`;
const monthsTable = (months: MonthWindow[]) =>
  sql`(VALUES ${sql.join(
    months.map(
      (m) => sql`(${m.i}::int, ${m.startAt}::timestamptz, ${m.endAt}::timestamptz, ${m.firstDay}::date, ${m.lastDay}::date)`,
    ),
    sql`, `,
  )}) AS m(i, start_at, end_at, first_day, last_day)`;
const inMonth = (col: SQL) => sql`${col} >= m.start_at AND ${col} < m.end_at`;

/** Approved volunteers now (status keeps no history). */
export async function volunteersNow(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ approved: number; pending: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE status = 'approved')::int AS approved,
      count(*) FILTER (WHERE status = 'pending')::int AS pending
    FROM volunteers WHERE region_code LIKE ${prefix(code)}`,
  );
  return r;
}

/** Volunteer tasks confirmed in each month and the minutes credited to the time bank for them. */
export async function volunteerTasksByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; tasks: number; minutes: number }>(
    db,
    sql`SELECT m.i, count(t.id)::int AS tasks, coalesce(sum(t.credited_minutes), 0)::int AS minutes
    FROM ${monthsTable(months)}
    LEFT JOIN volunteer_tasks t ON t.region_code LIKE ${prefix(code)} AND t.status = 'confirmed'
      AND ${inMonth(sql`t.confirmed_at`)}
    GROUP BY m.i`,
  );
}

/** Time-bank minutes redeemed in each month (a redemption given back is left out). */
export async function redemptionsByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; minutes: number }>(
    db,
    sql`SELECT m.i, coalesce(sum(r.minutes), 0)::int AS minutes
    FROM ${monthsTable(months)}
    LEFT JOIN timebank_redemptions r ON r.region_code LIKE ${prefix(code)} AND r.returned_tx_id IS NULL
      AND ${inMonth(sql`r.created_at`)}
    GROUP BY m.i`,
  );
}

/**
 * Family care beds set up (activated) by each month's end and not ended by then — in service or
 * suspended; for the current month, as of today. Applications still in progress, now.
 */
export async function familyBedsByMonth(db: DbOrTx, code: string, months: MonthWindow[], today: string) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(b.id)::int AS n
    FROM ${monthsTable(months)}
    LEFT JOIN family_beds b ON b.region_code LIKE ${prefix(code)} AND b.activated_on IS NOT NULL
      AND b.activated_on <= LEAST(m.last_day, ${today}::date)
      AND (b.ended_on IS NULL OR b.ended_on > LEAST(m.last_day, ${today}::date))
    GROUP BY m.i`,
  );
}

export async function familyBedsPending(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM family_beds
    WHERE region_code LIKE ${prefix(code)} AND status IN ('applied', 'assessed', 'contracted')`,
  );
  return r?.n ?? 0;
}

/**
 * 健康管理率 at each month's end (for the current month, today — the same day the medical
 * module's coverage uses): elders aged 65+ on the register, and those with a family-doctor
 * contract signed by then whose period covers the day and that was not cancelled (解约) by then.
 * A renewed contract's period still counts until it ends.
 */
export async function doctorCoverageByMonth(db: DbOrTx, code: string, months: MonthWindow[], today: string) {
  return queryRows<{ i: number; elders65: number; contracted65: number }>(
    db,
    sql`SELECT m.i, count(x.id)::int AS elders65, count(x.id) FILTER (WHERE x.contracted)::int AS contracted65
    FROM ${monthsTable(months)}
    CROSS JOIN LATERAL (SELECT LEAST(m.last_day, ${today}::date) AS d,
      LEAST(m.end_at, now()) AS until) asof
    LEFT JOIN LATERAL (
      SELECT e.id, EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = e.id
          AND dc.signed_at < asof.until AND dc.starts_on <= asof.d AND dc.ends_on >= asof.d
          AND (dc.status <> 'ended' OR dc.ended_at >= asof.until)) AS contracted
      FROM elders e
      WHERE e.region_code LIKE ${prefix(code)} AND e.created_at < asof.until
        AND (e.status = 'active' OR e.status_date > asof.d)
        AND e.birth_date <= (asof.d - interval '65 years')::date
    ) x ON true
    GROUP BY m.i`,
  );
}

/** Annual physical examinations recorded per month (by the exam's date) for elders of the region. */
export async function physicalsByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(p.id)::int AS n
    FROM ${monthsTable(months)}
    LEFT JOIN (health_physicals p JOIN elders e ON e.id = p.elder_id AND e.region_code LIKE ${prefix(code)})
      ON p.exam_date >= m.first_day AND p.exam_date <= m.last_day
    GROUP BY m.i`,
  );
}

/** Active elders aged 65+ now, and those with a physical examination of this year. */
export async function physicalRate(db: DbOrTx, code: string, today: string) {
  const [r] = await queryRows<{ elders65: number; examined: number }>(
    db,
    sql`SELECT count(*)::int AS elders65,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM health_physicals p WHERE p.elder_id = e.id
        AND p.exam_year = date_part('year', ${today}::date)::int))::int AS examined
    FROM elders e
    WHERE e.region_code LIKE ${prefix(code)} AND e.status = 'active'
      AND e.birth_date <= (${today}::date - interval '65 years')::date`,
  );
  return r;
}

/** Patrol runs of institutions in the region that started in each month and are closed, and those complete on time. */
export async function patrolRunsByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; closed: number; complete: number }>(
    db,
    sql`SELECT m.i, count(r.id)::int AS closed, count(r.id) FILTER (WHERE r.status = 'complete')::int AS complete
    FROM ${monthsTable(months)}
    LEFT JOIN (patrol_runs r JOIN organizations o ON o.id = r.org_id AND o.region_code LIKE ${prefix(code)})
      ON r.status <> 'open' AND ${inMonth(sql`r.starts_at`)}
    GROUP BY m.i`,
  );
}

/** Patrol hazards and inspection findings not yet rectified, now. */
export async function openHazards(db: DbOrTx, code: string) {
  const [r] = await queryRows<{ hazards: number; findings: number }>(
    db,
    sql`SELECT
      (SELECT count(*) FROM patrol_hazards h JOIN organizations o ON o.id = h.org_id
        WHERE o.region_code LIKE ${prefix(code)} AND h.status = 'open')::int AS hazards,
      (SELECT count(*) FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id
        WHERE i.region_code LIKE ${prefix(code)} AND f.status = 'open')::int AS findings`,
  );
  return r;
}

/** Inspections finished in each month. */
export async function inspectionsByMonth(db: DbOrTx, code: string, months: MonthWindow[]) {
  return queryRows<{ i: number; finished: number }>(
    db,
    sql`SELECT m.i, count(i.id)::int AS finished
    FROM ${monthsTable(months)}
    LEFT JOIN inspections i ON i.region_code LIKE ${prefix(code)} AND i.status = 'finished'
      AND ${inMonth(sql`i.finished_at`)}
    GROUP BY m.i`,
  );
}
