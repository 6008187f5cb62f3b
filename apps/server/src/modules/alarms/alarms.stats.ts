import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { activeDeviceCounts } from '../devices/devices.repo.ts';
import { ackTimes, openByPriority, todayByStreet, todayByType } from './stats.repo.ts';

/**
 * Acknowledgement SLA over a period: the share of alarms acknowledged within 60 s and 180 s of
 * being raised (the telecare targets are 97.5 % and 99 %). Alarms not yet acknowledged count as
 * late once they are older than the threshold.
 */
/** The SLA over `from`..`to`; the period defaults to the 30 days up to now (or up to `to`). */
export function slaOver(ctx: AppContext, actor: Actor, q: { from?: string; to?: string; priority?: string }) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return slaReport(ctx, actor, from, to, q.priority);
}

export async function slaReport(ctx: AppContext, actor: Actor, from: Date, to: Date, priority?: string) {
  const r = await ackTimes(ctx.db, actor, from, to, priority);
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
  const [open, byType, byStreet, dev] = await Promise.all([
    openByPriority(ctx.db, actor),
    todayByType(ctx.db, actor),
    todayByStreet(ctx.db, actor),
    activeDeviceCounts(ctx.db, actor),
  ]);
  const now = new Date();
  const sla = await slaReport(ctx, actor, new Date(now.getTime() - 30 * 86_400_000), now);
  return {
    openByPriority: Object.fromEntries(['P1', 'P2', 'P3'].map((p) => [p, open.find((o) => o.priority === p)?.n ?? 0])),
    todayByType: byType.map((t) => ({ type: t.type, count: t.n })),
    todayByStreet: byStreet.map((s) => ({ regionCode: s.code, name: s.name, count: s.n })),
    sla,
    devices: dev ?? { total: 0, online: 0 },
  };
}
