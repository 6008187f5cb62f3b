import { z } from 'zod';
import { route } from './route.ts';

/**
 * Supervision 综合监管 (issue 21, dashboards by level): one read-only dashboard per district,
 * street or community, computed live from the modules' own tables (docs/supervision.md).
 * A figure whose module is not built is absent, never zero.
 */

/** What a figure's value is: a count, a share in per cent (0–100, one decimal), money in fen, or points. */
export const FIGURE_UNITS = ['count', 'percent', 'fen', 'points'] as const;
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
};

export const supervisionDashboard = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(['district', 'street', 'community']) }),
  /** The current month, China time. */
  month: z.string(),
  computedAt: z.string(),
  groups: z.array(z.object({ key: z.enum(SUPERVISION_GROUPS), label: z.string(), figures: z.array(supervisionFigure) })),
});
export type SupervisionDashboard = z.output<typeof supervisionDashboard>;

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
};
