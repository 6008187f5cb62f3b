import { bigserial, boolean, doublePrecision, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type Priority = 'P1' | 'P2' | 'P3';
export type AlarmStatus = 'raised' | 'acknowledged' | 'responding' | 'on_site' | 'resolved' | 'reviewed';

/** Alarms (migration 0301). `open` is true until resolved; open alarms merge by `mergeKey`. */
export const alarms = pgTable('alarms', {
  id: uuid('id').primaryKey().defaultRandom(),
  type: text('type').notNull(),
  priority: text('priority').$type<Priority>().notNull(),
  raisedPriority: text('raised_priority').$type<Priority>().notNull(),
  status: text('status').$type<AlarmStatus>().notNull().default('raised'),
  mergeKey: text('merge_key').notNull(),
  open: boolean('open').notNull().default(true),
  elderId: uuid('elder_id'),
  deviceId: text('device_id'),
  regionCode: text('region_code').notNull(),
  eventCount: integer('event_count').notNull().default(1),
  lastEventAt: timestamp('last_event_at', { withTimezone: true }).notNull().defaultNow(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  acknowledgedBy: uuid('acknowledged_by'),
  escalationLevel: integer('escalation_level').notNull().default(0),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  resolvedBy: uuid('resolved_by'),
  outcome: text('outcome'),
  resolutionNote: text('resolution_note'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  reviewedBy: uuid('reviewed_by'),
  reviewNote: text('review_note'),
  isDemo: boolean('is_demo').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  // 0800: an alarm of a bed-bound device goes first to its institution (orgId); centreAt is when
  // it reached the district's alarm centre (null while the institution's duty staff have it).
  orgId: uuid('org_id'),
  centreAt: timestamp('centre_at', { withTimezone: true }),
});

export const alarmActions = pgTable('alarm_actions', {
  id: uuid('id').primaryKey().defaultRandom(),
  alarmId: uuid('alarm_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  kind: text('kind').notNull(),
  contactId: uuid('contact_id'),
  result: text('result'),
  note: text('note'),
});

export const responderStatus = pgTable('responder_status', {
  userId: uuid('user_id').primaryKey(),
  onDuty: boolean('on_duty').notNull().default(false),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  accuracy: doublePrecision('accuracy'),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});

export type DispatchStatus = 'offered' | 'accepted' | 'declined' | 'en_route' | 'on_site' | 'done' | 'withdrawn';

export const alarmDispatches = pgTable('alarm_dispatches', {
  id: uuid('id').primaryKey().defaultRandom(),
  alarmId: uuid('alarm_id').notNull(),
  responderId: uuid('responder_id').notNull(),
  status: text('status').$type<DispatchStatus>().notNull().default('offered'),
  distanceM: integer('distance_m'),
  offeredBy: uuid('offered_by'),
  offeredAt: timestamp('offered_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const safetyRuleOverrides = pgTable('safety_rule_overrides', {
  elderId: uuid('elder_id').primaryKey(),
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull().default({}),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  alarmId: uuid('alarm_id'),
  elderId: uuid('elder_id'),
  contactId: uuid('contact_id'),
  regionCode: text('region_code'),
  reason: text('reason').notNull(),
  channel: text('channel').notNull().default('sms'),
  recipientEnc: text('recipient_enc').notNull(),
  recipientMasked: text('recipient_masked').notNull(),
  body: text('body').notNull(),
  status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  readAt: timestamp('read_at', { withTimezone: true }),
});

export const notificationAttempts = pgTable('notification_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  notificationId: uuid('notification_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  provider: text('provider').notNull(),
  ok: boolean('ok').notNull(),
  error: text('error'),
});
