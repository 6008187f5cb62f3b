import type { AlarmKind } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { activeDeviceCounts } from '../devices/devices.repo.ts';
import { ackTimes, openByCommunity, openByPriorityAndKind, servicesToday, todayByStreet, todayByType } from './stats.repo.ts';

/**
 * Acknowledgement SLA over a period: the share of alarms acknowledged within 60 s and 180 s of
 * being raised (the telecare targets are 97.5 % and 99 %). Alarms not yet acknowledged count as
 * late once they are older than the threshold.
 */
/** The SLA over `from`..`to`; the period defaults to the 30 days up to now (or up to `to`). */
export function slaOver(ctx: AppContext, actor: Actor, q: { from?: string; to?: string; priority?: string; kind?: AlarmKind }) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return slaReport(ctx, actor, from, to, q.priority, q.kind);
}

export async function slaReport(ctx: AppContext, actor: Actor, from: Date, to: Date, priority?: string, kind?: AlarmKind) {
  const r = await ackTimes(ctx.db, actor, from, to, priority, kind);
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

/** Figures for the command-centre screen: life-safety and technical alarms apart. */
export async function screenStats(ctx: AppContext, actor: Actor) {
  const now = new Date();
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const [open, byCommunity, byType, byStreet, dev, services, sla, slaTechnical] = await Promise.all([
    openByPriorityAndKind(ctx.db, actor),
    openByCommunity(ctx.db, actor),
    todayByType(ctx.db, actor),
    todayByStreet(ctx.db, actor),
    activeDeviceCounts(ctx.db, actor),
    servicesToday(ctx.db, actor),
    slaReport(ctx, actor, monthAgo, now, undefined, 'life'),
    slaReport(ctx, actor, monthAgo, now, undefined, 'technical'),
  ]);
  const sum = (rows: typeof open) => rows.reduce((n, r) => n + r.n, 0);
  return {
    openByPriority: Object.fromEntries(['P1', 'P2', 'P3'].map((p) => [p, sum(open.filter((o) => o.priority === p))])),
    openByKind: {
      life: Object.fromEntries(['P1', 'P2', 'P3'].map((p) => [p, sum(open.filter((o) => o.priority === p && !o.technical))])),
      technical: sum(open.filter((o) => o.technical)),
    },
    openByCommunity: byCommunity.map((c) => ({ regionCode: c.code, name: c.name, lat: c.lat, lng: c.lng, count: c.n })),
    todayByType: byType.map((t) => ({ type: t.type, count: t.n })),
    todayByStreet: byStreet.map((s) => ({ regionCode: s.code, name: s.name, count: s.n })),
    sla,
    slaTechnical,
    devices: dev ?? { total: 0, online: 0 },
    servicesToday: services.map((s) => ({ status: s.status, count: s.n })),
    mapTileUrl: ctx.config.mapTileUrl ?? null,
    at: now.toISOString(),
  };
}
