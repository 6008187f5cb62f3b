import type { AdmissionStatus, BedStatus, NursingLevel, RiskLevel } from '@zhiyang/shared';
import { boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Tables of institutions 机构养老 (migration 0800_institutions.sql). */

export interface CarePlanItem {
  code: string;
  zh: string;
  perDay: number;
}

export const institutionProfiles = pgTable('institution_profiles', {
  orgId: uuid('org_id').primaryKey(),
  ownership: text('ownership').$type<'public' | 'private' | 'public_private'>().notNull().default('private'),
  licenceNo: text('licence_no'),
  filingNo: text('filing_no'),
  filedOn: date('filed_on'),
  capacity: integer('capacity').notNull().default(0),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const institutionBuildings = pgTable('institution_buildings', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  sort: integer('sort').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const institutionFloors = pgTable('institution_floors', {
  id: uuid('id').primaryKey().defaultRandom(),
  buildingId: uuid('building_id').notNull(),
  name: text('name').notNull(),
  level: integer('level').notNull(),
});

export const institutionRooms = pgTable('institution_rooms', {
  id: uuid('id').primaryKey().defaultRandom(),
  floorId: uuid('floor_id').notNull(),
  name: text('name').notNull(),
});

export const beds = pgTable('beds', {
  id: uuid('id').primaryKey().defaultRandom(),
  roomId: uuid('room_id').notNull(),
  orgId: uuid('org_id').notNull(),
  label: text('label').notNull(),
  nursing: boolean('nursing').notNull().default(false),
  priceFen: integer('price_fen').notNull().default(0),
  status: text('status').$type<BedStatus>().notNull().default('free'),
  admissionId: uuid('admission_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** A bed reserved for an application: until when (migration 0840). */
  reservedUntil: timestamp('reserved_until', { withTimezone: true }),
});

export const admissions = pgTable('admissions', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  status: text('status').$type<AdmissionStatus>().notNull().default('applied'),
  appliedOn: date('applied_on').notNull(),
  note: text('note'),
  abilityAssessmentId: uuid('ability_assessment_id'),
  abilityLevel: text('ability_level'),
  riskItems: jsonb('risk_items').$type<Record<string, RiskLevel>>(),
  riskLevel: text('risk_level').$type<RiskLevel>(),
  riskAssessedOn: date('risk_assessed_on'),
  riskAssessedBy: uuid('risk_assessed_by'),
  nursingLevel: text('nursing_level').$type<NursingLevel>(),
  carePlan: jsonb('care_plan').$type<CarePlanItem[]>().notNull().default([]),
  bedId: uuid('bed_id'),
  contractNo: text('contract_no'),
  bedFeeFen: integer('bed_fee_fen'),
  nursingFeeFen: integer('nursing_fee_fen'),
  mealFeeFen: integer('meal_fee_fen'),
  depositFen: integer('deposit_fen'),
  depositPaidAt: timestamp('deposit_paid_at', { withTimezone: true }),
  admittedOn: date('admitted_on'),
  previousLiving: text('previous_living'),
  endedOn: date('ended_on'),
  endNote: text('end_note'),
  transferDestination: text('transferred_to'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const careRecords = pgTable('care_records', {
  id: uuid('id').primaryKey().defaultRandom(),
  admissionId: uuid('admission_id').notNull(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').$type<'care' | 'medication' | 'vitals'>().notNull(),
  item: text('item').notNull(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  doneAt: timestamp('done_at', { withTimezone: true }).notNull(),
  day: date('day').notNull(),
  byUser: uuid('by_user'),
  byName: text('by_name'),
  idempotencyKey: text('idempotency_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const institutionIncidents = pgTable('institution_incidents', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  admissionId: uuid('admission_id').notNull(),
  kind: text('kind').notNull(),
  severity: text('severity').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  description: text('description').notNull(),
  actionTaken: text('action_taken'),
  familyTold: boolean('family_told').notNull().default(false),
  reportedBy: uuid('reported_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const bedDevices = pgTable('bed_devices', {
  deviceId: text('device_id').primaryKey(),
  bedId: uuid('bed_id').notNull(),
  orgId: uuid('org_id').notNull(),
  boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
});
