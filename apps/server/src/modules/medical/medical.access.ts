import { sql } from 'drizzle-orm';
import type { AppContext } from '../../lib/context.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/**
 * Is this user one of the elder's doctors? True when the user's login is an active member of a
 * family-doctor team that holds the elder's active contract (签约) or runs the elder's open 家庭病床.
 * For other modules (the health record scopes health data to "the elder's doctors" with it); the
 * SQL form of the wider reach, with open visits and referrals, is `doctorSeesElder` in lib/access.ts.
 */
export async function isElderDoctor(ctx: Pick<AppContext, 'db'>, userId: string, elderId: string): Promise<boolean> {
  const rows = await queryRows<{ ok: boolean }>(
    ctx.db,
    sql`SELECT EXISTS (
        SELECT 1 FROM doctor_team_members m
        WHERE m.user_id = ${userId}::uuid AND m.active AND (
          EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.team_id = m.team_id AND dc.elder_id = ${elderId}::uuid AND dc.status = 'active')
          OR EXISTS (SELECT 1 FROM home_bed_episodes hb WHERE hb.team_id = m.team_id AND hb.elder_id = ${elderId}::uuid AND hb.status = 'open'))
      ) AS ok`,
  );
  return rows[0]?.ok === true;
}

/** The same question as SQL on an elder id column, for list queries (`WHERE ${elderDoctorCondition(...)}`). */
export function elderDoctorCondition(userId: string, elderIdColumn: ReturnType<typeof sql>) {
  return sql`EXISTS (SELECT 1 FROM doctor_team_members m WHERE m.user_id = ${userId}::uuid AND m.active AND (
    EXISTS (SELECT 1 FROM doctor_contracts dc WHERE dc.team_id = m.team_id AND dc.elder_id = ${elderIdColumn} AND dc.status = 'active')
    OR EXISTS (SELECT 1 FROM home_bed_episodes hb WHERE hb.team_id = m.team_id AND hb.elder_id = ${elderIdColumn} AND hb.status = 'open')))`;
}
