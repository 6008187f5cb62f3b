import { bigint, bigserial, boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** 'volunteer': a volunteer's time-bank account (currency 'minutes', 0770_volunteers.sql). */
export type AccountKind = 'fund' | 'elder' | 'hold' | 'provider' | 'payout' | 'volunteer';
/** 'minutes': the time bank's hours, kept in minutes. */
export type Currency = 'points' | 'fen' | 'minutes';
export type TxKind =
  | 'grant'
  | 'reserve'
  | 'capture'
  | 'release'
  | 'expire'
  | 'refund'
  | 'settle'
  | 'adjust'
  | 'credit'
  | 'redeem';

export const ledgerAccounts = pgTable('ledger_accounts', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<AccountKind>().notNull(),
  currency: text('currency').$type<Currency>().notNull(),
  ownerId: uuid('owner_id'),
  balance: bigint('balance', { mode: 'number' }).notNull().default(0),
  frozen: boolean('frozen').notNull().default(false),
  frozenReason: text('frozen_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ledgerTransactions = pgTable('ledger_transactions', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<TxKind>().notNull(),
  currency: text('currency').$type<Currency>().notNull(),
  elderId: uuid('elder_id'),
  orderId: uuid('order_id'),
  policyId: uuid('policy_id'),
  memo: text('memo'),
  final: boolean('final').notNull().default(false),
  actorId: uuid('actor_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const ledgerEntries = pgTable('ledger_entries', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  transactionId: uuid('transaction_id').notNull(),
  accountId: uuid('account_id').notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Months closed by a settlement: the ledger refuses entries dated in them (0206_ledger_period_close.sql). */
export const ledgerClosedPeriods = pgTable('ledger_closed_periods', {
  period: text('period').primaryKey(),
  settlementId: uuid('settlement_id'),
  closedBy: uuid('closed_by'),
  closedAt: timestamp('closed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Each draw on (or return to) a policy grant lot, by transaction (0207_grant_lots.sql). */
export const grantDraws = pgTable('grant_draws', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  policyId: uuid('policy_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  periodKey: text('period_key').notNull(),
  transactionId: uuid('transaction_id').notNull(),
  orderId: uuid('order_id'),
  amount: integer('amount').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
