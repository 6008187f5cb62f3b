import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { alarms } from './alarms.schema.ts';

const and_ = (scope: SQL | undefined) => (scope ? sql`AND ${scope}` : sql``);
const dayStart = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Alarms raised in [from, to) in the actor's region (not yet acknowledged ones only once older
 * than 60 s): how many, how many acknowledged within 60 s and 180 s, median and p90 seconds.
 */
export async function ackTimes(db: DbOrTx, actor: Actor, from: Date, to: Date, priority?: string) {
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
      ${priority ? sql`AND priority = ${priority}` : sql``} ${and_(regionScope(alarms.regionCode, actor))}`,
  );
  return r;
}

/** Open alarms per priority in the actor's region. */
export async function openByPriority(db: DbOrTx, actor: Actor) {
  return queryRows<{ priority: string; n: number }>(
    db,
    sql`SELECT priority, count(*)::int AS n FROM alarms WHERE open ${and_(regionScope(alarms.regionCode, actor))} GROUP BY priority`,
  );
}

/** Alarms raised today (China time) per type in the actor's region, most first. */
export async function todayByType(db: DbOrTx, actor: Actor) {
  return queryRows<{ type: string; n: number }>(
    db,
    sql`SELECT type, count(*)::int AS n FROM alarms WHERE raised_at >= ${dayStart} ${and_(regionScope(alarms.regionCode, actor))} GROUP BY type ORDER BY n DESC`,
  );
}

/** Alarms raised today (China time) per street in the actor's region, most first. */
export async function todayByStreet(db: DbOrTx, actor: Actor) {
  return queryRows<{ code: string; name: string | null; n: number }>(
    db,
    sql`SELECT left(alarms.region_code, 9) AS code, r.name, count(*)::int AS n FROM alarms LEFT JOIN regions r ON r.code = left(alarms.region_code, 9)
          WHERE alarms.raised_at >= ${dayStart} ${and_(regionScope(alarms.regionCode, actor))} GROUP BY 1, 2 ORDER BY n DESC`,
  );
}
