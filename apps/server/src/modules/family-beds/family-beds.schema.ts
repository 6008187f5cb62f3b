import type { FamilyBedMonitoring, FamilyBedMonthStatus, FamilyBedStatus } from '@zhiyang/shared';
import { bigint, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Tables of family care beds 家庭养老照护床位 (migration 0750_family_beds.sql). */

export const familyBedRules = pgTable('family_bed_rules', {
  districtCode: text('district_code').primaryKey(),
  eligibleLevels: text('eligible_levels').array().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const familyBeds = pgTable('family_beds', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  status: text('status').$type<FamilyBedStatus>().notNull().default('applied'),
  appliedOn: date('applied_on').notNull(),
  note: text('note'),
  assessmentId: uuid('assessment_id').notNull(),
  abilityLevel: text('ability_level').notNull(),
  homeChecklist: jsonb('home_checklist').$type<Record<string, 'ok' | 'needed' | 'installed'>>(),
  homeAssessedOn: date('home_assessed_on'),
  homeAssessedBy: uuid('home_assessed_by'),
  homeNote: text('home_note'),
  providerId: uuid('provider_id'),
  contractNo: text('contract_no'),
  contractFrom: date('contract_from'),
  contractTo: date('contract_to'),
  policyId: uuid('policy_id'),
  monthlyFen: integer('monthly_fen'),
  visitsPerWeek: integer('visits_per_week'),
  itemIds: uuid('item_ids').array().notNull().default([]),
  monitoring: jsonb('monitoring').$type<FamilyBedMonitoring>(),
  activatedOn: date('activated_on'),
  statusReason: text('status_reason'),
  endedOn: date('ended_on'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const familyBedDevices = pgTable('family_bed_devices', {
  deviceId: text('device_id').primaryKey(),
  bedId: uuid('bed_id').notNull(),
  boundBy: uuid('bound_by'),
  boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
});

export const familyBedMonths = pgTable(
  'family_bed_months',
  {
    bedId: uuid('bed_id').notNull(),
    month: text('month').notNull(),
    regionCode: text('region_code').notNull(),
    providerId: uuid('provider_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    required: integer('required').notNull(),
    delivered: integer('delivered').notNull(),
    status: text('status').$type<FamilyBedMonthStatus>().notNull(),
    holdReason: text('hold_reason'),
    amountFen: integer('amount_fen').notNull(),
    ledgerTxId: uuid('ledger_tx_id'),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
    checkedBy: uuid('checked_by'),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: uuid('released_by'),
    releaseReason: text('release_reason'),
    settlementId: uuid('settlement_id'),
    /** Days of the month taken out of the requirement for a suspension (0751). */
    suspendedDays: integer('suspended_days').notNull().default(0),
    isDemo: boolean('is_demo').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.bedId, t.month] })],
);

export const settlementBedLines = pgTable(
  'settlement_bed_lines',
  {
    settlementId: uuid('settlement_id').notNull(),
    bedId: uuid('bed_id').notNull(),
    month: text('month').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.settlementId, t.bedId, t.month] })],
);

/** Suspension periods of a bed (0751): the days are taken out of the month's requirement. */
export const familyBedSuspensions = pgTable('family_bed_suspensions', {
  id: uuid('id').primaryKey().defaultRandom(),
  bedId: uuid('bed_id').notNull(),
  fromDay: date('from_day').notNull(),
  toDay: date('to_day'),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});
