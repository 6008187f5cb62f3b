import { boolean, date, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Outbound care-call tables (主动关爱, migration 0402). */

export type CampaignFrequency = 'weekly' | 'monthly' | 'once';
export type CareCallTaskStatus = 'open' | 'answered' | 'refused' | 'wrong_number' | 'unreached' | 'cancelled';
export type CareCallResult = 'answered' | 'no_answer' | 'busy' | 'wrong_number' | 'refused';
export type QuestionKind = 'choice' | 'text' | 'scale';

export interface CampaignTarget {
  livingSituations?: Array<'alone' | 'empty_nest' | 'with_family' | 'institution'>;
  minAge?: number;
  birthdayThisWeek?: boolean;
  noHeartbeatHours?: number;
  openFamilyCareBed?: boolean;
}
export interface ScriptQuestion {
  key: string;
  text: string;
  kind: QuestionKind;
  options?: string[];
}

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * The two columns migration 0402 adds to `elders` (the do-not-call flag and its reason). The
 * archive's table is the elders module's; this module owns only these columns, so they are
 * declared here as their own view of the same table (the schema test sees every column once).
 */
export const elderCareCallFlags = pgTable('elders', {
  careCallOptOut: boolean('care_call_opt_out').notNull().default(false),
  careCallOptOutReason: text('care_call_opt_out_reason'),
});

export const careCallCampaigns = pgTable('care_call_campaigns', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  target: jsonb('target').$type<CampaignTarget>().notNull(),
  frequency: text('frequency').$type<CampaignFrequency>().notNull(),
  script: jsonb('script').$type<ScriptQuestion[]>().notNull(),
  workStartMinute: integer('work_start_minute').notNull(),
  workEndMinute: integer('work_end_minute').notNull(),
  retryAfterMinutes: integer('retry_after_minutes').notNull().default(120),
  maxAttemptsPerDay: integer('max_attempts_per_day').notNull().default(3),
  visitAfterDays: integer('visit_after_days').notNull().default(3),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const careCallTasks = pgTable('care_call_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  listDate: date('list_date').notNull(),
  campaignIds: uuid('campaign_ids').array().notNull(),
  agentUserId: uuid('agent_user_id'),
  status: text('status').$type<CareCallTaskStatus>().notNull().default('open'),
  workStartMinute: integer('work_start_minute').notNull(),
  workEndMinute: integer('work_end_minute').notNull(),
  retryAfterMinutes: integer('retry_after_minutes').notNull(),
  maxAttemptsPerDay: integer('max_attempts_per_day').notNull(),
  visitAfterDays: integer('visit_after_days').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at'),
  lastResult: text('last_result').$type<CareCallResult>(),
  closedAt: ts('closed_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const careCallAttempts = pgTable('care_call_attempts', {
  id: uuid('id').primaryKey().defaultRandom(),
  taskId: uuid('task_id').notNull(),
  attemptKey: text('attempt_key').notNull(),
  result: text('result').$type<CareCallResult>().notNull(),
  callId: uuid('call_id'),
  agentUserId: uuid('agent_user_id'),
  attemptDate: date('attempt_date').notNull(),
  at: ts('at').notNull(),
  note: text('note'),
});

export const careCallAnswers = pgTable('care_call_answers', {
  attemptId: uuid('attempt_id').notNull(),
  taskId: uuid('task_id').notNull(),
  questionKey: text('question_key').notNull(),
  choice: text('choice'),
  scale: smallint('scale'),
  textValue: text('text_value'),
});

export const careVisitTasks = pgTable('care_visit_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  reason: text('reason').$type<'unreached'>().notNull(),
  detail: jsonb('detail').$type<{ days?: number; attempts?: number; campaignIds?: string[] }>().notNull().default({}),
  taskId: uuid('task_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  doneAt: ts('done_at'),
  doneBy: uuid('done_by'),
  doneNote: text('done_note'),
});
