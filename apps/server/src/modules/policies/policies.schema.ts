import type { PolicyCovers, PolicyKind } from '@zhiyang/shared';
import { boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { PolicyConditions } from './policies.conditions.ts';

export const policies = pgTable('policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind').$type<PolicyKind>().notNull(),
  amount: integer('amount').notNull(),
  period: text('period').$type<'year' | 'month'>().notNull(),
  regionCode: text('region_code').notNull(),
  conditions: jsonb('conditions').$type<PolicyConditions>().notNull(),
  /** What the policy pays for; both lists empty: the whole catalogue (0213_policy_items.sql). */
  covers: jsonb('covers').$type<PolicyCovers>().notNull().default({ categories: [], itemIds: [] }),
  validFrom: date('valid_from').notNull(),
  validTo: date('valid_to'),
  prorate: boolean('prorate').notNull().default(true),
  expireUnused: boolean('expire_unused').notNull().default(true),
  status: text('status').$type<'draft' | 'active' | 'ended'>().notNull().default('draft'),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const policyGrants = pgTable(
  'policy_grants',
  {
    policyId: uuid('policy_id').notNull(),
    elderId: uuid('elder_id').notNull(),
    periodKey: text('period_key').notNull(),
    amount: integer('amount').notNull(),
    /** What is left of this grant (set to amount on insert by a trigger). */
    remaining: integer('remaining'),
    transactionId: uuid('transaction_id').notNull(),
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.policyId, t.elderId, t.periodKey] })],
);
