import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { kindIs } from '../alarms/stats.repo.ts';
import type { PeriodWindow } from './periods.ts';

/**
 * The statistics' own queries, for the figures the supervision dashboard does not have (the rest
 * come from `supervision.repo.ts` and the alarm and call modules' statistics queries). Each takes
 * a region code already checked to lie in the caller's reach and counts the rows whose region
 * starts with it, one row per period window (`i`), so one query answers every period.
 */

const prefix = (code: string) => `${code}%`;
const windows = (ws: PeriodWindow[]) =>
  sql`(VALUES ${sql.join(
    ws.map(
      (w) => sql`(${w.i}::int, ${w.startAt}::timestamptz, ${w.endAt}::timestamptz, ${w.firstDay}::date, ${w.lastDay}::date)`,
    ),
    sql`, `,
  )}) AS m(i, start_at, end_at, first_day, last_day)`;

/** The regions at a level inside (or equal to) a region, by code. */
export async function regionsUnder(db: DbOrTx, code: string, level: 'district' | 'street' | 'community') {
  return queryRows<{ code: string; name: string; level: 'district' | 'street' | 'community' }>(
    db,
    sql`SELECT code, name, level FROM regions WHERE code LIKE ${prefix(code)} AND level = ${level} ORDER BY code`,
  );
}

/** Elders whose record was created in the period (新增建档). */
export async function eldersNew(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(e.id)::int AS n FROM ${windows(ws)}
    LEFT JOIN elders e ON e.region_code LIKE ${prefix(code)} AND e.created_at >= m.start_at AND e.created_at < m.end_at
    GROUP BY m.i`,
  );
}

/** Care visits done in the period (met or not at home). */
export async function visitsDone(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(v.id)::int AS n FROM ${windows(ws)}
    LEFT JOIN care_visits v ON v.region_code LIKE ${prefix(code)} AND v.status = 'done'
      AND v.visited_at >= m.start_at AND v.visited_at < m.end_at
    GROUP BY m.i`,
  );
}

/** Life-safety alarms (technical device alarms left out) resolved in the period: the rescues. */
export async function alarmsResolved(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(alarms.id)::int AS n FROM ${windows(ws)}
    LEFT JOIN alarms ON alarms.region_code LIKE ${prefix(code)} AND alarms.resolved_at IS NOT NULL
      AND alarms.resolved_at >= m.start_at AND alarms.resolved_at < m.end_at AND ${kindIs('life')}
    GROUP BY m.i`,
  );
}

/** Inbound calls answered, and outbound calls made for a care-call task (主动关爱), in the period. */
export async function callCounts(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; answered: number; care: number }>(
    db,
    sql`SELECT m.i,
      count(c.id) FILTER (WHERE c.direction = 'inbound' AND c.answered_at IS NOT NULL)::int AS answered,
      count(c.id) FILTER (WHERE c.direction = 'outbound' AND c.campaign_task_id IS NOT NULL)::int AS care
    FROM ${windows(ws)}
    LEFT JOIN calls c ON c.region_code LIKE ${prefix(code)} AND c.offered_at >= m.start_at AND c.offered_at < m.end_at
    GROUP BY m.i`,
  );
}

/** Volunteer tasks the community confirmed in the period and the minutes credited for them. */
export async function volunteerWork(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; tasks: number; minutes: number }>(
    db,
    sql`SELECT m.i, count(t.id)::int AS tasks, coalesce(sum(t.credited_minutes), 0)::int AS minutes
    FROM ${windows(ws)}
    LEFT JOIN volunteer_tasks t ON t.region_code LIKE ${prefix(code)} AND t.status = 'confirmed'
      AND t.confirmed_at >= m.start_at AND t.confirmed_at < m.end_at
    GROUP BY m.i`,
  );
}

/** Family care beds activated by the period's last day and not ended by then. */
export async function familyBedsActive(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; n: number }>(
    db,
    sql`SELECT m.i, count(b.id)::int AS n FROM ${windows(ws)}
    LEFT JOIN family_beds b ON b.region_code LIKE ${prefix(code)} AND b.activated_on IS NOT NULL
      AND b.activated_on <= m.last_day AND (b.ended_on IS NULL OR b.ended_on > m.last_day)
    GROUP BY m.i`,
  );
}

/** A contract in force on the period's last day: started, not past its end, not ended before the period did. */
const contractInForce = sql`dc.starts_on <= m.last_day AND dc.ends_on >= m.last_day
  AND (dc.ended_at IS NULL OR dc.ended_at >= m.end_at) AND dc.signed_at < m.end_at`;

/**
 * Family-doctor contracts in force at the period's end, and the 健康管理率 behind it: elders on the
 * register then, aged 65 or more on the last day, and how many of them had a contract in force.
 */
export async function doctorContracts(db: DbOrTx, code: string, ws: PeriodWindow[]) {
  return queryRows<{ i: number; contracts: number; elders65: number; contracted65: number }>(
    db,
    sql`SELECT m.i,
      (SELECT count(*) FROM doctor_contracts dc WHERE dc.region_code LIKE ${prefix(code)} AND ${contractInForce})::int AS contracts,
      count(e.id)::int AS elders65,
      count(e.id) FILTER (WHERE EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.elder_id = e.id AND ${contractInForce}))::int AS contracted65
    FROM ${windows(ws)}
    LEFT JOIN elders e ON e.region_code LIKE ${prefix(code)} AND e.created_at < m.end_at
      AND (e.status = 'active' OR e.status_date > m.last_day)
      AND e.birth_date <= (m.last_day - interval '65 years')::date
    GROUP BY m.i, m.last_day, m.end_at`,
  );
}
