import {
  indicatorById,
  MAX_PERIODS,
  type MonthlyReport,
  periodLabel,
  type ReportLine,
  STATISTICS_INDICATORS,
  STATISTICS_SECTION_LABELS_ZH,
  STATISTICS_SECTIONS,
  type StatisticsSeries,
  type seriesQuery,
} from '@zhiyang/shared';
import type { z } from 'zod';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addMonths } from '../../lib/dates.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import { inboundByCategory } from '../calls/reports.repo.ts';
import { regionByCode } from '../supervision/supervision.repo.ts';
import { IndicatorCalc } from './indicators.ts';
import { periodRange, periodWindow } from './periods.ts';
import * as repo from './statistics.repo.ts';

type Level = 'district' | 'street' | 'community';
const LEVEL_RANK: Record<Level, number> = { district: 0, street: 1, community: 2 };
const CHILD: Record<Level, Level | null> = { district: 'street', street: 'community', community: null };

/** The key indicators of each street's (or community's) line in the monthly report. */
export const SUB_REGION_INDICATORS = [
  'elders.total',
  'elders.new',
  'orders.completed',
  'meals.served',
  'visits.done',
  'calls.offered',
  'alarms.resolved',
  'allowance.paid',
] as const;

/** The region asked for (default the caller's own), if it lies in the caller's reach; otherwise 404. */
async function regionInReach(ctx: AppContext, actor: Actor, regionCode?: string) {
  const code = regionCode ?? actor.regionCode;
  if (!code || !actorCoversRegion(actor, code)) throw notFound('Region');
  const region = await regionByCode(ctx.db, code);
  if (!region) throw notFound('Region');
  return region;
}

export function listIndicators() {
  return { items: [...STATISTICS_INDICATORS] };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const change = (a: number | null, b: number | null) => (a === null || b === null ? null : round1(a - b));
const changePercent = (a: number | null, b: number | null, percent: boolean) =>
  percent || a === null || b === null || b === 0 ? null : round1(((a - b) / b) * 100);

function line(id: string, name: string, unit: ReportLine['unit'], [cur, prev, ly]: Array<number | null>): ReportLine {
  const pct = unit === 'percent';
  return {
    id,
    name,
    unit,
    current: cur ?? null,
    previous: prev ?? null,
    momChange: change(cur, prev),
    momPercent: changePercent(cur, prev, pct),
    lastYear: ly ?? null,
    yoyChange: change(cur, ly),
    yoyPercent: changePercent(cur, ly, pct),
  };
}

/**
 * The monthly report 月报 of a district, street or community: every indicator of the catalogue
 * for the month, the month before and the same month a year earlier with the changes; answered
 * calls by category; and the key indicators per street or community below. Computed live.
 */
export async function monthlyReport(ctx: AppContext, actor: Actor, month: string, regionCode?: string): Promise<MonthlyReport> {
  const region = await regionInReach(ctx, actor, regionCode);
  const keys = [month, addMonths(month, -1), addMonths(month, -12)];
  const windows = keys.map((k, i) => periodWindow('month', k, i));
  const calc = new IndicatorCalc(ctx, actor, windows);
  const lines = await Promise.all(
    STATISTICS_INDICATORS.map(async (d) => line(d.id, d.name, d.unit, await calc.values(d.id, region.code))),
  );
  const scoped: Actor = { ...actor, regionCode: region.code };
  const categories = await Promise.all(
    windows.map((w) => inboundByCategory(ctx.db, scoped, new Date(w.startAt), new Date(w.endAt))),
  );
  const catCodes = [...new Set(categories.flat().map((c) => c.code))];
  const callCategories = catCodes.map((code) => {
    const name = categories.flat().find((c) => c.code === code)?.name ?? '未分类';
    return line(
      `calls.category.${code ?? 'none'}`,
      name,
      'count',
      categories.map((rows) => rows.find((c) => c.code === code)?.calls ?? 0),
    );
  });

  const childLevel = CHILD[region.level];
  const children = childLevel ? await repo.regionsUnder(ctx.db, region.code, childLevel) : [];
  const monthOnly = new IndicatorCalc(ctx, actor, [windows[0]]);
  const rows = await Promise.all(
    children.map(async (c) => ({
      code: c.code,
      name: c.name,
      values: await Promise.all(SUB_REGION_INDICATORS.map(async (id) => (await monthOnly.values(id, c.code))[0])),
    })),
  );

  return {
    region,
    month,
    previousMonth: keys[1],
    lastYearMonth: keys[2],
    computedAt: new Date().toISOString(),
    sections: STATISTICS_SECTIONS.map((key) => ({
      key,
      label: STATISTICS_SECTION_LABELS_ZH[key],
      lines: lines.filter((l) => indicatorById(l.id)?.section === key),
    })),
    callCategories,
    subRegions: {
      indicators: SUB_REGION_INDICATORS.map((id) => {
        const d = indicatorById(id);
        if (!d) throw new Error(`no indicator ${id}`);
        return { id, name: d.name, unit: d.unit };
      }),
      rows,
    },
  };
}

/**
 * Ad-hoc statistics 自定义统计: one indicator over a range of periods for a region in reach (its
 * total) and for each of its streets or communities at the level asked.
 */
export async function series(ctx: AppContext, actor: Actor, q: z.output<typeof seriesQuery>): Promise<StatisticsSeries> {
  const indicator = indicatorById(q.indicator);
  if (!indicator) throw badRequest('Unknown indicator.');
  const region = await regionInReach(ctx, actor, q.regionCode);
  const level = q.level ?? region.level;
  if (LEVEL_RANK[level] < LEVEL_RANK[region.level])
    throw badRequest(`A ${region.level} cannot be broken down to the ${level} level.`, [
      { path: 'level', message: 'above the region' },
    ]);
  const windows = periodRange(q.period, q.first, q.last, MAX_PERIODS);
  if (!windows) throw badRequest(`At most ${MAX_PERIODS} periods at a time.`, [{ path: 'last', message: 'too many periods' }]);
  const regions = level === region.level ? [region] : await repo.regionsUnder(ctx.db, region.code, level);
  const calc = new IndicatorCalc(ctx, actor, windows);
  const [total, rows] = await Promise.all([
    calc.values(indicator.id, region.code),
    Promise.all(regions.map(async (r) => ({ code: r.code, name: r.name, values: await calc.values(indicator.id, r.code) }))),
  ]);
  return {
    indicator: { ...indicator },
    region,
    level,
    periods: windows.map((w) => ({ key: w.month, label: periodLabel(w.month) })),
    total,
    rows,
    computedAt: new Date().toISOString(),
  };
}
