import { z } from 'zod';
import { isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * Supervision 综合监管 (issue 21, dashboards by level): one read-only dashboard per district,
 * street or community, computed live from the modules' own tables (docs/supervision.md).
 * A figure whose module is not built is absent, never zero.
 */

/**
 * What a figure's value is: a count, a share in per cent (0–100, one decimal), money in fen,
 * points, or minutes (time-bank hours, shown as hours).
 */
export const FIGURE_UNITS = ['count', 'percent', 'fen', 'points', 'minutes'] as const;
export type FigureUnit = (typeof FIGURE_UNITS)[number];

export const supervisionFigure = z.object({
  key: z.string(),
  /** The figure's Chinese name, shown on the card. */
  label: z.string(),
  unit: z.enum(FIGURE_UNITS),
  /** Null when there is nothing to divide by (a rate of no alarms). */
  value: z.number().nullable(),
  /**
   * The last six months (China time), oldest first, the current month last. Empty when the
   * source keeps no history of the figure (today's state only), never made up.
   */
  trend: z.array(z.object({ month: z.string().regex(/^[0-9]{4}-[0-9]{2}$/), value: z.number().nullable() })),
  /** The console list behind the figure: path under /console and its query. */
  drill: z.object({ path: z.string(), query: z.record(z.string(), z.string()) }),
});
export type SupervisionFigure = z.output<typeof supervisionFigure>;

export const SUPERVISION_GROUPS = [
  'elders',
  'ageBands',
  'groups',
  'ability',
  'orders',
  'meals',
  'allowance',
  'visits',
  'alarms',
  'calls',
  'beds',
  'organizations',
  'volunteers',
  'familyBeds',
  'medical',
  'health',
  'patrols',
  'inspections',
] as const;
export type SupervisionGroup = (typeof SUPERVISION_GROUPS)[number];
export const SUPERVISION_GROUP_LABELS_ZH: Record<SupervisionGroup, string> = {
  elders: '老人',
  ageBands: '年龄段',
  groups: '重点人群',
  ability: '能力等级（最近一次签署的评估）',
  orders: '服务工单',
  meals: '助餐',
  allowance: '高龄津贴',
  visits: '关爱巡访',
  alarms: '告警',
  calls: '呼叫中心',
  beds: '机构床位',
  organizations: '服务商、机构与助餐点',
  volunteers: '志愿服务与时间银行',
  familyBeds: '家庭养老床位',
  medical: '医养结合',
  health: '健康档案',
  patrols: '安全巡查',
  inspections: '检查评估',
};

export const supervisionDashboard = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(['district', 'street', 'community']) }),
  /** The current month, China time. */
  month: z.string(),
  computedAt: z.string(),
  groups: z.array(z.object({ key: z.enum(SUPERVISION_GROUPS), label: z.string(), figures: z.array(supervisionFigure) })),
});
export type SupervisionDashboard = z.output<typeof supervisionDashboard>;

/**
 * The command-centre screen's map indicator (指挥中心大屏): what colours each community. `alarms`
 * (open life-safety alarms) comes from the alarm centre's own screen figures; the others from
 * `GET /supervision/screen`.
 */
export const SCREEN_INDICATORS = ['alarms', 'elders', 'coverage', 'meals', 'services'] as const;
export type ScreenIndicator = (typeof SCREEN_INDICATORS)[number];
export const SCREEN_INDICATOR_LABELS_ZH: Record<ScreenIndicator, string> = {
  alarms: '未处理告警',
  elders: '在册老人',
  coverage: '健康管理率',
  meals: '今日就餐',
  services: '今日服务工单',
};

export const supervisionScreen = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(['district', 'street', 'community']) }),
  /** Today, China time ('YYYY-MM-DD'). */
  day: z.string(),
  computedAt: z.string(),
  /** Every community of the region with each indicator's value (coverage: per cent, null without elders 65+). */
  communities: z.array(
    z.object({
      regionCode: z.string(),
      name: z.string(),
      elders: z.number().int(),
      coverage: z.number().nullable(),
      meals: z.number().int(),
      services: z.number().int(),
    }),
  ),
  today: z.object({
    /** Meals served today (not refunded) and their subsidy in fen. */
    meals: z.number().int(),
    mealSubsidyFen: z.number().int(),
    /** Canteens that served at least one meal today. */
    canteensServing: z.number().int(),
    /** Service orders scheduled today (voided left out), and those being served right now. */
    services: z.number().int(),
    servicesInProgress: z.number().int(),
  }),
});
export type SupervisionScreen = z.output<typeof supervisionScreen>;

const tags = ['supervision'];

export const supervisionContract = {
  getDashboard: route({
    method: 'GET',
    path: '/supervision/dashboard',
    permission: 'supervision:read',
    tags,
    summary: 'The dashboard of a district, street or community in my reach (default: my region), computed live',
    query: z.object({
      regionCode: z
        .string()
        .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
        .optional(),
    }),
    response: supervisionDashboard,
  }),
  getScreen: route({
    method: 'GET',
    path: '/supervision/screen',
    permission: 'supervision:read',
    tags,
    summary: 'The command-centre screen: every community of my region with its indicators, and today’s meals and services',
    query: z.object({}),
    response: supervisionScreen,
  }),
  recomputeSnapshot: route({
    method: 'POST',
    path: '/supervision/snapshots/recompute',
    permission: 'supervision:read',
    audit: 'supervision.snapshot.recompute',
    tags,
    summary:
      '重新计算: compute a closed month of a region in my reach again from the rows and replace its snapshot (a late correction after the 7-day window)',
    body: z.object({
      regionCode: z
        .string()
        .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
        .optional(),
      month: isoMonth('past'),
    }),
    response: z.object({ regionCode: z.string(), month: z.string(), figures: z.number().int() }),
  }),
};
