import { z } from 'zod';
import { LIVING_SITUATIONS } from '../elders.ts';
import { listOf } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * Outbound care calls 主动关爱 (issue 14): campaigns, the agents' daily call lists, results with
 * the script's answers, the coverage report, the visit tasks for elders not reached, and the
 * elder's do-not-call flag. Times are China time (UTC+8); dates are China dates.
 */

export const CAMPAIGN_FREQUENCIES = ['weekly', 'monthly', 'once'] as const;
export const CARE_CALL_RESULTS = ['answered', 'no_answer', 'busy', 'wrong_number', 'refused'] as const;
export const CARE_CALL_TASK_STATUSES = ['open', 'answered', 'refused', 'wrong_number', 'unreached', 'cancelled'] as const;
export const QUESTION_KINDS = ['choice', 'text', 'scale'] as const;

/** Who a campaign calls: every condition given must hold (AND). At least one condition. */
export const campaignTarget = z
  .strictObject({
    livingSituations: z
      .array(z.enum(LIVING_SITUATIONS))
      .min(1)
      .max(4)
      .optional()
      .describe('独居 alone, 空巢 empty_nest …: any of them'),
    minAge: z.number().int().min(50).max(120).optional().describe('Age on the day the list is built, at least'),
    birthdayThisWeek: z.literal(true).optional().describe('Birthday in this week (Monday to Sunday, China time)'),
    noHeartbeatHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14)
      .optional()
      .describe('Has a device, and none of the active ones was heard from for this many hours'),
    openFamilyCareBed: z
      .literal(true)
      .optional()
      .describe('Has a family care bed 家庭养老床位 in service (服务中); a suspended or ended bed does not count'),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), { message: 'give at least one condition' });
export type CampaignTarget = z.output<typeof campaignTarget>;

/** One question of the script; its answer is recorded as a field (choice code, 1–5 or text). */
export const scriptQuestion = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,29}$/, 'lower-case letters, digits and _'),
    text: z.string().trim().min(1).max(200),
    kind: z.enum(QUESTION_KINDS),
    options: z
      .array(z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'option codes: lower-case letters, digits and _'))
      .min(2)
      .max(10)
      .optional(),
  })
  .superRefine((q, c) => {
    if (q.kind === 'choice' && !q.options) c.addIssue({ code: 'custom', path: ['options'], message: 'a choice needs options' });
    if (q.kind !== 'choice' && q.options) c.addIssue({ code: 'custom', path: ['options'], message: 'only a choice has options' });
  });
export type ScriptQuestion = z.output<typeof scriptQuestion>;

/** The usual script: health feeling, needs, meals, mood 1–5. */
export const DEFAULT_CARE_SCRIPT: ScriptQuestion[] = [
  { key: 'health', text: '最近身体感觉怎么样？', kind: 'choice', options: ['good', 'fair', 'poor'] },
  { key: 'needs', text: '最近有什么需要帮忙的吗？', kind: 'text' },
  { key: 'meals', text: '这几天吃饭正常吗？', kind: 'choice', options: ['regular', 'irregular', 'needs_help'] },
  { key: 'mood', text: '心情怎么样？（1 很差 – 5 很好）', kind: 'scale' },
];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time HH:MM (China time)');

const campaignFields = {
  name: z.string().trim().min(1).max(60),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a region code'),
  target: campaignTarget,
  frequency: z.enum(CAMPAIGN_FREQUENCIES),
  script: z
    .array(scriptQuestion)
    .min(1)
    .max(20)
    .refine((qs) => new Set(qs.map((q) => q.key)).size === qs.length, { message: 'question keys must differ' }),
  workStart: hhmm.describe('Working hours start, China time (09:00)'),
  workEnd: hhmm.describe('Working hours end, China time (17:30)'),
  retryAfterMinutes: z.number().int().min(5).max(1440).default(120),
  maxAttemptsPerDay: z.number().int().min(1).max(10).default(3),
  visitAfterDays: z.number().int().min(1).max(14).default(3),
  active: z.boolean().default(true),
};

export const campaignBody = z
  .strictObject(campaignFields)
  .refine((c) => c.workEnd > c.workStart, { message: 'working hours must end after they start', path: ['workEnd'] });
export const campaignPatch = z
  .strictObject({
    name: campaignFields.name,
    target: campaignTarget,
    frequency: campaignFields.frequency,
    script: campaignFields.script,
    workStart: hhmm,
    workEnd: hhmm,
    retryAfterMinutes: z.number().int().min(5).max(1440),
    maxAttemptsPerDay: z.number().int().min(1).max(10),
    visitAfterDays: z.number().int().min(1).max(14),
    active: z.boolean(),
  })
  .partial();
export type CampaignInput = z.output<typeof campaignBody>;
export type CampaignPatch = z.output<typeof campaignPatch>;

export const campaign = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  target: z.object({
    livingSituations: z.array(z.enum(LIVING_SITUATIONS)).optional(),
    minAge: z.number().optional(),
    birthdayThisWeek: z.boolean().optional(),
    noHeartbeatHours: z.number().optional(),
    openFamilyCareBed: z.boolean().optional(),
  }),
  frequency: z.enum(CAMPAIGN_FREQUENCIES),
  script: z.array(
    z.object({ key: z.string(), text: z.string(), kind: z.enum(QUESTION_KINDS), options: z.array(z.string()).optional() }),
  ),
  workStart: z.string(),
  workEnd: z.string(),
  retryAfterMinutes: z.number(),
  maxAttemptsPerDay: z.number(),
  visitAfterDays: z.number(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Campaign = z.output<typeof campaign>;

/** A task of an agent's list: the elder, the campaigns merged into it and their questions. */
export const careCallTask = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  listDate: z.string(),
  agentUserId: z.string().nullable(),
  status: z.enum(CARE_CALL_TASK_STATUSES),
  campaigns: z.array(z.object({ id: z.string(), name: z.string() })),
  questions: campaign.shape.script,
  attempts: z.number().int(),
  attemptsToday: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastResult: z.enum(CARE_CALL_RESULTS).nullable(),
  /** The call record of the latest dial (null before the first): orders, alarms, complaints start from it. */
  lastCallId: z.string().nullable(),
  /** May be dialled now: open, within working hours, not before its retry time, under today's cap. */
  dueNow: z.boolean(),
  closedAt: z.string().nullable(),
});
export type CareCallTask = z.output<typeof careCallTask>;

export const careCallResultBody = z.strictObject({
  result: z.enum(CARE_CALL_RESULTS),
  /** The client's id for this attempt: posting it again counts once. */
  attemptId: z
    .string()
    .regex(/^[A-Za-z0-9_\-:.]{8,100}$/, '8–100 letters, digits or - _ : .')
    .optional(),
  /**
   * The outbound call record the telephony made for this dial (click to dial through a PBX); it is
   * linked to the dial. Without it, the dial's call record is written here (desk phone).
   */
  callId: z.uuid().optional(),
  /** Answers to the script's questions by key: a choice's option code, 1–5 for a scale, or text. */
  answers: z
    .record(z.string().regex(/^[a-z][a-z0-9_]{1,29}$/), z.union([z.string().trim().min(1).max(500), z.number()]))
    .optional(),
  note: z.string().trim().max(500).optional(),
});
export type CareCallResultInput = z.output<typeof careCallResultBody>;

/** The task after the dial, and the dial's call record (null only for a dial recorded before calls were). */
export const careCallResultAnswer = careCallTask.extend({ callId: z.string().nullable() });
export type CareCallResultAnswer = z.output<typeof careCallResultAnswer>;

export const careVisitTask = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  reason: z.enum(['unreached']),
  days: z.number().int().nullable(),
  attempts: z.number().int().nullable(),
  campaigns: z.array(z.object({ id: z.string(), name: z.string() })),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  doneNote: z.string().nullable(),
});
export type CareVisitTask = z.output<typeof careVisitTask>;

const tally = z.object({
  key: z.string(),
  text: z.string(),
  kind: z.enum(QUESTION_KINDS),
  answered: z.number().int(),
  /** Choice: count per option code; scale: count per 1–5. */
  counts: z.record(z.string(), z.number().int()),
  /** Scale: the mean of the answers (null when none). */
  mean: z.number().nullable(),
});

export const campaignCoverage = z.object({
  campaignId: z.string(),
  name: z.string(),
  frequency: z.enum(CAMPAIGN_FREQUENCIES),
  active: z.boolean(),
  /** The current period: [from, to] China dates (a 'once' campaign: since it was created). */
  periodFrom: z.string(),
  periodTo: z.string(),
  targeted: z.number().int(),
  reached: z.number().int(),
  /** reached / targeted, 0–1 (null without targets). */
  reachedRate: z.number().nullable(),
  attempts: z.number().int(),
  answeredAttempts: z.number().int(),
  /** answered attempts / attempts, 0–1 (null without attempts). */
  answeredRate: z.number().nullable(),
  open: z.number().int(),
  unreached: z.number().int(),
  visitTasks: z.number().int(),
  /** Orders, alarms and complaints made from the campaign's calls (of its tasks of the period). */
  followUps: z.object({ orders: z.number().int(), alarms: z.number().int(), complaints: z.number().int() }),
  questions: z.array(tally),
});
export type CampaignCoverage = z.output<typeof campaignCoverage>;

const id = z.object({ id: z.uuid() });
const tags = ['care-calls'];
const idempotencyHeaders = z.object({ 'idempotency-key': z.string().optional() });

export const campaignsContract = {
  listCampaigns: route({
    method: 'GET',
    path: '/care-call-campaigns',
    permission: 'call:read',
    tags,
    summary: 'Care-call campaigns (主动关爱) in the caller’s region',
    query: z.object({
      includeInactive: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: listOf(campaign),
  }),
  createCampaign: route({
    method: 'POST',
    path: '/care-call-campaigns',
    permission: 'call:supervise',
    audit: 'care-call.campaign.create',
    tags,
    summary: 'Add a campaign: target rule, frequency, script, working hours and retry rules',
    body: campaignBody,
    response: { 201: campaign },
  }),
  updateCampaign: route({
    method: 'PATCH',
    path: '/care-call-campaigns/:id',
    permission: 'call:supervise',
    audit: 'care-call.campaign.update',
    tags,
    summary: 'Edit a campaign, or pause / resume it (active)',
    params: id,
    body: campaignPatch,
    response: campaign,
  }),
  coverage: route({
    method: 'GET',
    path: '/care-call-coverage',
    permission: 'call:read',
    tags,
    summary: 'Coverage of each campaign in the current period: targeted, reached, answered rate, answers, visit tasks',
    response: listOf(campaignCoverage),
  }),
  myTasks: route({
    method: 'GET',
    path: '/care-call-tasks/mine',
    permission: 'call:take',
    tags,
    summary: 'The agent’s care calls for today: open tasks (due first, by retry time), then today’s closed ones',
    response: listOf(careCallTask),
  }),
  listTasks: route({
    method: 'GET',
    path: '/care-call-tasks',
    permission: 'call:supervise',
    tags,
    summary: 'A day’s care-call tasks in the supervisor’s region (at most 1,000): who calls whom, the state of each',
    query: z.object({
      date: isoDay('filter').optional().describe('The list’s China date; today when left out'),
      status: z.enum(CARE_CALL_TASK_STATUSES).optional(),
      unassigned: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional()
        .describe('Only tasks no agent of the region could take'),
    }),
    response: listOf(careCallTask),
  }),
  postResult: route({
    method: 'POST',
    path: '/care-call-tasks/:id/results',
    permission: 'call:take',
    audit: 'care-call.result',
    tags,
    summary: 'Record a dial’s result (and the script answers); the same attempt id or Idempotency-Key counts once',
    params: id,
    headers: idempotencyHeaders,
    body: careCallResultBody,
    response: { 201: careCallResultAnswer },
  }),
  listVisitTasks: route({
    method: 'GET',
    path: '/care-visit-tasks',
    permission: 'elder:read',
    tags,
    summary: 'Home visits for elders the care calls could not reach (community workers)',
    query: z.object({
      open: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: listOf(careVisitTask),
  }),
  completeVisitTask: route({
    method: 'POST',
    path: '/care-visit-tasks/:id/done',
    permission: 'elder:write',
    audit: 'care-visit.done',
    tags,
    summary: 'Mark a home visit done, with a note',
    params: id,
    body: z.strictObject({ note: z.string().trim().max(500).optional() }),
    response: careVisitTask,
  }),
  setOptOut: route({
    method: 'PUT',
    path: '/elders/:id/care-call-opt-out',
    permission: 'elder:write',
    audit: 'elder.care-call-opt-out',
    tags,
    summary: 'Do not call (拒绝回访): the elder asked not to get care calls; a reason is required to set it',
    params: id,
    body: z
      .strictObject({ optOut: z.boolean(), reason: z.string().trim().min(1).max(200).optional() })
      .refine((b) => !b.optOut || b.reason, { message: 'say why the elder is not to be called', path: ['reason'] }),
    response: z.object({ elderId: z.string(), optOut: z.boolean(), reason: z.string().nullable() }),
  }),
};
