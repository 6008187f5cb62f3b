import { SUPERVISION_GROUP_LABELS_ZH, type SupervisionFigure } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { cstDate } from '../../lib/dates.ts';
import * as care from './supervision.care.repo.ts';
import type { MonthWindow } from './supervision.repo.ts';

type Trend = SupervisionFigure['trend'];
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/**
 * The groups of figures from volunteers and the time bank, family care beds, 医养结合, health
 * records, patrols and inspections, for one region already checked to be in the caller's reach.
 */
export async function careGroups(db: DbOrTx, code: string, months: MonthWindow[]) {
  const today = cstDate();
  const cur = months[months.length - 1];
  const [vols, tasks, redeemed, fbeds, fbPending, coverage, physicals, physRate, patrols, open, inspections] = await Promise.all([
    care.volunteersNow(db, code),
    care.volunteerTasksByMonth(db, code, months),
    care.redemptionsByMonth(db, code, months),
    care.familyBedsByMonth(db, code, months, today),
    care.familyBedsPending(db, code),
    care.doctorCoverageByMonth(db, code, months, today),
    care.physicalsByMonth(db, code, months),
    care.physicalRate(db, code, today),
    care.patrolRunsByMonth(db, code, months),
    care.openHazards(db, code),
    care.inspectionsByMonth(db, code, months),
  ]);

  const series = <R extends { i: number }>(rows: R[], pick: (r: R | undefined) => number | null): Trend =>
    months.map((m) => ({ month: m.month, value: pick(rows.find((r) => r.i === m.i)) }));
  const last = (t: Trend) => t[t.length - 1]?.value ?? null;
  const fig = (
    key: string,
    label: string,
    unit: SupervisionFigure['unit'],
    trend: Trend,
    value: number | null,
    path: string,
    query: Record<string, string> = {},
  ): SupervisionFigure => ({ key, label, unit, value, trend, drill: { path, query: { regionCode: code, ...query } } });
  const monthly = (key: string, label: string, unit: SupervisionFigure['unit'], t: Trend, path: string, q = {}) =>
    fig(key, label, unit, t, last(t), path, { month: cur.month, ...q });

  const taskCount = series(tasks, (r) => r?.tasks ?? 0);
  const credited = series(tasks, (r) => r?.minutes ?? 0);
  const redeemedT = series(redeemed, (r) => r?.minutes ?? 0);
  const bedsT = series(fbeds, (r) => r?.n ?? 0);
  const contracted = series(coverage, (r) => r?.contracted65 ?? 0);
  const coverageT = series(coverage, (r) => rate(r?.contracted65 ?? 0, r?.elders65 ?? 0));
  const physicalsT = series(physicals, (r) => r?.n ?? 0);
  const runsT = series(patrols, (r) => r?.closed ?? 0);
  const onTimeT = series(patrols, (r) => rate(r?.complete ?? 0, r?.closed ?? 0));
  const inspectedT = series(inspections, (r) => r?.finished ?? 0);

  const group = <K extends 'volunteers' | 'familyBeds' | 'medical' | 'health' | 'patrols' | 'inspections'>(
    key: K,
    figures: SupervisionFigure[],
  ) => ({ key, label: SUPERVISION_GROUP_LABELS_ZH[key], figures });
  return [
    group('volunteers', [
      fig('volunteers.approved', '在册志愿者', 'count', [], vols?.approved ?? 0, 'volunteers', { status: 'approved' }),
      fig('volunteers.pending', '待审核志愿者', 'count', [], vols?.pending ?? 0, 'volunteers', { status: 'pending' }),
      monthly('volunteers.tasks', '本月完成志愿任务', 'count', taskCount, 'volunteers/tasks', { status: 'confirmed' }),
      monthly('timebank.credited', '本月存入时长', 'minutes', credited, 'volunteers/tasks', { status: 'confirmed' }),
      monthly('timebank.redeemed', '本月兑换时长', 'minutes', redeemedT, 'volunteers/timebank'),
    ]),
    group('familyBeds', [
      fig('familyBeds.open', '已建家庭养老床位', 'count', bedsT, last(bedsT), 'family-beds'),
      fig('familyBeds.pending', '办理中的申请', 'count', [], fbPending, 'family-beds'),
    ]),
    group('medical', [
      fig('medical.contracted', '签约老人（65岁及以上）', 'count', contracted, last(contracted), 'medical/contracts', {
        status: 'active',
      }),
      fig('medical.coverage', '健康管理率', 'percent', coverageT, last(coverageT), 'medical/contracts', { status: 'active' }),
    ]),
    group('health', [
      monthly('health.physicals', '本月体检人数', 'count', physicalsT, 'health/physicals'),
      fig(
        'health.physicalRate',
        '本年体检率（65岁及以上）',
        'percent',
        [],
        rate(physRate?.examined ?? 0, physRate?.elders65 ?? 0),
        'health/physicals',
        { year: cur.month.slice(0, 4) },
      ),
    ]),
    group('patrols', [
      monthly('patrols.runs', '本月巡查班次', 'count', runsT, 'institutions/status'),
      monthly('patrols.onTime', '巡查按时完成率', 'percent', onTimeT, 'institutions/status'),
      fig('patrols.hazardsOpen', '待整改隐患', 'count', [], open?.hazards ?? 0, 'institutions/status', { status: 'open' }),
    ]),
    group('inspections', [
      monthly('inspections.finished', '本月完成检查', 'count', inspectedT, 'institutions/inspections', {
        status: 'finished',
      }),
      fig('inspections.findingsOpen', '待整改问题', 'count', [], open?.findings ?? 0, 'institutions/status'),
    ]),
  ];
}
