import type { CallLive, InboundReport } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import * as repo from './reports.repo.ts';

/** The service levels a hotline is held to: answered within 15 s and within 60 s. */
export const CALL_TARGETS = { pctWithin15s: 80, pctWithin60s: 95 } as const;

const pct = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : null);
const round = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** The period: [from, to), by default the 30 days up to now (or up to `to`). */
function period(q: { from?: string; to?: string }) {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
  return { from, to };
}

export async function inboundReport(
  ctx: AppContext,
  actor: Actor,
  q: { from?: string; to?: string; bucket: 'hour' | 'day' | 'month' },
): Promise<InboundReport> {
  const { from, to } = period(q);
  const [t, buckets, cats, agents, repeat] = await Promise.all([
    repo.inboundTotals(ctx.db, actor, from, to),
    repo.inboundBuckets(ctx.db, actor, from, to, q.bucket),
    repo.inboundByCategory(ctx.db, actor, from, to),
    repo.inboundByAgent(ctx.db, actor, from, to),
    repo.repeatCallers(ctx.db, actor, from, to),
  ]);
  const categorised = cats.reduce((n, c) => n + c.calls, 0);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: q.bucket,
    totals: {
      offered: t.offered,
      answered: t.answered,
      abandoned: t.abandoned,
      unanswered: t.offered - t.answered - t.abandoned,
      answeredWithin15s: t.within15,
      answeredWithin60s: t.within60,
      answeredWithin180s: t.within180,
      pctWithin15s: pct(t.within15, t.offered),
      pctWithin60s: pct(t.within60, t.offered),
      pctWithin180s: pct(t.within180, t.offered),
      pctAbandoned: pct(t.abandoned, t.offered),
      avgWaitSeconds: round(t.avg_wait),
      p90WaitSeconds: round(t.p90_wait),
      avgTalkSeconds: round(t.avg_talk),
      p90TalkSeconds: round(t.p90_talk),
      avgWrapUpSeconds: round(t.avg_wrap),
      p90WrapUpSeconds: round(t.p90_wrap),
    },
    buckets: buckets.map((b) => ({ start: iso(b.start), offered: b.offered, answered: b.answered, abandoned: b.abandoned })),
    byCategory: cats.map((c) => ({ code: c.code, name: c.name, calls: c.calls, pct: pct(c.calls, categorised) })),
    byAgent: agents.map((a) => ({
      userId: a.user_id,
      name: a.name,
      answered: a.answered,
      avgTalkSeconds: round(a.avg_talk),
      avgWrapUpSeconds: round(a.avg_wrap),
    })),
    repeatCallers: repeat,
    targets: CALL_TARGETS,
  };
}

export async function liveFigures(ctx: AppContext, actor: Actor): Promise<CallLive> {
  const r = await repo.live(ctx.db, actor);
  return {
    waiting: r.waiting,
    longestWaitSeconds: r.longest === null ? null : Math.round(Number(r.longest)),
    offeredToday: r.offered,
    answeredToday: r.answered,
    pctWithin60sToday: pct(r.within60, r.offered),
    at: new Date().toISOString(),
  };
}

const BUCKET_FORMAT = { hour: 'YYYY-MM-DD HH:00', day: 'YYYY-MM-DD', month: 'YYYY-MM' } as const;
/** China-time label of a bucket's first instant. */
function bucketLabel(start: string, bucket: keyof typeof BUCKET_FORMAT) {
  const d = new Date(new Date(start).getTime() + 8 * 3_600_000).toISOString();
  return bucket === 'hour' ? `${d.slice(0, 10)} ${d.slice(11, 13)}:00` : bucket === 'day' ? d.slice(0, 10) : d.slice(0, 7);
}

/** The inbound report as a workbook: 汇总, volumes per bucket, categories and agents, headers in Chinese. */
export async function inboundReportXlsx(ctx: AppContext, actor: Actor, q: Parameters<typeof inboundReport>[2]) {
  const r = await inboundReport(ctx, actor, q);
  const t = r.totals;
  const day = (s: string) => bucketLabel(s, 'day');
  const summary: Array<[string, string | number | null]> = [
    ['统计起', day(r.from)],
    ['统计止（不含）', day(r.to)],
    ['呼入总量', t.offered],
    ['接通量', t.answered],
    ['排队放弃', t.abandoned],
    ['其他未接通', t.unanswered],
    ['15 秒内接通率 %', t.pctWithin15s],
    ['60 秒内接通率 %', t.pctWithin60s],
    ['180 秒内接通率 %', t.pctWithin180s],
    ['放弃率 %', t.pctAbandoned],
    ['平均等待（秒）', t.avgWaitSeconds],
    ['等待 P90（秒）', t.p90WaitSeconds],
    ['平均通话（秒）', t.avgTalkSeconds],
    ['通话 P90（秒）', t.p90TalkSeconds],
    ['平均话后处理（秒）', t.avgWrapUpSeconds],
    ['话后处理 P90（秒）', t.p90WrapUpSeconds],
    ['重复来电号码数', r.repeatCallers.numbers],
    ['重复来电次数', r.repeatCallers.calls],
  ];
  const label = { hour: '小时', day: '日期', month: '月份' }[r.bucket];
  return writeXlsx('汇总', ['指标', '数值'], summary, [
    {
      name: '话务量',
      headers: [label, '呼入', '接通', '放弃'],
      rows: r.buckets.map((b) => [bucketLabel(b.start, r.bucket), b.offered, b.answered, b.abandoned]),
    },
    {
      name: '来电类别',
      headers: ['类别', '接通量', '占比 %'],
      rows: r.byCategory.map((c) => [c.name ?? '未分类', c.calls, c.pct]),
    },
    {
      name: '坐席',
      headers: ['坐席', '接通量', '平均通话（秒）', '平均话后处理（秒）'],
      rows: r.byAgent.map((a) => [a.name ?? '', a.answered, a.avgTalkSeconds, a.avgWrapUpSeconds]),
    },
  ]);
}
