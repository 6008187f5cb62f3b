import { z } from 'zod';
import { ABILITY_LEVEL_LABELS_ZH, ABILITY_LEVELS } from '../assessment.ts';
import { isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * Statistics 统计 (issue 21, statistics and reports): the indicator catalogue, the monthly report
 * 月报 per district, street or community, and ad-hoc statistics 自定义统计 of one indicator over
 * a range of periods and regions (docs/statistics.md). Every figure is computed live from the
 * modules' own tables with the supervision dashboard's queries; an indicator of a module that is
 * not built is not in the catalogue, and a figure whose source keeps no history is null for past
 * periods, never made up.
 */

/** count; percent (0–100, one decimal); fen (money); points; hours (one decimal). */
export const INDICATOR_UNITS = ['count', 'percent', 'fen', 'points', 'hours'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];
export const INDICATOR_UNIT_LABELS_ZH: Record<IndicatorUnit, string> = {
  count: '人/次/个',
  percent: '%',
  fen: '元',
  points: '积分',
  hours: '小时',
};

/**
 * How a period's value is formed: `stock` is the state at the period's end (elders on the
 * register, beds occupied), `flow` adds up what happened in the period (meals served), `rate` is
 * a share computed in the period or at its end, `now` is today's state only (the source keeps no
 * history): the period that contains today has a value, earlier ones are null.
 */
export const INDICATOR_KINDS = ['stock', 'flow', 'rate', 'now'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface IndicatorDef {
  id: string;
  /** Chinese name, as the bureau's tables say it. */
  name: string;
  unit: IndicatorUnit;
  kind: IndicatorKind;
  /** The server module whose tables it counts. */
  module: string;
  /** The section of the catalogue (and of the monthly report) it belongs to. */
  section: StatisticsSection;
  /** How it is counted per region and period, in Chinese (shown under the chart). */
  definition: string;
}

export const STATISTICS_SECTIONS = ['elders', 'home', 'care', 'safety', 'allowance', 'institutions', 'medical'] as const;
export type StatisticsSection = (typeof STATISTICS_SECTIONS)[number];
export const STATISTICS_SECTION_LABELS_ZH: Record<StatisticsSection, string> = {
  elders: '一、老年人基本情况',
  home: '二、居家社区养老服务',
  care: '三、关爱巡访与呼叫服务',
  safety: '四、紧急救援',
  allowance: '五、高龄津贴',
  institutions: '六、机构养老',
  medical: '七、医养结合',
};

const END = '统计期末';
const REG = `${END}在册（建档早于期末，且期末时未迁出、未去世）`;

/** The indicator catalogue, as data: one entry per figure the statistics can compute. */
export const STATISTICS_INDICATORS: readonly IndicatorDef[] = [
  {
    id: 'elders.total',
    name: '在册老人',
    unit: 'count',
    kind: 'stock',
    module: 'elders',
    section: 'elders',
    definition: `${REG}的老人数`,
  },
  {
    id: 'elders.new',
    name: '新增建档',
    unit: 'count',
    kind: 'flow',
    module: 'elders',
    section: 'elders',
    definition: '统计期内新建档案的老人数',
  },
  ...(
    [
      ['60-69', '60–69岁老人'],
      ['70-79', '70–79岁老人'],
      ['80-89', '80–89岁老人'],
      ['90+', '90岁及以上老人'],
    ] as const
  ).map(
    ([band, name]): IndicatorDef => ({
      id: `elders.age.${band}`,
      name,
      unit: 'count',
      kind: 'stock',
      module: 'elders',
      section: 'elders',
      definition: `${REG}、按期末年龄计的老人数`,
    }),
  ),
  ...ABILITY_LEVELS.map(
    (level): IndicatorDef => ({
      id: `elders.ability.${level}`,
      name: `能力等级：${ABILITY_LEVEL_LABELS_ZH[level]}`,
      unit: 'count',
      kind: 'stock',
      module: 'assessments',
      section: 'elders',
      definition: `${REG}、期末前最近一次已签署评估为该等级的老人数`,
    }),
  ),
  {
    id: 'orders.created',
    name: '服务工单',
    unit: 'count',
    kind: 'flow',
    module: 'orders',
    section: 'home',
    definition: '统计期内新建的服务工单（作废的不计）',
  },
  {
    id: 'orders.completed',
    name: '完成服务工单',
    unit: 'count',
    kind: 'flow',
    module: 'orders',
    section: 'home',
    definition: '统计期内完成服务、现为已服务/已确认/已结算的工单',
  },
  {
    id: 'orders.points',
    name: '消费积分',
    unit: 'points',
    kind: 'flow',
    module: 'orders',
    section: 'home',
    definition: '统计期内完成且以积分支付的工单积分合计',
  },
  {
    id: 'meals.served',
    name: '助餐人次',
    unit: 'count',
    kind: 'flow',
    module: 'meals',
    section: 'home',
    definition: '统计期内就餐（未退餐）的人次',
  },
  {
    id: 'meals.subsidy',
    name: '助餐补贴',
    unit: 'fen',
    kind: 'flow',
    module: 'meals',
    section: 'home',
    definition: '统计期内就餐人次的补贴合计',
  },
  {
    id: 'volunteers.tasks',
    name: '志愿服务次数',
    unit: 'count',
    kind: 'flow',
    module: 'volunteers',
    section: 'home',
    definition: '统计期内社区确认的志愿服务任务数',
  },
  {
    id: 'volunteers.hours',
    name: '志愿服务时长',
    unit: 'hours',
    kind: 'flow',
    module: 'volunteers',
    section: 'home',
    definition: '统计期内社区确认的志愿服务时长合计（记入时间银行的分钟数）',
  },
  {
    id: 'familyBeds.active',
    name: '家庭养老床位',
    unit: 'count',
    kind: 'stock',
    module: 'family-beds',
    section: 'home',
    definition: `${END}已启用且未终止的家庭养老床位数`,
  },
  {
    id: 'visits.done',
    name: '巡访完成',
    unit: 'count',
    kind: 'flow',
    module: 'care-visits',
    section: 'care',
    definition: '统计期内完成的上门巡访次数（见到本人或不在家均计）',
  },
  {
    id: 'visits.coverage',
    name: '巡访计划覆盖率',
    unit: 'percent',
    kind: 'now',
    module: 'care-visits',
    section: 'care',
    definition: '当前有效巡访计划中，在计划间隔内已巡访的比例（不保留历史）',
  },
  {
    id: 'calls.offered',
    name: '呼入电话',
    unit: 'count',
    kind: 'flow',
    module: 'calls',
    section: 'care',
    definition: '统计期内呼入热线的电话数',
  },
  {
    id: 'calls.answered',
    name: '接听电话',
    unit: 'count',
    kind: 'flow',
    module: 'calls',
    section: 'care',
    definition: '统计期内接通的呼入电话数（按来电分类另列）',
  },
  {
    id: 'calls.sla',
    name: '15秒内接听率',
    unit: 'percent',
    kind: 'rate',
    module: 'calls',
    section: 'care',
    definition: '统计期内呼入电话中15秒内接听的比例',
  },
  {
    id: 'calls.care',
    name: '主动关爱呼出',
    unit: 'count',
    kind: 'flow',
    module: 'campaigns',
    section: 'care',
    definition: '统计期内为关爱任务拨出的电话数',
  },
  {
    id: 'alarms.raised',
    name: '告警',
    unit: 'count',
    kind: 'flow',
    module: 'alarms',
    section: 'safety',
    definition: '统计期内产生的生命安全类告警（不含设备技术告警）',
  },
  {
    id: 'alarms.resolved',
    name: '紧急救援（告警处置完毕）',
    unit: 'count',
    kind: 'flow',
    module: 'alarms',
    section: 'safety',
    definition: '统计期内处置完毕的生命安全类告警数',
  },
  {
    id: 'alarms.sla',
    name: '60秒内响应率',
    unit: 'percent',
    kind: 'rate',
    module: 'alarms',
    section: 'safety',
    definition: '统计期内生命安全类告警中60秒内确认的比例',
  },
  {
    id: 'allowance.paid',
    name: '发放高龄津贴',
    unit: 'fen',
    kind: 'flow',
    module: 'allowances',
    section: 'allowance',
    definition: '统计期各月已审批发放名册的金额合计',
  },
  {
    id: 'allowance.verified',
    name: '本期生存认证率',
    unit: 'percent',
    kind: 'now',
    module: 'allowances',
    section: 'allowance',
    definition: '当前享受津贴（含暂停）的老人中本认证期已通过生存认证的比例（不保留历史）',
  },
  {
    id: 'beds.total',
    name: '在用床位',
    unit: 'count',
    kind: 'now',
    module: 'institutions',
    section: 'institutions',
    definition: '辖区养老机构当前在用床位（停用的不计，不保留历史）',
  },
  {
    id: 'beds.occupied',
    name: '入住床位',
    unit: 'count',
    kind: 'stock',
    module: 'institutions',
    section: 'institutions',
    definition: `${END}已入住且未退住的床位数（按入住记录）`,
  },
  {
    id: 'beds.occupancy',
    name: '床位入住率',
    unit: 'percent',
    kind: 'now',
    module: 'institutions',
    section: 'institutions',
    definition: '当前已入住床位占在用床位的比例（不保留历史）',
  },
  {
    id: 'medical.contracts',
    name: '家庭医生签约',
    unit: 'count',
    kind: 'stock',
    module: 'medical',
    section: 'medical',
    definition: `${END}在有效期内、未解约的家庭医生签约数`,
  },
  {
    id: 'medical.managementRate',
    name: '健康管理率',
    unit: 'percent',
    kind: 'rate',
    module: 'medical',
    section: 'medical',
    definition: `${REG}的65岁及以上老人中，期末有有效家庭医生签约的比例`,
  },
  {
    id: 'health.physicals',
    name: '体检人数',
    unit: 'count',
    kind: 'flow',
    module: 'health-records',
    section: 'medical',
    definition: '期内体检日期在本期的年度体检份数（健康档案导入或录入）',
  },
  {
    id: 'inspections.finished',
    name: '完成检查',
    unit: 'count',
    kind: 'flow',
    module: 'inspections',
    section: 'institutions',
    definition: '期内完成的检查评估次数（辖区内机构）',
  },
  {
    id: 'patrols.hazardsOpen',
    name: '待整改隐患',
    unit: 'count',
    kind: 'now',
    module: 'patrols',
    section: 'institutions',
    definition: '当前未整改的安全巡查隐患数（不保留历史）',
  },
  {
    id: 'inspections.findingsOpen',
    name: '待整改问题',
    unit: 'count',
    kind: 'now',
    module: 'inspections',
    section: 'institutions',
    definition: '当前未整改的检查评估问题数（不保留历史）',
  },
];

/** The unit as a bureau's table writes it: 人, 人次, 张, 元, % … */
export function indicatorUnitZh(def: Pick<IndicatorDef, 'id' | 'unit'>): string {
  if (def.unit !== 'count') return INDICATOR_UNIT_LABELS_ZH[def.unit];
  const byPrefix: Array<[string, string]> = [
    ['elders.', '人'],
    ['orders.', '单'],
    ['meals.', '人次'],
    ['familyBeds.', '张'],
    ['beds.', '张'],
    ['alarms.', '起'],
    ['medical.', '份'],
    ['health.', '人'],
    ['patrols.hazards', '处'],
    ['inspections.findings', '项'],
  ];
  return byPrefix.find(([p]) => def.id.startsWith(p))?.[1] ?? '次';
}

export const STATISTICS_INDICATOR_IDS = STATISTICS_INDICATORS.map((i) => i.id);
export const indicatorById = (id: string) => STATISTICS_INDICATORS.find((i) => i.id === id);

export const PERIOD_TYPES = ['month', 'quarter', 'year'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
const PERIOD_PATTERN: Record<PeriodType, RegExp> = {
  month: /^\d{4}-(0[1-9]|1[0-2])$/,
  quarter: /^\d{4}-Q[1-4]$/,
  year: /^\d{4}$/,
};
/** A period's key: 2026-11, 2026-Q4 or 2026. */
export const isPeriodKey = (type: PeriodType, key: string) => PERIOD_PATTERN[type].test(key);
/** 2026年11月, 2026年第4季度, 2026年. */
export function periodLabel(key: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return `${q[1]}年第${q[2]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return `${key}年`;
}
/** At most this many periods in one ad-hoc query (three years of months). */
export const MAX_PERIODS = 36;

const regionCode = z
  .string()
  .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
  .optional();
const REGION_LEVELS = ['district', 'street', 'community'] as const;
const regionRef = z.object({ code: z.string(), name: z.string(), level: z.enum(REGION_LEVELS) });

export const indicatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.enum(INDICATOR_UNITS),
  kind: z.enum(INDICATOR_KINDS),
  module: z.string(),
  section: z.enum(STATISTICS_SECTIONS),
  definition: z.string(),
});

/** One line of the monthly report: this month, the month before, the same month last year, and the changes. */
export const reportLine = z.object({
  id: z.string(),
  name: z.string(),
  unit: z.enum(INDICATOR_UNITS),
  current: z.number().nullable(),
  previous: z.number().nullable(),
  /** current − previous (percentage points for a percent); null when either is null. */
  momChange: z.number().nullable(),
  /** The change in per cent of the previous value (one decimal); null for a percent or when it was 0. */
  momPercent: z.number().nullable(),
  lastYear: z.number().nullable(),
  yoyChange: z.number().nullable(),
  yoyPercent: z.number().nullable(),
});
export type ReportLine = z.output<typeof reportLine>;

export const monthlyReport = z.object({
  region: regionRef,
  month: z.string(),
  previousMonth: z.string(),
  lastYearMonth: z.string(),
  computedAt: z.string(),
  sections: z.array(z.object({ key: z.enum(STATISTICS_SECTIONS), label: z.string(), lines: z.array(reportLine) })),
  /** Answered inbound calls by top-level category (来电分类); a call without a category is 未分类. */
  callCategories: z.array(reportLine),
  /** The key indicators of this month for each street (district report) or community (street report). */
  subRegions: z.object({
    indicators: z.array(z.object({ id: z.string(), name: z.string(), unit: z.enum(INDICATOR_UNITS) })),
    rows: z.array(z.object({ code: z.string(), name: z.string(), values: z.array(z.number().nullable()) })),
  }),
});
export type MonthlyReport = z.output<typeof monthlyReport>;

export const seriesQuery = z
  .object({
    indicator: z.enum(STATISTICS_INDICATOR_IDS as [string, ...string[]]),
    period: z.enum(PERIOD_TYPES).default('month'),
    /** The first and the last period: 2026-01 … 2026-11 (month), 2025-Q1 … 2026-Q4 (quarter), 2024 … 2026 (year). */
    first: z.string().max(7),
    last: z.string().max(7),
    /** The region to look into (default: the caller's own). */
    regionCode,
    /** Break the region down to this level (its streets or communities); default the region itself. */
    level: z.enum(REGION_LEVELS).optional(),
  })
  .superRefine((q, c) => {
    for (const k of ['first', 'last'] as const)
      if (!isPeriodKey(q.period, q[k]))
        c.addIssue({
          code: 'custom',
          path: [k],
          message: `a ${q.period} like ${{ month: '2026-11', quarter: '2026-Q4', year: '2026' }[q.period]}`,
        });
    if (isPeriodKey(q.period, q.first) && isPeriodKey(q.period, q.last) && q.first > q.last)
      c.addIssue({ code: 'custom', path: ['last'], message: 'the last period is before the first' });
  });
export type SeriesQuery = z.input<typeof seriesQuery>;

export const statisticsSeries = z.object({
  indicator: indicatorSchema,
  region: regionRef,
  level: z.enum(REGION_LEVELS),
  periods: z.array(z.object({ key: z.string(), label: z.string() })),
  /** The region itself, over the periods. */
  total: z.array(z.number().nullable()),
  /** Each region at the chosen level (the region itself when it is that level), over the periods. */
  rows: z.array(z.object({ code: z.string(), name: z.string(), values: z.array(z.number().nullable()) })),
  computedAt: z.string(),
});
export type StatisticsSeries = z.output<typeof statisticsSeries>;

const tags = ['statistics'];

export const statisticsContract = {
  listIndicators: route({
    method: 'GET',
    path: '/statistics/indicators',
    permission: 'supervision:read',
    tags,
    summary: 'The indicator catalogue: id, name, unit, source module and how each is counted per region and period',
    response: z.object({ items: z.array(indicatorSchema) }),
  }),
  monthlyReport: route({
    method: 'GET',
    path: '/statistics/monthly-report',
    permission: 'supervision:read',
    tags,
    summary:
      'The monthly report 月报 of a district, street or community in my reach, with the previous month and the same month last year (the .xlsx: /statistics/monthly-report.xlsx)',
    query: z.object({ month: isoMonth('filter'), regionCode }),
    response: monthlyReport,
  }),
  series: route({
    method: 'GET',
    path: '/statistics/series',
    permission: 'supervision:read',
    tags,
    summary:
      'Ad-hoc statistics 自定义统计: one indicator over a range of months, quarters or years, for a region or its streets/communities (the .xlsx: /statistics/series.xlsx)',
    query: seriesQuery,
    response: statisticsSeries,
  }),
};
