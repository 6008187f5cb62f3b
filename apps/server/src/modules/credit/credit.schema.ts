import type { CreditLevel, CreditManualKind } from '@zhiyang/shared';
import { boolean, date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Credit tables (0960_credit.sql). */

/** An event district staff recorded by hand on an organisation's credit file. */
export const creditEvents = pgTable('credit_events', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  kind: text('kind').$type<CreditManualKind>().notNull(),
  occurredOn: date('occurred_on').notNull(),
  title: text('title').notNull(),
  documentNo: text('document_no'),
  note: text('note'),
  createdBy: uuid('created_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The scoring rules the bureau set (only the keys it set; merged over the defaults). */
export const creditRulesTable = pgTable('credit_rules', {
  id: text('id').primaryKey(),
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The latest score of each organisation; `blocked` is what the other modules check. */
export const creditStandings = pgTable('credit_standings', {
  orgId: uuid('org_id').primaryKey(),
  score: integer('score').notNull(),
  level: text('level').$type<CreditLevel>().notNull(),
  listed: boolean('listed').notNull().default(false),
  blocked: boolean('blocked').notNull().default(false),
  dSince: date('d_since'),
  complaintCount: integer('complaint_count').notNull().default(0),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The dishonesty list 失信名单, one row per listing (at most one in force per organisation). */
export const creditListings = pgTable('credit_listings', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  basis: text('basis').$type<'rule' | 'decision'>().notNull(),
  reason: text('reason').notNull(),
  listedOn: date('listed_on').notNull(),
  listedBy: uuid('listed_by'),
  status: text('status').$type<'listed' | 'removed'>().notNull().default('listed'),
  removedOn: date('removed_on'),
  removedBy: uuid('removed_by'),
  removalReason: text('removal_reason'),
  appealStatus: text('appeal_status').$type<'none' | 'pending' | 'upheld' | 'rejected'>().notNull().default('none'),
  appealText: text('appeal_text'),
  appealedOn: date('appealed_on'),
  appealedBy: uuid('appealed_by'),
  appealDecision: text('appeal_decision'),
  appealDecidedOn: date('appeal_decided_on'),
  appealDecidedBy: uuid('appeal_decided_by'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
