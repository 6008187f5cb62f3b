import { bigserial, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Call-centre tables (migration 0400). Phone numbers: `*_enc` encrypted, `*_hash` blind index. */

export type AgentState = 'offline' | 'idle' | 'ringing' | 'talking' | 'wrap_up' | 'break';
export type CallDirection = 'inbound' | 'outbound';
export type CallOutcome = 'answered' | 'abandoned' | 'no_answer' | 'busy' | 'failed';
export type PartyKind = 'elder' | 'terminal' | 'contact' | 'unknown';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const callHotlines = pgTable('call_hotlines', {
  id: uuid('id').primaryKey().defaultRandom(),
  number: text('number').notNull(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const callQueues = pgTable('call_queues', {
  id: uuid('id').primaryKey().defaultRandom(),
  hotlineId: uuid('hotline_id').notNull(),
  name: text('name').notNull(),
  skill: text('skill'),
  overflowSeconds: integer('overflow_seconds').notNull().default(60),
  active: boolean('active').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const callAgents = pgTable('call_agents', {
  userId: uuid('user_id').primaryKey(),
  extension: text('extension').notNull(),
  skills: text('skills').array().notNull().default([]),
  state: text('state').$type<AgentState>().notNull().default('offline'),
  breakReason: text('break_reason'),
  stateSince: ts('state_since').notNull().defaultNow(),
  idleSince: ts('idle_since'),
  currentCallId: uuid('current_call_id'),
  regionCode: text('region_code').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** Held by a routing answer until then (or until the agent's state changes), for `offeredTo`. */
  offeredUntil: ts('offered_until'),
  /** The blind index of the caller the agent is held for. */
  offeredTo: text('offered_to'),
});

export const callAgentStates = pgTable('call_agent_states', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  userId: uuid('user_id').notNull(),
  state: text('state').$type<AgentState>().notNull(),
  reason: text('reason'),
  startedAt: ts('started_at').notNull(),
  endedAt: ts('ended_at'),
});

export const callCategories = pgTable('call_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  parentCode: text('parent_code'),
  defaultItemCodes: text('default_item_codes').array().notNull().default([]),
  sort: integer('sort').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const calls = pgTable('calls', {
  id: uuid('id').primaryKey().defaultRandom(),
  externalId: text('external_id'),
  direction: text('direction').$type<CallDirection>().notNull(),
  hotlineId: uuid('hotline_id'),
  queueId: uuid('queue_id'),
  callerEnc: text('caller_enc'),
  callerHash: text('caller_hash'),
  calledEnc: text('called_enc'),
  calledHash: text('called_hash'),
  partyKind: text('party_kind').$type<PartyKind>().notNull().default('unknown'),
  elderId: uuid('elder_id'),
  contactId: uuid('contact_id'),
  deviceId: text('device_id'),
  terminalKey: text('terminal_key').$type<'sos' | 'service'>(),
  agentUserId: uuid('agent_user_id'),
  offeredAt: ts('offered_at').notNull(),
  ringingAt: ts('ringing_at'),
  answeredAt: ts('answered_at'),
  endedAt: ts('ended_at'),
  wrapUpEndedAt: ts('wrap_up_ended_at'),
  outcome: text('outcome').$type<CallOutcome>(),
  categoryCode: text('category_code'),
  subcategory: text('subcategory'),
  notes: text('notes'),
  orderId: uuid('order_id'),
  alarmId: uuid('alarm_id'),
  complaintId: uuid('complaint_id'),
  articleId: uuid('article_id'),
  recordingRef: text('recording_ref'),
  /** 转外线: when the outside number answered, and the number (encrypted, migration 0442). */
  transferredOutAt: ts('transferred_out_at'),
  transferredOutEnc: text('transferred_out_enc'),
  campaignTaskId: uuid('campaign_task_id'),
  /** The care-call dial (care_call_attempts.id) this record is of: one record per dial (migration 0440). */
  careCallAttemptId: uuid('care_call_attempt_id'),
  loggedBy: uuid('logged_by'),
  regionCode: text('region_code').notNull(),
  lastEventAt: ts('last_event_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** The recordings of a call, one per recorded leg (after 转接 the next agent's leg is another file; migration 0443). */
export const callRecordings = pgTable('call_recordings', {
  id: uuid('id').primaryKey(),
  callId: uuid('call_id').notNull(),
  ref: text('ref').notNull(),
  agentUserId: uuid('agent_user_id'),
  startedAt: ts('started_at').notNull(),
  seconds: integer('seconds'),
  eventId: text('event_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  // When the file was replaced by its sealed form (0999); null: not yet, or not a file of RECORDINGS_DIR.
  sealedAt: ts('sealed_at'),
});

export const ctiEvents = pgTable('cti_events', {
  eventId: text('event_id').primaryKey(),
  externalId: text('external_id').notNull(),
  type: text('type').notNull(),
  occurredAt: ts('occurred_at').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
  callId: uuid('call_id'),
  payload: jsonb('payload').notNull(),
});

export const kbArticles = pgTable('kb_articles', {
  id: uuid('id').primaryKey().defaultRandom(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  keywords: text('keywords').notNull().default(''),
  titleInitials: text('title_initials').notNull().default(''),
  categoryCode: text('category_code'),
  regionCode: text('region_code').notNull(),
  active: boolean('active').notNull().default(true),
  updatedBy: uuid('updated_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});
