import { z } from 'zod';
import { listOf, pageQuery } from './common.ts';
import { route } from './route.ts';

/**
 * Risk radar 风险雷达 (issue 18): a daily and on-event score per elder from the signals other
 * modules record, each score explained signal by signal (weight and evidence), with the weights
 * and thresholds as data per district. docs/risk-radar.md says who may do what.
 */

/** The signals the radar reads. A signal whose module is not built is simply never present. */
export const RISK_SIGNALS = [
  'missed_meals',
  'no_activity',
  'not_worn',
  'low_battery_ignored',
  'alarms',
  'unanswered_calls',
  'cancelled_orders',
  'ability_drop',
  'hospital_outcome',
  'living_alone',
  'visits',
  'care_bed',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

export const RISK_SIGNAL_LABELS_ZH: Record<RiskSignal, string> = {
  missed_meals: '未按时就餐',
  no_activity: '门磁/人体感应长时间无活动',
  not_worn: '穿戴设备未佩戴',
  low_battery_ignored: '低电量未处理',
  alarms: '近期告警',
  unanswered_calls: '关爱电话未接通',
  cancelled_orders: '服务工单取消',
  ability_drop: '能力等级下降',
  hospital_outcome: '告警后送医',
  care_bed: '家庭照护床位服务未交付或设备离线',
  living_alone: '独居',
  visits: '探访逾期或发现问题',
};

export const RADAR_LEVELS = ['low', 'watch', 'high', 'top'] as const;
export type RadarLevel = (typeof RADAR_LEVELS)[number];
export const RADAR_LEVEL_LABELS_ZH: Record<RadarLevel, string> = { low: '低', watch: '关注', high: '高', top: '极高' };

const weight = z.number().int().min(0).max(100);
/** Points per signal (for `alarms`: per alarm, up to `alarmCap` alarms). 0 switches a signal off. */
export const riskWeights = z.strictObject({
  missed_meals: weight,
  no_activity: weight,
  not_worn: weight,
  low_battery_ignored: weight,
  alarms: weight,
  unanswered_calls: weight,
  cancelled_orders: weight,
  ability_drop: weight,
  hospital_outcome: weight,
  living_alone: weight,
  visits: weight,
  /** A family care bed (family-beds module) whose package was short last checked month, or whose devices are offline. */
  care_bed: weight,
});
export type RiskWeights = z.output<typeof riskWeights>;

const days = z.number().int().min(1).max(365);
/** When a signal counts, and the score bands of the levels. */
export const riskThresholds = z.strictObject({
  /** Missed-meal signals (meals module) raised within this many days and not ended by a meal since. */
  mealWindowDays: days,
  /** No door / presence event for this many hours. */
  inactivityHours: z.number().int().min(4).max(720),
  /** A pendant or watch not worn for this many days. */
  notWornDays: days,
  /** Battery at or below this percentage … */
  lowBatteryPercent: z.number().int().min(1).max(100),
  /** … with its low-battery alarm raised at least this many days ago. */
  lowBatteryDays: days,
  /** Life-safety alarms (false alarms left out) within this many days … */
  alarmWindowDays: days,
  /** … counted up to this many. */
  alarmCap: z.number().int().min(1).max(10),
  /** Care calls not answered (since the last answered one) within this many days … */
  callWindowDays: days,
  /** … at least this many dials, or a call task ended as unreached. */
  unansweredDials: z.number().int().min(1).max(50),
  /** Service orders cancelled within this many days … */
  orderWindowDays: days,
  /** … at least this many. */
  cancelledOrders: z.number().int().min(1).max(50),
  /** A signed assessment with a worse level than the one before, within this many days. */
  abilityWindowDays: days,
  /** An alarm closed as taken to hospital within this many days. */
  hospitalWindowDays: days,
  /** Care visits (care-visits module): overdue now, or not at home / with findings within this many days. */
  visitWindowDays: days,
  /** Score bands: 关注 from `levelWatch`, 高 from `levelHigh`, 极高 from `levelTop` (opens a task). */
  levelWatch: z.number().int().min(1).max(100),
  levelHigh: z.number().int().min(1).max(100),
  levelTop: z.number().int().min(1).max(100),
});
export type RiskThresholds = z.output<typeof riskThresholds>;

export const riskSettingsBody = z.strictObject({
  districtCode: z.string().regex(/^[0-9]{6}$/),
  weights: riskWeights,
  thresholds: riskThresholds,
});
export const riskSettings = riskSettingsBody.extend({
  districtName: z.string(),
  /** False while the district uses the defaults (no one has set its settings yet). */
  customised: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type RiskSettings = z.output<typeof riskSettings>;

/** One contributing signal: its weight in the score and what was seen (counts, dates). */
export const riskSignalPart = z.object({
  key: z.enum(RISK_SIGNALS),
  weight: z.number(),
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});
export type RiskSignalPart = z.output<typeof riskSignalPart>;

export const riskEntry = z.object({
  elderId: z.string(),
  elderName: z.string(),
  age: z.number().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  day: z.string(),
  score: z.number(),
  level: z.enum(RADAR_LEVELS),
  /** The level of the day before (null: not on the radar then). */
  previousLevel: z.enum(RADAR_LEVELS).nullable(),
  /** New since yesterday: at 关注 or above today and below it (or absent) the day before. */
  isNew: z.boolean(),
  signals: z.array(riskSignalPart),
  /** Open radar tasks of the elder (what is already planned). */
  openTasks: z.array(z.enum(['top_entry', 'visit', 'call'])),
  computedAt: z.string(),
});
export type RiskEntry = z.output<typeof riskEntry>;

export const RISK_TASK_KINDS = ['top_entry', 'visit', 'call'] as const;
export const RISK_TASK_KIND_LABELS_ZH: Record<(typeof RISK_TASK_KINDS)[number], string> = {
  top_entry: '进入极高风险',
  visit: '上门探访',
  call: '关爱电话',
};

export const riskTask = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  kind: z.enum(RISK_TASK_KINDS),
  enteredOn: z.string().nullable(),
  score: z.number(),
  signals: z.array(riskSignalPart),
  note: z.string().nullable(),
  /** For a call: the care-call task put on today's call list (campaigns module). */
  careCallTaskId: z.string().nullable(),
  /** For a visit: the planned care visit (care-visits module); the task is done when the visit is. */
  careVisitId: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
});
export type RiskTask = z.output<typeof riskTask>;

const tags = ['risk-radar'];

export const riskRadarContract = {
  listRadar: route({
    method: 'GET',
    path: '/risk-radar',
    permission: 'risk:read',
    tags,
    summary: 'Elders in my region ranked by risk score (the latest scoring day), with the contributing signals',
    query: pageQuery.extend({
      level: z.enum(RADAR_LEVELS).optional().describe('at least this level (default watch)'),
      newOnly: z.enum(['true', 'false']).optional(),
      regionCode: z
        .string()
        .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
        .optional(),
    }),
    response: z.object({
      day: z.string().nullable(),
      items: z.array(riskEntry),
      total: z.number().int(),
      newCount: z.number().int(),
    }),
  }),
  getElderRisk: route({
    method: 'GET',
    path: '/risk-radar/elders/:id',
    permission: 'risk:read',
    tags,
    summary: "An elder's latest score with its explanation and the last 30 days of scores (audited read)",
    params: z.object({ id: z.uuid() }),
    response: z.object({
      current: riskEntry.nullable(),
      history: z.array(z.object({ day: z.string(), score: z.number(), level: z.enum(RADAR_LEVELS) })),
    }),
  }),
  planFromRadar: route({
    method: 'POST',
    path: '/risk-radar/elders/:id/plan',
    permission: 'risk:act',
    audit: 'risk.plan',
    tags,
    summary: 'Plan a home visit (a radar task for the community) or a care call (on today’s call list) for an elder',
    params: z.object({ id: z.uuid() }),
    body: z.strictObject({ kind: z.enum(['visit', 'call']), note: z.string().trim().max(500).optional() }),
    response: { 201: riskTask },
  }),
  listTasks: route({
    method: 'GET',
    path: '/risk-tasks',
    permission: 'risk:read',
    tags,
    summary: 'Radar tasks in my region (open first)',
    query: pageQuery.extend({ open: z.enum(['true', 'false']).optional() }),
    response: listOf(riskTask),
  }),
  completeTask: route({
    method: 'POST',
    path: '/risk-tasks/:id/done',
    permission: 'risk:act',
    audit: 'risk.task.done',
    tags,
    summary: 'Mark a radar task done, with what was found',
    params: z.object({ id: z.uuid() }),
    body: z.strictObject({ note: z.string().trim().max(500).optional() }),
    response: riskTask,
  }),
  getSettings: route({
    method: 'GET',
    path: '/risk-settings',
    permission: 'risk:read',
    tags,
    summary: "A district's radar weights and thresholds (default: my district)",
    query: z.object({
      districtCode: z
        .string()
        .regex(/^[0-9]{6}$/)
        .optional(),
    }),
    response: riskSettings,
  }),
  setSettings: route({
    method: 'PUT',
    path: '/risk-settings',
    permission: 'risk:manage',
    audit: 'risk.settings',
    tags,
    summary: "Set a district's radar weights and thresholds (the bureau); applies from the next scoring",
    body: riskSettingsBody,
    response: riskSettings,
  }),
  runScoring: route({
    method: 'POST',
    path: '/risk-radar/run',
    permission: 'risk:manage',
    audit: 'risk.run',
    tags,
    summary: "Score every elder now (today's run again; the daily job does this at 05:30)",
    response: z.object({ day: z.string(), scored: z.number(), top: z.number(), tasksOpened: z.number(), ms: z.number() }),
  }),
};
