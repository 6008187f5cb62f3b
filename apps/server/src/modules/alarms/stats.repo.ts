import { type AlarmKind, TECHNICAL_ALARM_TYPES } from '@zhiyang/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { alarms } from './alarms.schema.ts';

const technical = sql.join(
  TECHNICAL_ALARM_TYPES.map((t) => sql`${t}`),
  sql`, `,
);
/** The condition for an alarm of one kind: technical (device) alarms or everything else. */
export const kindIs = (kind: AlarmKind) =>
  kind === 'technical' ? sql`${alarms.type} IN (${technical})` : sql`${alarms.type} NOT IN (${technical})`;
const and_ = (scope: SQL | undefined) => (scope ? sql`AND ${scope}` : sql``);
const dayStart = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Alarms raised in [from, to) in the actor's region (not yet acknowledged ones only once older
 * than 60 s): how many, how many acknowledged within 60 s and 180 s, median and p90 seconds.
 */
export async function ackTimes(db: DbOrTx, actor: Actor, from: Date, to: Date, priority?: string, kind?: AlarmKind) {
  const [r] = await queryRows<{
    total: number;
    within60: number;
    within180: number;
    acked: number;
    p50: number | null;
    p90: number | null;
  }>(
    db,
    sql`
    SELECT count(*)::int AS total,
      count(*) FILTER (WHERE acknowledged_at <= raised_at + interval '60 seconds')::int AS within60,
      count(*) FILTER (WHERE acknowledged_at <= raised_at + interval '180 seconds')::int AS within180,
      count(acknowledged_at)::int AS acked,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - raised_at)) AS p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - raised_at)) AS p90
    FROM alarms
    WHERE raised_at >= ${from.toISOString()} AND raised_at < ${to.toISOString()}
      AND (acknowledged_at IS NOT NULL OR raised_at < now() - interval '60 seconds')
      ${priority ? sql`AND priority = ${priority}` : sql``} ${kind ? sql`AND ${kindIs(kind)}` : sql``}
      ${and_(regionScope(alarms.regionCode, actor))}`,
  );
  return r;
}

/** Alarms raised today (China time) per type in the actor's region, most first. */
export async function todayByType(db: DbOrTx, actor: Actor) {
  return queryRows<{ type: string; n: number }>(
    db,
    sql`SELECT type, count(*)::int AS n FROM alarms WHERE raised_at >= ${dayStart} ${and_(regionScope(alarms.regionCode, actor))} GROUP BY type ORDER BY n DESC`,
  );
}

/**
 * Life-safety alarms raised today (China time) per street in the actor's region, most first.
 * Technical alarms (设备离线, low battery …) are left out: a few hundred offline devices would
 * drown the falls and smoke alarms; the screen counts them in their own panel.
 */
export async function todayByStreet(db: DbOrTx, actor: Actor) {
  return queryRows<{ code: string; name: string | null; n: number }>(
    db,
    sql`SELECT left(alarms.region_code, 9) AS code, r.name, count(*)::int AS n FROM alarms LEFT JOIN regions r ON r.code = left(alarms.region_code, 9)
          WHERE alarms.raised_at >= ${dayStart} AND ${kindIs('life')} ${and_(regionScope(alarms.regionCode, actor))}
          GROUP BY 1, 2 ORDER BY n DESC`,
  );
}

/** Open alarms per priority and kind in the actor's region. */
export async function openByPriorityAndKind(db: DbOrTx, actor: Actor) {
  return queryRows<{ priority: string; technical: boolean; n: number }>(
    db,
    sql`SELECT priority, ${kindIs('technical')} AS technical, count(*)::int AS n FROM alarms
          WHERE open ${and_(regionScope(alarms.regionCode, actor))} GROUP BY 1, 2`,
  );
}

/** Open life-safety alarms per community in the actor's region, with the community's centre point. */
export async function openByCommunity(db: DbOrTx, actor: Actor) {
  return queryRows<{ code: string; name: string | null; lat: number | null; lng: number | null; n: number }>(
    db,
    sql`SELECT alarms.region_code AS code, r.name, r.lat, r.lng, count(*)::int AS n
          FROM alarms LEFT JOIN regions r ON r.code = alarms.region_code
          WHERE alarms.open AND ${kindIs('life')} ${and_(regionScope(alarms.regionCode, actor))}
          GROUP BY 1, 2, 3, 4 ORDER BY n DESC`,
  );
}

/** Service orders booked for today (China time) per status in the actor's region. */
export async function servicesToday(db: DbOrTx, actor: Actor) {
  return queryRows<{ status: string; n: number }>(
    db,
    sql`SELECT status, count(*)::int AS n FROM service_orders
          WHERE scheduled_at >= ${dayStart} AND scheduled_at < ${dayStart} + interval '1 day'
            AND status NOT IN ('cancelled', 'voided') ${and_(regionScope(sql.raw('service_orders.region_code'), actor))}
          GROUP BY status`,
  );
}
