import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** The risk map's inputs, counted in SQL: one grouped query per input, for one institution or all in reach. */

export interface OrgRiskRow {
  org_id: string;
  name: string;
  region_code: string;
  lat: number | null;
  lng: number | null;
  open_hazard: number;
  overdue_rectification: number;
  alarm_30d: number;
  missed_checkpoint_30d: number;
  /** The latest finished inspection's score in per cent of its checklist's maximum (null: none). */
  inspection_score: number | null;
}

/**
 * Every institution in the actor's reach (its own, or its region's subtree, optionally narrowed to a
 * region) with the counts of each risk input, and its place: its own location, else the centre of
 * its community's outline's bounding box.
 */
export async function orgRiskRows(
  db: DbOrTx,
  actor: Actor,
  f: { today: string; since: Date; orgId?: string; regionCode?: string },
) {
  const reach = actor.orgId ? sql`o.id = ${actor.orgId}` : (regionScope(sql`o.region_code`, actor) ?? sql`true`);
  const since = f.since.toISOString();
  return queryRows<OrgRiskRow>(
    db,
    sql`WITH orgs AS (
          SELECT o.id, o.name, o.region_code FROM organizations o
           WHERE o.type = 'institution' AND ${reach}
             ${f.orgId ? sql`AND o.id = ${f.orgId}` : sql``}
             ${f.regionCode ? sql`AND o.region_code LIKE ${`${f.regionCode.replace(/[%_\\]/g, '\\$&')}%`}` : sql``}),
        hz AS (
          SELECT h.org_id, count(*) FILTER (WHERE h.status IN ('open', 'rectified'))::int AS open_hazard,
                 count(*) FILTER (WHERE h.status = 'open' AND h.deadline_on < ${f.today}::date)::int AS overdue
            FROM patrol_hazards h JOIN orgs ON orgs.id = h.org_id WHERE h.status <> 'closed' GROUP BY h.org_id),
        al AS (
          SELECT a.org_id, count(*)::int AS n FROM alarms a JOIN orgs ON orgs.id = a.org_id
           WHERE a.raised_at >= ${since}::timestamptz AND a.type <> 'patrol_missed' GROUP BY a.org_id),
        ms AS (
          SELECT s.org_id, count(*)::int AS n FROM patrol_scans s JOIN orgs ON orgs.id = s.org_id
           WHERE s.result = 'missed' AND s.scanned_at >= ${since}::timestamptz GROUP BY s.org_id)
        SELECT orgs.id AS org_id, orgs.name, orgs.region_code,
               coalesce(l.lat, (b.min_lat + b.max_lat) / 2) AS lat, coalesce(l.lng, (b.min_lng + b.max_lng) / 2) AS lng,
               coalesce(hz.open_hazard, 0) AS open_hazard, coalesce(hz.overdue, 0) AS overdue_rectification,
               coalesce(al.n, 0) AS alarm_30d, coalesce(ms.n, 0) AS missed_checkpoint_30d,
               ins.pct AS inspection_score
          FROM orgs
          LEFT JOIN institution_locations l ON l.org_id = orgs.id
          LEFT JOIN region_boundaries b ON b.region_code = orgs.region_code
          LEFT JOIN hz ON hz.org_id = orgs.id
          LEFT JOIN al ON al.org_id = orgs.id
          LEFT JOIN ms ON ms.org_id = orgs.id
          LEFT JOIN LATERAL (
            SELECT round(100 * i.total_score / t.max_score)::int AS pct
              FROM inspections i JOIN inspection_templates t ON t.id = i.template_id
             WHERE i.org_id = orgs.id AND i.status = 'finished' AND i.total_score IS NOT NULL
             ORDER BY i.finished_at DESC LIMIT 1) ins ON true
         ORDER BY orgs.name`,
  );
}

/** The area inputs of one institution: every area of its checkpoints, with hazards, overdue and misses. */
export async function areaRiskRows(db: DbOrTx, orgId: string, f: { today: string; since: Date }) {
  return queryRows<{ area: string; open_hazard: number; overdue_rectification: number; missed_checkpoint_30d: number }>(
    db,
    sql`WITH areas AS (SELECT DISTINCT area FROM patrol_checkpoints WHERE org_id = ${orgId} AND active
                       UNION SELECT DISTINCT area FROM patrol_hazards WHERE org_id = ${orgId} AND status <> 'closed')
        SELECT areas.area,
          (SELECT count(*)::int FROM patrol_hazards h WHERE h.org_id = ${orgId} AND h.area = areas.area
              AND h.status IN ('open', 'rectified')) AS open_hazard,
          (SELECT count(*)::int FROM patrol_hazards h WHERE h.org_id = ${orgId} AND h.area = areas.area
              AND h.status = 'open' AND h.deadline_on < ${f.today}::date) AS overdue_rectification,
          (SELECT count(*)::int FROM patrol_scans s JOIN patrol_checkpoints c ON c.id = s.checkpoint_id
            WHERE s.org_id = ${orgId} AND c.area = areas.area AND s.result = 'missed'
              AND s.scanned_at >= ${f.since.toISOString()}::timestamptz) AS missed_checkpoint_30d
        FROM areas ORDER BY areas.area`,
  );
}

export interface MonthRow {
  org_id: string;
  name: string;
  runs: number;
  complete: number;
  late: number;
  missed_runs: number;
  missed_checkpoints: number;
  hazards_found: number;
  hazards_closed: number;
  overdue: number;
}

/** A month's patrols per institution in reach. */
export async function monthRows(db: DbOrTx, actor: Actor, f: { start: Date; end: Date; today: string }) {
  const reach = actor.orgId ? sql`o.id = ${actor.orgId}` : (regionScope(sql`o.region_code`, actor) ?? sql`true`);
  const [s, e] = [f.start.toISOString(), f.end.toISOString()];
  return queryRows<MonthRow>(
    db,
    sql`SELECT o.id AS org_id, o.name,
          count(p.id)::int AS runs,
          count(p.id) FILTER (WHERE p.status = 'complete')::int AS complete,
          count(p.id) FILTER (WHERE p.status = 'late')::int AS late,
          count(p.id) FILTER (WHERE p.status = 'missed')::int AS missed_runs,
          coalesce(sum(p.missed), 0)::int AS missed_checkpoints,
          (SELECT count(*)::int FROM patrol_hazards h WHERE h.org_id = o.id
             AND h.found_at >= ${s}::timestamptz AND h.found_at < ${e}::timestamptz) AS hazards_found,
          (SELECT count(*)::int FROM patrol_hazards h WHERE h.org_id = o.id
             AND h.closed_at >= ${s}::timestamptz AND h.closed_at < ${e}::timestamptz) AS hazards_closed,
          (SELECT count(*)::int FROM patrol_hazards h WHERE h.org_id = o.id
             AND h.status = 'open' AND h.deadline_on < ${f.today}::date) AS overdue
        FROM organizations o
        LEFT JOIN patrol_runs p ON p.org_id = o.id AND p.starts_at >= ${s}::timestamptz AND p.starts_at < ${e}::timestamptz
             AND p.status <> 'open'
        WHERE o.type = 'institution' AND ${reach}
        GROUP BY o.id, o.name ORDER BY o.name`,
  );
}
