import { boolean, date, doublePrecision, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type LivingSituation = 'alone' | 'empty_nest' | 'with_family' | 'institution';
export type AbilityLevel = 'intact' | 'mild' | 'moderate' | 'severe' | 'total';
export type ElderStatus = 'active' | 'moved_away' | 'in_hospital' | 'deceased';

/** Core elder archive. `*_enc` columns hold FieldCipher output; `*_hash` its blind index. */
export const elders = pgTable('elders', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  idType: text('id_type').$type<'resident_id' | 'passport' | 'other'>().notNull().default('resident_id'),
  idNumberEnc: text('id_number_enc').notNull(),
  idNumberHash: text('id_number_hash').notNull(),
  birthDate: date('birth_date').notNull(),
  sex: text('sex').$type<'male' | 'female'>().notNull(),
  phoneEnc: text('phone_enc'),
  phoneHash: text('phone_hash'),
  hukouRegionCode: text('hukou_region_code'),
  hukouLocal: boolean('hukou_local').notNull().default(true),
  regionCode: text('region_code').notNull(),
  address: text('address'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  livingSituation: text('living_situation').$type<LivingSituation>().notNull().default('with_family'),
  categories: text('categories').array().notNull().default([]),
  abilityLevel: text('ability_level').$type<AbilityLevel>(),
  status: text('status').$type<ElderStatus>().notNull().default('active'),
  statusDate: date('status_date'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  // 0101: the rest of the archive and the search columns.
  namePinyin: text('name_pinyin'),
  nameInitials: text('name_initials'),
  idTail4Hash: text('id_tail4_hash'),
  idTail5Hash: text('id_tail5_hash'),
  idTail6Hash: text('id_tail6_hash'),
  disabilityLevel: smallint('disability_level'),
  medicalInsurance: text('medical_insurance').$type<'employee' | 'resident' | 'none' | 'other'>(),
  chronicConditions: text('chronic_conditions').array().notNull().default([]),
  allergies: text('allergies').array().notNull().default([]),
  dietRestrictions: text('diet_restrictions').array().notNull().default([]),
  notes: text('notes'),
  nextAssessmentDue: date('next_assessment_due'),
  createdBy: uuid('created_by'),
});

export const elderContacts = pgTable('elder_contacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  name: text('name').notNull(),
  relationship: text('relationship').notNull(),
  phoneEnc: text('phone_enc').notNull(),
  phoneHash: text('phone_hash').notNull(),
  callOrder: integer('call_order').notNull(),
  isGuardian: boolean('is_guardian').notNull().default(false),
  holdsKey: boolean('holds_key').notNull().default(false),
  notes: text('notes'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const elderStatusChanges = pgTable('elder_status_changes', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  fromStatus: text('from_status').$type<ElderStatus>().notNull(),
  toStatus: text('to_status').$type<ElderStatus>().notNull(),
  statusDate: date('status_date'),
  reason: text('reason'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const elderInviteCodes = pgTable('elder_invite_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdBy: uuid('created_by'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  usedBy: uuid('used_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface ImportRowError {
  row: number;
  column: string | null;
  message: string;
}

export const elderImports = pgTable('elder_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  filename: text('filename').notNull(),
  status: text('status').$type<'running' | 'done' | 'failed'>().notNull().default('running'),
  totalRows: integer('total_rows').notNull().default(0),
  processedRows: integer('processed_rows').notNull().default(0),
  createdCount: integer('created_count').notNull().default(0),
  updatedCount: integer('updated_count').notNull().default(0),
  errorCount: integer('error_count').notNull().default(0),
  errors: jsonb('errors').$type<ImportRowError[]>().notNull().default([]),
  failure: text('failure'),
  regionCode: text('region_code'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});
