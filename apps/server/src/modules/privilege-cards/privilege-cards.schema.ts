import type { PrivilegeCardStatus } from '@zhiyang/shared';
import { bigserial, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One source's answer in the external data check (人社 hrss, 公安 police, 卫健 health). */
export interface CheckResult {
  source: 'hrss' | 'police' | 'health';
  passed: boolean;
  reason: string | null;
}

/** Per-district 优待证 residence rule (0650_privilege_cards.sql), validity and renewal window (0652). */
export const privilegeCardSettings = pgTable('privilege_card_settings', {
  regionCode: text('region_code').primaryKey(),
  residenceRule: text('residence_rule').$type<'hukou' | 'hukou_or_residence'>().notNull().default('hukou'),
  minResidenceYears: integer('min_residence_years').notNull().default(0),
  // 0652: how long a card is valid, and how many days before its expiry it may be renewed.
  validYears: integer('valid_years').notNull().default(5),
  renewalWindowDays: integer('renewal_window_days').notNull().default(90),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An application, and once issued the elder's card; one live row per elder (partial unique index). */
export const privilegeCards = pgTable('privilege_cards', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  source: text('source').$type<'staff' | 'self'>().notNull(),
  status: text('status').$type<PrivilegeCardStatus>().notNull(),
  residenceSince: date('residence_since'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  // 0651: the external check, approval, number, validity, version of the QR code, revocation.
  checkResults: jsonb('check_results').$type<CheckResult[]>().notNull().default([]),
  checkedAt: timestamp('checked_at', { withTimezone: true }),
  decidedBy: uuid('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  reason: text('reason'),
  cardNo: text('card_no'),
  issuedOn: date('issued_on'),
  expiresOn: date('expires_on'),
  version: integer('version').notNull().default(1),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  // 0652: a renewal's new card points at the card it replaces; the old one is `replaced`.
  renewalOf: uuid('renewal_of'),
  replacedAt: timestamp('replaced_at', { withTimezone: true }),
});

/** The timeline of an application or card: one row per step (0652). */
export const privilegeCardEvents = pgTable('privilege_card_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  cardId: uuid('card_id').notNull(),
  step: text('step').notNull(),
  status: text('status').$type<PrivilegeCardStatus>().notNull(),
  reason: text('reason'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** The per-district card number sequence (0651). */
export const privilegeCardSequences = pgTable('privilege_card_sequences', {
  regionCode: text('region_code').primaryKey(),
  nextNo: integer('next_no').notNull().default(1),
});
