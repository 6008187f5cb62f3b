import { sql } from 'drizzle-orm';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { regionScope } from '../../lib/scope.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { devices } from '../devices/devices.schema.ts';
import { alarms } from './alarms.schema.ts';

/**
 * Acknowledgement SLA over a period: the share of alarms acknowledged within 60 s and 180 s of
 * being raised (the telecare targets are 97.5 % and 99 %). Alarms not yet acknowledged count as
 * late once they are older than the threshold.
 */
export async function slaReport(ctx: AppContext, actor: Actor, from: Date, to: Date, priority?: string) {
  const scope = regionScope(alarms.regionCode, actor);
  const [r] = await queryRows<{
    total: number;
    within60: number;
    within180: number;
    acked: number;
    p50: number | null;
    p90: number | null;
  }>(
    ctx.db,
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
      ${priority ? sql`AND priority = ${priority}` : sql``} ${scope ? sql`AND ${scope}` : sql``}`,
  );
  const pct = (n: number) => (r.total ? Math.round((n / r.total) * 1000) / 10 : null);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    total: r.total,
    acknowledged: r.acked,
    within60s: r.within60,
    within180s: r.within180,
    pctWithin60s: pct(r.within60),
    pctWithin180s: pct(r.within180),
    medianSeconds: r.p50 === null ? null : Math.round(Number(r.p50) * 10) / 10,
    p90Seconds: r.p90 === null ? null : Math.round(Number(r.p90) * 10) / 10,
    targets: { pctWithin60s: 97.5, pctWithin180s: 99 },
  };
}

/** Figures for the command-centre screen. */
export async function screenStats(ctx: AppContext, actor: Actor) {
  const scope = regionScope(alarms.regionCode, actor);
  const dscope = regionScope(devices.regionCode, actor);
  const dayStart = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;
  const [open, byType, byStreet, dev] = await Promise.all([
    queryRows<{ priority: string; n: number }>(
      ctx.db,
      sql`SELECT priority, count(*)::int AS n FROM alarms WHERE open ${scope ? sql`AND ${scope}` : sql``} GROUP BY priority`,
    ),
    queryRows<{ type: string; n: number }>(
      ctx.db,
      sql`SELECT type, count(*)::int AS n FROM alarms WHERE raised_at >= ${dayStart} ${scope ? sql`AND ${scope}` : sql``} GROUP BY type ORDER BY n DESC`,
    ),
    queryRows<{ code: string; name: string | null; n: number }>(
      ctx.db,
      sql`SELECT left(alarms.region_code, 9) AS code, r.name, count(*)::int AS n FROM alarms LEFT JOIN regions r ON r.code = left(alarms.region_code, 9)
          WHERE alarms.raised_at >= ${dayStart} ${scope ? sql`AND ${scope}` : sql``} GROUP BY 1, 2 ORDER BY n DESC`,
    ),
    queryRows<{ total: number; online: number }>(
      ctx.db,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE online)::int AS online FROM devices WHERE status = 'active' ${dscope ? sql`AND ${dscope}` : sql``}`,
    ),
  ]);
  const now = new Date();
  const sla = await slaReport(ctx, actor, new Date(now.getTime() - 30 * 86_400_000), now);
  return {
    openByPriority: Object.fromEntries(['P1', 'P2', 'P3'].map((p) => [p, open.find((o) => o.priority === p)?.n ?? 0])),
    todayByType: byType.map((t) => ({ type: t.type, count: t.n })),
    todayByStreet: byStreet.map((s) => ({ regionCode: s.code, name: s.name, count: s.n })),
    sla,
    devices: dev[0] ?? { total: 0, online: 0 },
  };
}
