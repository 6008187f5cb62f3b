import { boolean, date, doublePrecision, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type CareLevel = 'junior' | 'intermediate' | 'senior' | 'technician' | 'senior_technician';

/** Onboarding and credit profile of a provider organisation (服务商). */
export const providerProfiles = pgTable('provider_profiles', {
  orgId: uuid('org_id').primaryKey(),
  creditCode: text('credit_code').notNull(),
  legalPerson: text('legal_person'),
  approvalStatus: text('approval_status').$type<ApprovalStatus>().notNull().default('pending'),
  statusReason: text('status_reason'),
  dishonest: boolean('dishonest').notNull().default(false),
  dishonestReason: text('dishonest_reason'),
  dailyCapacity: integer('daily_capacity').notNull().default(40),
  /** Dispatch slot length in minutes (30, 60, 120, 180, 240) and orders per slot (null: one per assignable worker). */
  slotMinutes: integer('slot_minutes').notNull().default(60),
  slotCapacity: integer('slot_capacity'),
  ratingSum: integer('rating_sum').notNull().default(0),
  ratingCount: integer('rating_count').notNull().default(0),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const providerLicences = pgTable('provider_licences', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').notNull(),
  number: text('number').notNull(),
  validUntil: date('valid_until').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const providerAreas = pgTable(
  'provider_areas',
  { orgId: uuid('org_id').notNull(), regionCode: text('region_code').notNull() },
  (t) => [primaryKey({ columns: [t.orgId, t.regionCode] })],
);

export const providerSites = pgTable('provider_sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull(),
  address: text('address'),
  lat: doublePrecision('lat').notNull(),
  lng: doublePrecision('lng').notNull(),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const providerStaff = pgTable('provider_staff', {
  userId: uuid('user_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  name: text('name').notNull(),
  careLevel: text('care_level').$type<CareLevel>(),
  careCertNo: text('care_cert_no'),
  careCertValidUntil: date('care_cert_valid_until'),
  healthCertValidUntil: date('health_cert_valid_until'),
  active: boolean('active').notNull().default(true),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
