import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { scopeOf } from './care-visits.repo.ts';

const day = (col: string) => sql.raw(`(${col} AT TIME ZONE 'Asia/Shanghai')::date`);

/**
 * Coverage: an elder with an active plan counts as visited within the plan when a visit was
 * recorded in the `interval_days` up to `to`. Everything else counts within from–to.
 */
export async function coverageByGroup(db: DbOrTx, actor: Actor, regionCode: string | undefined, to: string) {
  return queryRows<{ group: string; elders: number; planned: number; visited_in_plan: number }>(
    db,
    sql`SELECT m.group_code AS "group", count(DISTINCT e.id)::int AS elders,
        count(DISTINCT e.id) FILTER (WHERE p.active)::int AS planned,
        count(DISTINCT e.id) FILTER (WHERE p.active AND EXISTS (
          SELECT 1 FROM care_visits v WHERE v.elder_id = e.id AND v.status = 'done'
            AND ${day('v.visited_at')} > ${to}::date - p.interval_days AND ${day('v.visited_at')} <= ${to}::date))::int AS visited_in_plan
      FROM care_group_members m JOIN elders e ON e.id = m.elder_id
      LEFT JOIN care_visit_plans p ON p.elder_id = e.id
      WHERE e.status = 'active' AND ${scopeOf(actor, sql`e.region_code`, regionCode)}
      GROUP BY m.group_code`,
  );
}

export async function findingsByType(db: DbOrTx, actor: Actor, regionCode: string | undefined, from: string, to: string) {
  return queryRows<{ type: string; count: number }>(
    db,
    sql`SELECT f.type, count(*)::int AS count FROM care_visit_findings f
      WHERE ${scopeOf(actor, sql`f.region_code`, regionCode)} AND ${day('f.found_at')} BETWEEN ${from}::date AND ${to}::date
      GROUP BY f.type ORDER BY count DESC, f.type`,
  );
}

export async function followUpFigures(
  db: DbOrTx,
  actor: Actor,
  regionCode: string | undefined,
  from: string,
  to: string,
  today: string,
) {
  const [r] = await queryRows<{ total: number; closed: number; closed_on_time: number; open: number; overdue: number }>(
    db,
    sql`SELECT count(*)::int AS total,
        count(*) FILTER (WHERE status = 'closed')::int AS closed,
        count(*) FILTER (WHERE status = 'closed' AND ${day('closed_at')} <= deadline)::int AS closed_on_time,
        count(*) FILTER (WHERE status = 'open')::int AS open,
        count(*) FILTER (WHERE status = 'open' AND deadline < ${today}::date)::int AS overdue
      FROM care_follow_ups fu
      WHERE ${scopeOf(actor, sql`fu.region_code`, regionCode)} AND ${day('fu.created_at')} BETWEEN ${from}::date AND ${to}::date`,
  );
  return r;
}

export async function byCommunity(
  db: DbOrTx,
  actor: Actor,
  regionCode: string | undefined,
  from: string,
  to: string,
  today: string,
) {
  return queryRows<{
    region_code: string;
    region_name: string | null;
    planned: number;
    visited_in_plan: number;
    visits: number;
    overdue: number;
    findings: number;
  }>(
    db,
    sql`WITH plans AS (
        SELECT p.region_code, count(*)::int AS planned,
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM care_visits v WHERE v.elder_id = p.elder_id AND v.status = 'done'
            AND ${day('v.visited_at')} > ${to}::date - p.interval_days AND ${day('v.visited_at')} <= ${to}::date))::int AS visited_in_plan
        FROM care_visit_plans p WHERE p.active AND ${scopeOf(actor, sql`p.region_code`, regionCode)} GROUP BY p.region_code
      ), visits AS (
        SELECT v.region_code,
          count(*) FILTER (WHERE v.status = 'done' AND ${day('v.visited_at')} BETWEEN ${from}::date AND ${to}::date)::int AS visits,
          count(*) FILTER (WHERE v.status = 'scheduled' AND v.due_on < ${today}::date)::int AS overdue
        FROM care_visits v WHERE ${scopeOf(actor, sql`v.region_code`, regionCode)} GROUP BY v.region_code
      ), findings AS (
        SELECT f.region_code, count(*)::int AS findings FROM care_visit_findings f
        WHERE ${scopeOf(actor, sql`f.region_code`, regionCode)} AND ${day('f.found_at')} BETWEEN ${from}::date AND ${to}::date
        GROUP BY f.region_code
      )
      SELECT c.region_code, r.name AS region_name, coalesce(p.planned, 0) AS planned, coalesce(p.visited_in_plan, 0) AS visited_in_plan,
        coalesce(v.visits, 0) AS visits, coalesce(v.overdue, 0) AS overdue, coalesce(f.findings, 0) AS findings
      FROM (SELECT region_code FROM plans UNION SELECT region_code FROM visits UNION SELECT region_code FROM findings) c
      LEFT JOIN plans p USING (region_code) LEFT JOIN visits v USING (region_code) LEFT JOIN findings f USING (region_code)
      LEFT JOIN regions r ON r.code = c.region_code
      ORDER BY c.region_code LIMIT 500`,
  );
}

export async function byWorker(
  db: DbOrTx,
  actor: Actor,
  regionCode: string | undefined,
  from: string,
  to: string,
  today: string,
) {
  return queryRows<{ user_id: string; name: string; visits: number; overdue: number; findings: number }>(
    db,
    sql`WITH done AS (
        SELECT v.visited_by AS user_id, count(*)::int AS visits,
          sum((SELECT count(*) FROM care_visit_findings f WHERE f.visit_id = v.id))::int AS findings
        FROM care_visits v WHERE v.status = 'done' AND v.visited_by IS NOT NULL
          AND ${scopeOf(actor, sql`v.region_code`, regionCode)} AND ${day('v.visited_at')} BETWEEN ${from}::date AND ${to}::date
        GROUP BY v.visited_by
      ), late AS (
        SELECT v.assignee_id AS user_id, count(*)::int AS overdue FROM care_visits v
        WHERE v.status = 'scheduled' AND v.due_on < ${today}::date AND v.assignee_id IS NOT NULL
          AND ${scopeOf(actor, sql`v.region_code`, regionCode)}
        GROUP BY v.assignee_id
      )
      SELECT u.id AS user_id, u.display_name AS name, coalesce(d.visits, 0) AS visits, coalesce(l.overdue, 0) AS overdue,
        coalesce(d.findings, 0) AS findings
      FROM (SELECT user_id FROM done UNION SELECT user_id FROM late) w
      JOIN users u ON u.id = w.user_id LEFT JOIN done d ON d.user_id = w.user_id LEFT JOIN late l ON l.user_id = w.user_id
      ORDER BY visits DESC, u.display_name LIMIT 500`,
  );
}
