import {
  ABILITY_LEVEL_LABELS_ZH,
  ABILITY_LEVELS,
  CARE_GROUP_LABELS_ZH,
  type CareGroup,
  ORDER_STATUSES,
  SUPERVISION_GROUP_LABELS_ZH,
  type SupervisionDashboard,
  type SupervisionFigure,
  type SupervisionGroup,
} from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { ackTimes } from '../alarms/stats.repo.ts';
import { inboundTotals } from '../calls/reports.repo.ts';
import { careGroups } from './supervision.care.ts';
import * as repo from './supervision.repo.ts';
import { closedMonthSnapshots, withSnapshots } from './supervision.snapshots.ts';

/** China time has no daylight saving: a month starts at 00:00 +08:00 on its first day. */
const CN_OFFSET_MS = 8 * 3600 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

/** The six China-time months ending with the one `now` falls in, oldest first (i = 0 … 5). */
export function lastSixMonths(now: Date): repo.MonthWindow[] {
  const cn = new Date(now.getTime() + CN_OFFSET_MS);
  const y = cn.getUTCFullYear();
  const mo = cn.getUTCMonth();
  return Array.from({ length: 6 }, (_, i) => {
    const start = new Date(Date.UTC(y, mo - 5 + i, 1));
    const next = new Date(Date.UTC(y, mo - 4 + i, 1));
    const last = new Date(next.getTime() - 86400000);
    const day = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return {
      i,
      month: `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}`,
      startAt: new Date(start.getTime() - CN_OFFSET_MS).toISOString(),
      endAt: new Date(next.getTime() - CN_OFFSET_MS).toISOString(),
      firstDay: day(start),
      lastDay: day(last),
    };
  });
}

/** The statuses the order figures count (supervision.repo.ts ordersByMonth), as the board's status filter. */
const ORDER_DONE = 'served,confirmed,settled';
const ORDER_NOT_VOIDED = ORDER_STATUSES.filter((st) => st !== 'voided').join(',');
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/**
 * The dashboard of a district, street or community in the caller's reach (default: the
 * caller's own region). The current month is computed live from the modules' tables; the five
 * closed months of each trend come from the closed-month snapshots (supervision.snapshots.ts),
 * which are the same computation run once for that month. A region outside the reach is a 404.
 */
export async function getDashboard(ctx: AppContext, actor: Actor, regionCode?: string): Promise<SupervisionDashboard> {
  const code = regionCode ?? actor.regionCode;
  if (!code || !actorCoversRegion(actor, code)) throw notFound('Region');
  const region = await repo.regionByCode(ctx.db, code);
  if (!region) throw notFound('Region');
  const months = lastSixMonths(new Date());
  const [live, snaps] = await Promise.all([
    computeDashboard(ctx, region, [months[5]]),
    closedMonthSnapshots(ctx, code, months.slice(0, 5)),
  ]);
  return withSnapshots(live, months, snaps);
}

/** The dashboard with every month of the six computed from the rows (no snapshot): the reference the snapshots are tested against. */
export async function getLiveDashboard(ctx: AppContext, code: string): Promise<SupervisionDashboard> {
  const region = await repo.regionByCode(ctx.db, code);
  if (!region) throw notFound('Region');
  return computeDashboard(ctx, region, lastSixMonths(new Date()));
}

/**
 * The dashboard of one region computed from the rows, its trends over the given month windows
 * (the last one is the dashboard's month). With one window, every monthly figure's trend is that
 * month's single point: the closed-month snapshot stores exactly those points.
 */
export async function computeDashboard(
  ctx: AppContext,
  region: NonNullable<Awaited<ReturnType<typeof repo.regionByCode>>>,
  months: repo.MonthWindow[],
): Promise<SupervisionDashboard> {
  const code = region.code;
  const cur = months[months.length - 1];
  // The alarm and call statistics of their own modules, asked for this region.
  const scoped: Actor = { ...SYSTEM_ACTOR, regionCode: code };
  const cnMonth = Number(cur.month.slice(5));
  const period =
    (await repo.verificationPeriodOf(ctx.db, code.slice(0, 6))) === 'quarter'
      ? `${cur.month.slice(0, 4)}-Q${Math.ceil(cnMonth / 3)}`
      : cur.month;
  const [elders, groups, ability, orders, meals, allowance, beds, occupied, orgs, alarms, calls, survival, visits, later] =
    await Promise.all([
      repo.eldersByMonth(ctx.db, code, months),
      repo.eldersByGroup(ctx.db, code),
      repo.abilityByMonth(ctx.db, code, months),
      repo.ordersByMonth(ctx.db, code, months),
      repo.mealsByMonth(ctx.db, code, months),
      repo.allowancePaidByMonth(ctx.db, code, months),
      repo.bedsNow(ctx.db, code),
      repo.occupiedByMonth(ctx.db, code, months),
      repo.organizationsByStatus(ctx.db, code),
      Promise.all(months.map((m) => ackTimes(ctx.db, scoped, new Date(m.startAt), new Date(m.endAt), undefined, 'life'))),
      Promise.all(months.map((m) => inboundTotals(ctx.db, scoped, new Date(m.startAt), new Date(m.endAt)))),
      repo.survivalVerification(ctx.db, code, period),
      repo.visitCoverage(ctx.db, code),
      careGroups(ctx.db, code, months),
    ]);

  /** A figure whose trend is one number per month read from rows keyed by month index. */
  const monthly = <R extends { i: number }>(rows: R[], pick: (r: R | undefined) => number | null) =>
    months.map((m) => ({ month: m.month, value: pick(rows.find((r) => r.i === m.i)) }));
  const fig = (
    key: string,
    label: string,
    unit: SupervisionFigure['unit'],
    trend: SupervisionFigure['trend'],
    value: number | null,
    path: string,
    query: Record<string, string> = {},
  ): SupervisionFigure => ({ key, label, unit, value, trend, drill: { path, query: { regionCode: code, ...query } } });
  const last = (t: SupervisionFigure['trend']) => t[t.length - 1]?.value ?? null;
  const series = <R extends { i: number }>(rows: R[], pick: (r: R) => number) => monthly(rows, (r) => (r ? pick(r) : 0));

  const eldersTotal = series(elders, (r) => r.total);
  const band = (k: 'b60' | 'b70' | 'b80' | 'b90', label: string, ageBand: string) => {
    const t = series(elders, (r) => r[k]);
    return fig(`elders.age.${ageBand}`, label, 'count', t, last(t), 'elders', { ageBand });
  };
  const abilityFigures = ABILITY_LEVELS.map((level) => {
    const t = months.map((m) => ({ month: m.month, value: ability.find((r) => r.i === m.i && r.level === level)?.n ?? 0 }));
    return fig(`elders.ability.${level}`, ABILITY_LEVEL_LABELS_ZH[level], 'count', t, last(t), 'elders', { abilityLevel: level });
  });
  const groupFigures = groups
    .filter((g) => g.group_code in CARE_GROUP_LABELS_ZH)
    .map((g) =>
      fig(`elders.group.${g.group_code}`, CARE_GROUP_LABELS_ZH[g.group_code as CareGroup], 'count', [], g.n, 'care/groups', {
        group: g.group_code,
      }),
    );

  const created = series(orders, (r) => r.created);
  const completed = series(orders, (r) => r.completed);
  const points = series(orders, (r) => r.points);
  const served = series(meals, (r) => r.served);
  const subsidy = series(meals, (r) => r.subsidy);
  const paid = months.map((m) => ({ month: m.month, value: allowance.find((r) => r.month === m.month)?.fen ?? 0 }));
  const alarmCount = months.map((m, i) => ({ month: m.month, value: alarms[i]?.total ?? 0 }));
  const alarmSla = months.map((m, i) => ({ month: m.month, value: rate(alarms[i]?.within60 ?? 0, alarms[i]?.total ?? 0) }));
  const offered = months.map((m, i) => ({ month: m.month, value: calls[i]?.offered ?? 0 }));
  const callSla = months.map((m, i) => ({ month: m.month, value: rate(calls[i]?.within15 ?? 0, calls[i]?.offered ?? 0) }));
  const occupiedTrend = series(occupied, (r) => r.n);

  // All three open the organisation list, which filters by type, status and the header's region.
  const ORG_TYPES = {
    provider: ['服务商', 'organizations'],
    institution: ['养老机构', 'organizations'],
    canteen: ['助餐点', 'organizations'],
  } as const;
  const ORG_STATUS = { active: '正常', suspended: '暂停', closed: '关闭' } as const;
  const orgFigures = Object.entries(ORG_TYPES).flatMap(([type, [name, path]]) =>
    Object.entries(ORG_STATUS).map(([status, statusName]) =>
      fig(
        `organizations.${type}.${status}`,
        `${name}（${statusName}）`,
        'count',
        [],
        orgs.find((o) => o.type === type && o.status === status)?.n ?? 0,
        path,
        { type, status },
      ),
    ),
  );

  const group = (key: SupervisionGroup, figures: SupervisionFigure[]) => ({
    key,
    label: SUPERVISION_GROUP_LABELS_ZH[key],
    figures,
  });
  return {
    region,
    month: cur.month,
    computedAt: new Date().toISOString(),
    groups: [
      group('elders', [fig('elders.total', '在册老人', 'count', eldersTotal, last(eldersTotal), 'elders')]),
      group('ageBands', [
        band('b60', '60–69岁', '60-69'),
        band('b70', '70–79岁', '70-79'),
        band('b80', '80–89岁', '80-89'),
        band('b90', '90岁及以上', '90+'),
      ]),
      group('groups', groupFigures),
      group('ability', abilityFigures),
      group('orders', [
        // The order board's month view filters on the column the figure counts by (ordersByMonth).
        fig('orders.created', '本月服务工单', 'count', created, last(created), 'service-orders', {
          month: cur.month,
          monthBy: 'created',
          status: ORDER_NOT_VOIDED,
        }),
        fig('orders.completed', '本月完成工单', 'count', completed, last(completed), 'service-orders', {
          month: cur.month,
          monthBy: 'served',
          status: ORDER_DONE,
        }),
        fig('orders.points', '本月消费积分', 'points', points, last(points), 'service-orders', {
          month: cur.month,
          monthBy: 'served',
          status: ORDER_DONE,
          payment: 'points',
        }),
      ]),
      group('meals', [
        fig('meals.served', '本月就餐人次', 'count', served, last(served), 'meals/stats', { month: cur.month }),
        fig('meals.subsidy', '本月助餐补贴', 'fen', subsidy, last(subsidy), 'meals/stats', { month: cur.month }),
      ]),
      group('allowance', [
        fig('allowance.paid', '本月发放津贴', 'fen', paid, last(paid), 'allowances/applications', {
          month: cur.month,
          status: 'active',
        }),
        fig(
          'allowance.verified',
          '本期生存认证率',
          'percent',
          [],
          rate(survival?.verified ?? 0, survival?.recipients ?? 0),
          'allowances/applications',
          {
            period,
            status: 'active',
          },
        ),
      ]),
      group('visits', [
        fig('visits.coverage', '巡访计划覆盖率', 'percent', [], rate(visits?.covered ?? 0, visits?.plans ?? 0), 'care/visits'),
      ]),
      group('alarms', [
        fig('alarms.raised', '本月告警（不含设备技术告警）', 'count', alarmCount, last(alarmCount), 'alarms', {
          month: cur.month,
        }),
        fig('alarms.sla', '60秒内响应率', 'percent', alarmSla, last(alarmSla), 'alarms', { month: cur.month }),
      ]),
      group('calls', [
        fig('calls.offered', '本月呼入电话', 'count', offered, last(offered), 'calls/log', {
          month: cur.month,
          direction: 'inbound',
        }),
        fig('calls.sla', '15秒内接听率', 'percent', callSla, last(callSla), 'calls/reports', { month: cur.month }),
      ]),
      group('beds', [
        fig('beds.total', '在用床位', 'count', [], beds?.beds ?? 0, 'institutions/status'),
        fig('beds.occupied', '已入住床位', 'count', occupiedTrend, beds?.occupied ?? 0, 'institutions/status'),
        fig('beds.occupancy', '床位入住率', 'percent', [], rate(beds?.occupied ?? 0, beds?.beds ?? 0), 'institutions/status'),
      ]),
      group('organizations', orgFigures),
      ...later,
    ],
  };
}
