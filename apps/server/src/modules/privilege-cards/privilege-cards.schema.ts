import type { PrivilegeCardStatus } from '@zhiyang/shared';
import { date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Per-district 优待证 residence rule (0650_privilege_cards.sql). */
export const privilegeCardSettings = pgTable('privilege_card_settings', {
  regionCode: text('region_code').primaryKey(),
  residenceRule: text('residence_rule').$type<'hukou' | 'hukou_or_residence'>().notNull().default('hukou'),
  minResidenceYears: integer('min_residence_years').notNull().default(0),
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
});
