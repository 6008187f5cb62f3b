import { boolean, date, doublePrecision, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// 医养结合 tables (0900_medical.sql). The migration is the source of truth.

export const medicalOrgs = pgTable('medical_orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  regionCode: text('region_code').notNull(),
  licenceNo: text('licence_no'),
  address: text('address'),
  phone: text('phone'),
  status: text('status').notNull().default('active'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const doctorTeams = pgTable('doctor_teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  communities: text('communities').array().notNull().default([]),
  status: text('status').notNull().default('active'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const doctorTeamMembers = pgTable('doctor_team_members', {
  id: uuid('id').primaryKey().defaultRandom(),
  teamId: uuid('team_id').notNull(),
  userId: uuid('user_id'),
  name: text('name').notNull(),
  role: text('role').notNull(),
  licenceNo: text('licence_no'),
  phone: text('phone'),
  isLeader: boolean('is_leader').notNull().default(false),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const doctorContracts = pgTable('doctor_contracts', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  teamId: uuid('team_id').notNull(),
  regionCode: text('region_code').notNull(),
  package: text('package').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  status: text('status').notNull().default('active'),
  previousId: uuid('previous_id'),
  signedBy: uuid('signed_by'),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  endReason: text('end_reason'),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const homeBedCriteria = pgTable('home_bed_criteria', {
  regionCode: text('region_code').primaryKey(),
  minAge: integer('min_age').notNull().default(60),
  chronicConditions: text('chronic_conditions').array().notNull().default([]),
  abilityLevels: text('ability_levels').array().notNull().default([]),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const homeBedEpisodes = pgTable('home_bed_episodes', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  teamId: uuid('team_id').notNull(),
  regionCode: text('region_code').notNull(),
  status: text('status').notNull().default('open'),
  /** Plain columns: rows written before 0997 only, until medical.seal-backfill seals them (see medical.sealed.ts). */
  plainDiagnosis: text('diagnosis'),
  admittedOn: date('admitted_on').notNull(),
  plainCriteriaCheck: jsonb('criteria_check'),
  visitsPerWeek: integer('visits_per_week').notNull(),
  planItems: jsonb('plan_items').notNull().default([]),
  dischargedOn: date('discharged_on'),
  plainDischargeSummary: text('discharge_summary'),
  /** Diagnosis, criteria check and discharge summary, sealed together (FieldCipher output of a JSON object). */
  privateEnc: text('private_enc'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const medicalPartnerships = pgTable('medical_partnerships', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  medicalOrgId: uuid('medical_org_id').notNull(),
  regionCode: text('region_code').notNull(),
  agreementNo: text('agreement_no'),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  greenChannel: boolean('green_channel').notNull().default(false),
  services: text('services'),
  status: text('status').notNull().default('active'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const medicalReferrals = pgTable('medical_referrals', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  source: text('source').notNull(),
  fromOrgId: uuid('from_org_id'),
  medicalOrgId: uuid('medical_org_id').notNull(),
  teamId: uuid('team_id'),
  /** Plain column: rows written before 0997 only (see medical.sealed.ts). */
  plainReason: text('reason'),
  /** The reason, sealed (FieldCipher output of a JSON object). */
  privateEnc: text('private_enc'),
  urgency: text('urgency').notNull().default('normal'),
  greenChannel: boolean('green_channel').notNull().default(false),
  status: text('status').notNull().default('pending'),
  followUpId: uuid('follow_up_id').unique(),
  note: text('note'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const medicalVisits = pgTable('medical_visits', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  teamId: uuid('team_id').notNull(),
  source: text('source').notNull(),
  referralId: uuid('referral_id'),
  episodeId: uuid('episode_id'),
  /** Plain columns (reason, findings, advice, vitals): rows written before 0997 only (see medical.sealed.ts). */
  plainReason: text('reason'),
  status: text('status').notNull().default('requested'),
  scheduledOn: date('scheduled_on'),
  memberId: uuid('member_id'),
  checkInMethod: text('check_in_method'),
  checkInLat: doublePrecision('check_in_lat'),
  checkInLng: doublePrecision('check_in_lng'),
  checkInDistanceM: integer('check_in_distance_m'),
  plainFindings: text('findings'),
  plainAdvice: text('advice'),
  plainVitals: jsonb('vitals'),
  /** Reason, findings, advice and vital signs, sealed together (FieldCipher output of a JSON object). */
  privateEnc: text('private_enc'),
  visitedBy: uuid('visited_by'),
  visitedAt: timestamp('visited_at', { withTimezone: true }),
  clientKey: text('client_key'),
  requestedBy: uuid('requested_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const homeBedBillingLines = pgTable('home_bed_billing_lines', {
  id: uuid('id').primaryKey().defaultRandom(),
  episodeId: uuid('episode_id').notNull(),
  visitId: uuid('visit_id'),
  itemCode: text('item_code').notNull(),
  itemName: text('item_name').notNull(),
  quantity: integer('quantity').notNull().default(1),
  amountFen: integer('amount_fen').notNull(),
  serviceOn: date('service_on').notNull(),
  status: text('status').notNull().default('recorded'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});
