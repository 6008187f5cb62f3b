import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { calls } from './calls.schema.ts';

/** The call-centre reports' queries: inbound calls offered in [from, to) in the actor's region. */

const and_ = (scope: SQL | undefined) => (scope ? sql`AND ${scope}` : sql``);
const inbound = (actor: Actor, from: Date, to: Date) =>
  sql`calls.direction = 'inbound' AND calls.offered_at >= ${from.toISOString()} AND calls.offered_at < ${to.toISOString()} ${and_(regionScope(calls.regionCode, actor))}`;
const dayStart = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
const secs = (a: SQL, b: SQL) => sql`extract(epoch FROM ${b} - ${a})`;
const WAIT = secs(sql`calls.offered_at`, sql`calls.answered_at`);
const TALK = secs(sql`calls.answered_at`, sql`calls.ended_at`);
const WRAP = secs(sql`calls.ended_at`, sql`calls.wrap_up_ended_at`);

export interface TotalsRow {
  offered: number;
  answered: number;
  abandoned: number;
  within15: number;
  within60: number;
  within180: number;
  avg_wait: number | null;
  p90_wait: number | null;
  avg_talk: number | null;
  p90_talk: number | null;
  avg_wrap: number | null;
  p90_wrap: number | null;
}

/** Offered, answered, abandoned, answered within 15 / 60 / 180 s; wait, talk and after-call times. */
export async function inboundTotals(db: DbOrTx, actor: Actor, from: Date, to: Date) {
  const [r] = await queryRows<TotalsRow>(
    db,
    sql`SELECT count(*)::int AS offered,
      count(answered_at)::int AS answered,
      count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned,
      count(*) FILTER (WHERE ${WAIT} <= 15)::int AS within15,
      count(*) FILTER (WHERE ${WAIT} <= 60)::int AS within60,
      count(*) FILTER (WHERE ${WAIT} <= 180)::int AS within180,
      avg(${WAIT})::float8 AS avg_wait,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${WAIT}) AS p90_wait,
      avg(${TALK})::float8 AS avg_talk,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${TALK}) AS p90_talk,
      avg(${WRAP})::float8 AS avg_wrap,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY ${WRAP}) AS p90_wrap
    FROM calls WHERE ${inbound(actor, from, to)}`,
  );
  return r;
}

/** Offered, answered and abandoned per hour, day or month of China time. */
export async function inboundBuckets(db: DbOrTx, actor: Actor, from: Date, to: Date, bucket: 'hour' | 'day' | 'month') {
  return queryRows<{ start: Date | string; offered: number; answered: number; abandoned: number }>(
    db,
    sql`SELECT (date_trunc(${bucket}, offered_at AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai') AS start,
      count(*)::int AS offered, count(answered_at)::int AS answered,
      count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned
    FROM calls WHERE ${inbound(actor, from, to)} GROUP BY 1 ORDER BY 1`,
  );
}

/** Answered inbound calls per top-level category (a sub-category counts under its parent). */
export async function inboundByCategory(db: DbOrTx, actor: Actor, from: Date, to: Date) {
  return queryRows<{ code: string | null; name: string | null; calls: number }>(
    db,
    sql`SELECT top.code, top.name, count(*)::int AS calls
    FROM calls
    LEFT JOIN call_categories cat ON cat.code = calls.category_code
    LEFT JOIN call_categories top ON top.code = coalesce(cat.parent_code, cat.code)
    WHERE calls.answered_at IS NOT NULL AND ${inbound(actor, from, to)}
    GROUP BY top.code, top.name, top.sort ORDER BY calls DESC, top.sort`,
  );
}

export async function inboundByAgent(db: DbOrTx, actor: Actor, from: Date, to: Date) {
  return queryRows<{ user_id: string; name: string | null; answered: number; avg_talk: number | null; avg_wrap: number | null }>(
    db,
    sql`SELECT calls.agent_user_id AS user_id, u.display_name AS name, count(*)::int AS answered,
      avg(${TALK})::float8 AS avg_talk, avg(${WRAP})::float8 AS avg_wrap
    FROM calls LEFT JOIN users u ON u.id = calls.agent_user_id
    WHERE calls.answered_at IS NOT NULL AND calls.agent_user_id IS NOT NULL AND ${inbound(actor, from, to)}
    GROUP BY calls.agent_user_id, u.display_name ORDER BY answered DESC`,
  );
}

/** Numbers (by blind index) that called more than once in the period. */
export async function repeatCallers(db: DbOrTx, actor: Actor, from: Date, to: Date) {
  const [r] = await queryRows<{ numbers: number; calls: number }>(
    db,
    sql`SELECT count(*)::int AS numbers, coalesce(sum(n), 0)::int AS calls FROM (
      SELECT count(*) AS n FROM calls WHERE caller_hash IS NOT NULL AND ${inbound(actor, from, to)}
      GROUP BY caller_hash HAVING count(*) > 1) t`,
  );
  return r;
}

/** Calls waiting now (offered, not answered, not ended) and today's answered share within 60 s. */
export async function live(db: DbOrTx, actor: Actor) {
  const [r] = await queryRows<{ waiting: number; longest: number | null; offered: number; answered: number; within60: number }>(
    db,
    sql`SELECT
      count(*) FILTER (WHERE answered_at IS NULL AND ended_at IS NULL AND offered_at > now() - interval '1 hour')::int AS waiting,
      max(extract(epoch FROM now() - offered_at)) FILTER (WHERE answered_at IS NULL AND ended_at IS NULL AND offered_at > now() - interval '1 hour')::float8 AS longest,
      count(*) FILTER (WHERE offered_at >= ${dayStart})::int AS offered,
      count(answered_at) FILTER (WHERE offered_at >= ${dayStart})::int AS answered,
      count(*) FILTER (WHERE offered_at >= ${dayStart} AND ${WAIT} <= 60)::int AS within60
    FROM calls WHERE direction = 'inbound' AND offered_at >= least(${dayStart}, now() - interval '1 hour')
      ${and_(regionScope(calls.regionCode, actor))}`,
  );
  return r;
}
