import { boolean, date, doublePrecision, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
