import { boolean, date, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Special-group membership, computed from the archive or set by staff (0700_care_visits.sql). */
export const careGroupMembers = pgTable(
  'care_group_members',
  {
    elderId: uuid('elder_id').notNull(),
    groupCode: text('group_code').notNull(),
    source: text('source').$type<'computed' | 'staff'>().notNull(),
    regionCode: text('region_code').notNull(),
    note: text('note'),
    setBy: uuid('set_by'),
    since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.elderId, t.groupCode, t.source] })],
);

/** The household record 一户一册. */
export const careHouseholds = pgTable('care_households', {
  elderId: uuid('elder_id').primaryKey(),
  regionCode: text('region_code').notNull(),
  members: jsonb('members').$type<Array<{ name: string; relationship: string; age?: number | null }>>().notNull().default([]),
  carerName: text('carer_name'),
  carerPhoneEnc: text('carer_phone_enc'),
  housing: text('housing'),
  housingCondition: text('housing_condition'),
  housingNote: text('housing_note'),
  keyHolderName: text('key_holder_name'),
  keyHolderPhoneEnc: text('key_holder_phone_enc'),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Visit rules as data: elders in all of `groups` are visited every `intervalDays`. */
export const careVisitRules = pgTable('care_visit_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  groups: text('groups').array().notNull(),
  riskLevel: text('risk_level').$type<'high' | 'medium' | 'low'>().notNull(),
  intervalDays: integer('interval_days').notNull(),
  assigneeKind: text('assignee_kind').$type<'community' | 'grid' | 'volunteer'>().notNull().default('community'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const careVisitSettings = pgTable('care_visit_settings', {
  regionCode: text('region_code').primaryKey(),
  escalateAfterDays: integer('escalate_after_days').notNull().default(3),
  followUpDays: integer('follow_up_days').notNull().default(7),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One plan per elder. */
export const careVisitPlans = pgTable('care_visit_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull().unique(),
  regionCode: text('region_code').notNull(),
  ruleId: uuid('rule_id'),
  riskLevel: text('risk_level').$type<'high' | 'medium' | 'low'>().notNull(),
  intervalDays: integer('interval_days').notNull(),
  assigneeId: uuid('assignee_id'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A visit: scheduled, then recorded (the risk radar reads `status`, `visited_at`, `outcome`). */
export const careVisits = pgTable('care_visits', {
  id: uuid('id').primaryKey().defaultRandom(),
  planId: uuid('plan_id'),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  assigneeId: uuid('assignee_id'),
  dueOn: date('due_on').notNull(),
  status: text('status').$type<'scheduled' | 'done' | 'cancelled'>().notNull().default('scheduled'),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  escalatedTo: text('escalated_to'),
  outcome: text('outcome').$type<'met' | 'not_home'>(),
  checkInMethod: text('check_in_method').$type<'gps' | 'qr'>(),
  checkInLat: doublePrecision('check_in_lat'),
  checkInLng: doublePrecision('check_in_lng'),
  checkInDistanceM: integer('check_in_distance_m'),
  form: jsonb('form').$type<Record<string, unknown>>(),
  notes: text('notes'),
  visitedBy: uuid('visited_by'),
  visitedAt: timestamp('visited_at', { withTimezone: true }),
  clientKey: text('client_key'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const careVisitPhotos = pgTable('care_visit_photos', {
  id: uuid('id').primaryKey().defaultRandom(),
  visitId: uuid('visit_id').notNull(),
  sha256: text('sha256').notNull(),
  mime: text('mime').notNull(),
  dataEnc: text('data_enc').notNull(),
  bytes: integer('bytes').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** What a visit found; `type` is one of CARE_FINDING_TYPES. */
export const careVisitFindings = pgTable('care_visit_findings', {
  id: uuid('id').primaryKey().defaultRandom(),
  visitId: uuid('visit_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  type: text('type').notNull(),
  severity: text('severity').$type<'concern' | 'urgent'>().notNull(),
  detail: text('detail'),
  foundAt: timestamp('found_at', { withTimezone: true }).notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** A follow-up of a finding, tracked to closure. */
export const careFollowUps = pgTable('care_follow_ups', {
  id: uuid('id').primaryKey().defaultRandom(),
  findingId: uuid('finding_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  type: text('type').$type<'service_order' | 'alarm' | 'home_adaptation' | 'doctor_referral' | 'street_task'>().notNull(),
  status: text('status').$type<'open' | 'closed'>().notNull().default('open'),
  deadline: date('deadline').notNull(),
  detail: text('detail').notNull(),
  orderId: uuid('order_id'),
  alarmId: uuid('alarm_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  closedBy: uuid('closed_by'),
  closingNote: text('closing_note'),
  isDemo: boolean('is_demo').notNull().default(false),
});
