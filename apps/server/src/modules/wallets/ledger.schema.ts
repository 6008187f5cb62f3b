import { bigint, bigserial, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type AccountKind = 'fund' | 'elder' | 'hold' | 'provider' | 'payout';
export type Currency = 'points' | 'fen';
export type TxKind = 'grant' | 'reserve' | 'capture' | 'release' | 'expire' | 'refund' | 'settle' | 'adjust';

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
