import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Tables of the health record and 长护险 (0920_health_records.sql). */

export type VitalCode = 'heart_rate' | 'resp_rate' | 'spo2' | 'temperature' | 'systolic' | 'diastolic' | 'glucose';

export const healthObservations = pgTable('health_observations', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  elderId: uuid('elder_id').notNull(),
  code: text('code').$type<VitalCode>().notNull(),
  value: doublePrecision('value').notNull(),
  observedAt: timestamp('observed_at', { withTimezone: true }).notNull(),
  source: text('source').$type<'device' | 'manual'>().notNull(),
  deviceId: text('device_id'),
  eventId: bigint('event_id', { mode: 'number' }),
  isDemo: boolean('is_demo').notNull().default(false),
});

export const healthMedications = pgTable('health_medications', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  // Only rows written before 0996, until health-records.seal-backfill seals them (records.sealed.ts).
  plainName: text('name'),
  plainDose: text('dose'),
  plainFrequency: text('frequency'),
  /** 0996: name, dose and frequency, sealed. */
  privateEnc: text('private_enc'),
  startedOn: date('started_on'),
  endedOn: date('ended_on'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const healthPhysicalImports = pgTable('health_physical_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code'),
  fileName: text('file_name').notNull(),
  total: integer('total').notNull(),
  imported: integer('imported').notNull(),
  errors: jsonb('errors').notNull().default([]),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const healthPhysicals = pgTable('health_physicals', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  examYear: integer('exam_year').notNull(),
  examDate: date('exam_date').notNull(),
  // Only rows written before 0996, until health-records.seal-backfill seals them (records.sealed.ts).
  plainInstitution: text('institution'),
  plainHeightCm: doublePrecision('height_cm'),
  plainWeightKg: doublePrecision('weight_kg'),
  plainSystolic: integer('systolic'),
  plainDiastolic: integer('diastolic'),
  plainHeartRate: integer('heart_rate'),
  plainFastingGlucose: doublePrecision('fasting_glucose'),
  plainTotalCholesterol: doublePrecision('total_cholesterol'),
  plainTriglycerides: doublePrecision('triglycerides'),
  plainEcg: text('ecg'),
  plainConclusion: text('conclusion'),
  /** 0996: the institution, every measured value, ECG and conclusion, sealed. */
  privateEnc: text('private_enc'),
  importId: uuid('import_id'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ltcPolicies = pgTable('ltc_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  name: text('name').notNull(),
  eligibleLevels: text('eligible_levels').array().notNull(),
  itemIds: uuid('item_ids').array().notNull(),
  monthlyHours: integer('monthly_hours').notNull(),
  monthlyCapFen: integer('monthly_cap_fen').notNull(),
  payPercent: integer('pay_percent').notNull(),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  status: text('status').$type<'active' | 'ended'>().notNull().default('active'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ltcEnrolments = pgTable('ltc_enrolments', {
  id: uuid('id').primaryKey().defaultRandom(),
  policyId: uuid('policy_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  abilityLevel: text('ability_level').notNull(),
  assessmentId: uuid('assessment_id').notNull(),
  status: text('status').$type<'active' | 'ended'>().notNull().default('active'),
  enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  enrolledBy: uuid('enrolled_by'),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** Who pays an order: one row per order (the guard against paying one order twice). */
export const orderFundings = pgTable('order_fundings', {
  orderId: uuid('order_id').primaryKey(),
  funder: text('funder').$type<'subsidy' | 'ltc'>().notNull(),
  policyId: uuid('policy_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ltcClaims = pgTable('ltc_claims', {
  id: uuid('id').primaryKey().defaultRandom(),
  policyId: uuid('policy_id').notNull(),
  providerId: uuid('provider_id').notNull(),
  month: text('month').notNull(),
  lines: integer('lines').notNull(),
  amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  claimFen: bigint('claim_fen', { mode: 'number' }).notNull(),
  excluded: jsonb('excluded').notNull().default([]),
  isDemo: boolean('is_demo').notNull().default(false),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ltcClaimLines = pgTable(
  'ltc_claim_lines',
  {
    claimId: uuid('claim_id').notNull(),
    orderId: uuid('order_id').notNull(),
    elderId: uuid('elder_id').notNull(),
    itemId: uuid('item_id').notNull(),
    servedOn: date('served_on').notNull(),
    minutes: integer('minutes').notNull(),
    amountFen: integer('amount_fen').notNull(),
    claimFen: integer('claim_fen').notNull(),
    copayFen: integer('copay_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.claimId, t.orderId] })],
);
