import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { scopeOf } from './care-visits.repo.ts';
import { visitScope } from './visits.repo.ts';

const and = (parts: Array<SQL | undefined | false>) => {
  const list = parts.filter((p): p is SQL => Boolean(p));
  return list.length ? sql.join(list, sql` AND `) : sql`true`;
};

export interface FollowUpRow {
  id: string;
  finding_id: string;
  finding_type: string;
  elder_id: string;
  elder_name: string;
  region_code: string;
  region_name: string | null;
  type: 'service_order' | 'alarm' | 'home_adaptation' | 'doctor_referral' | 'street_task';
  status: 'open' | 'closed';
  deadline: string;
  detail: string;
  order_id: string | null;
  order_no: string | null;
  order_status: string | null;
  alarm_id: string | null;
  alarm_status: string | null;
  created_by_name: string | null;
  created_at: Date;
  closed_at: Date | null;
  closing_note: string | null;
}

const select = sql`
  SELECT fu.id, fu.finding_id, f.type AS finding_type, fu.elder_id, e.name AS elder_name, fu.region_code, r.name AS region_name,
    fu.type, fu.status, to_char(fu.deadline, 'YYYY-MM-DD') AS deadline, fu.detail, fu.order_id, o.no AS order_no,
    o.status AS order_status, fu.alarm_id, a.status AS alarm_status, u.display_name AS created_by_name, fu.created_at,
    fu.closed_at, fu.closing_note
  FROM care_follow_ups fu
  JOIN care_visit_findings f ON f.id = fu.finding_id
  JOIN elders e ON e.id = fu.elder_id
  LEFT JOIN regions r ON r.code = fu.region_code
  LEFT JOIN service_orders o ON o.id = fu.order_id
  LEFT JOIN alarms a ON a.id = fu.alarm_id
  LEFT JOIN users u ON u.id = fu.created_by`;

export interface FollowUpFilter {
  status?: 'open' | 'closed';
  type?: string;
  overdue?: boolean;
  regionCode?: string;
  visitId?: string;
}

/** Staff by region; a volunteer only the follow-ups of findings of visits assigned to or recorded by them. */
function followUpScope(actor: Actor, regionCode?: string) {
  if (actor.role === 'volunteer')
    return sql`EXISTS (SELECT 1 FROM care_visit_findings sf JOIN care_visits sv ON sv.id = sf.visit_id
      WHERE sf.id = fu.finding_id AND ${visitScope(actor, sql`sv`, regionCode)})`;
  return scopeOf(actor, sql`fu.region_code`, regionCode);
}

function where(actor: Actor, f: FollowUpFilter, today: string) {
  return and([
    followUpScope(actor, f.regionCode),
    f.status ? sql`fu.status = ${f.status}` : undefined,
    f.type ? sql`fu.type = ${f.type}` : undefined,
    f.overdue === true ? sql`fu.status = 'open' AND fu.deadline < ${today}::date` : undefined,
    f.overdue === false ? sql`NOT (fu.status = 'open' AND fu.deadline < ${today}::date)` : undefined,
    f.visitId ? sql`fu.finding_id IN (SELECT id FROM care_visit_findings WHERE visit_id = ${f.visitId})` : undefined,
  ]);
}

export async function listFollowUps(db: DbOrTx, actor: Actor, f: FollowUpFilter, today: string, limit: number, offset: number) {
  return queryRows<FollowUpRow>(
    db,
    sql`${select} WHERE ${where(actor, f, today)}
      ORDER BY (fu.status = 'open') DESC, fu.deadline, fu.created_at, fu.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countFollowUps(db: DbOrTx, actor: Actor, f: FollowUpFilter, today: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM care_follow_ups fu WHERE ${where(actor, f, today)}`,
  );
  return r.n;
}

export async function findFollowUp(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<FollowUpRow>(db, sql`${select} WHERE fu.id = ${id} AND ${followUpScope(actor)}`);
  return r;
}

export async function insertFollowUp(
  tx: DbOrTx,
  f: {
    findingId: string;
    elderId: string;
    regionCode: string;
    type: string;
    deadline: string;
    detail: string;
    orderId: string | null;
    alarmId: string | null;
    createdBy: string | null;
    isDemo: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO care_follow_ups (finding_id, elder_id, region_code, type, deadline, detail, order_id, alarm_id, created_by, is_demo)
      VALUES (${f.findingId}, ${f.elderId}, ${f.regionCode}, ${f.type}, ${f.deadline}, ${f.detail}, ${f.orderId}, ${f.alarmId},
        ${f.createdBy}, ${f.isDemo}) RETURNING id`,
  );
  return r.id;
}

export async function closeFollowUp(tx: DbOrTx, id: string, by: string | null, note: string, at = new Date()) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE care_follow_ups SET status = 'closed', closed_at = ${at.toISOString()}, closed_by = ${by}, closing_note = ${note}
      WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return rows.length > 0;
}

/** Open follow-ups whose service order was served (or later), whose alarm was resolved or whose referral closed. */
export async function closableFollowUps(db: DbOrTx) {
  return queryRows<{
    id: string;
    region_code: string;
    type: string;
    order_status: string | null;
    alarm_status: string | null;
    referral_status: string | null;
  }>(
    db,
    sql`SELECT fu.id, fu.region_code, fu.type, o.status AS order_status, a.status AS alarm_status, mr.status AS referral_status
      FROM care_follow_ups fu
      LEFT JOIN service_orders o ON o.id = fu.order_id
      LEFT JOIN alarms a ON a.id = fu.alarm_id
      LEFT JOIN medical_referrals mr ON mr.follow_up_id = fu.id
      WHERE fu.status = 'open' AND (
        (fu.type = 'service_order' AND o.status IN ('served', 'confirmed', 'settled'))
        OR (fu.type = 'alarm' AND a.status IN ('resolved', 'reviewed'))
        OR (fu.type = 'doctor_referral' AND mr.status IN ('completed', 'rejected')))
      LIMIT 1000`,
  );
}
