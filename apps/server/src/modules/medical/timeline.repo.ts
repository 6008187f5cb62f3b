import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

export interface MedicalTimelineRow {
  at: string;
  kind: 'visit' | 'admitted' | 'discharged';
  id: string;
  team_name: string;
  member_name: string | null;
  source: string | null;
}

/**
 * An elder's medical events for the 360° timeline, newest first: home visits made, 家庭病床
 * admitted and discharged (a discharge day counts from midnight China time). No findings or
 * diagnosis: the timeline is read by care staff, health data only by the elder's doctors.
 */
export async function medicalEventsOfElder(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return queryRows<MedicalTimelineRow>(
    db,
    sql`SELECT * FROM (
        SELECT v.visited_at AS at, 'visit' AS kind, v.id, t.name AS team_name, m.name AS member_name, v.source
          FROM medical_visits v JOIN doctor_teams t ON t.id = v.team_id
          LEFT JOIN doctor_team_members m ON m.id = v.member_id
          WHERE v.elder_id = ${elderId} AND v.status = 'done' AND v.visited_at IS NOT NULL
        UNION ALL
        SELECT e.created_at, 'admitted', e.id, t.name, NULL, NULL
          FROM home_bed_episodes e JOIN doctor_teams t ON t.id = e.team_id WHERE e.elder_id = ${elderId}
        UNION ALL
        SELECT e.discharged_on::timestamp AT TIME ZONE 'Asia/Shanghai', 'discharged', e.id, t.name, NULL, NULL
          FROM home_bed_episodes e JOIN doctor_teams t ON t.id = e.team_id
          WHERE e.elder_id = ${elderId} AND e.status = 'discharged' AND e.discharged_on IS NOT NULL
      ) ev
      WHERE ev.at < ${before.toISOString()}::timestamptz
      ORDER BY ev.at DESC LIMIT ${limit}`,
  );
}
