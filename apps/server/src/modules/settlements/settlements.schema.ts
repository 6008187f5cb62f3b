import { bigint, boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const settlements = pgTable('settlements', {
  id: uuid('id').primaryKey().defaultRandom(),
  providerId: uuid('provider_id').notNull(),
  period: text('period').notNull(),
  status: text('status').$type<'draft' | 'confirmed' | 'approved'>().notNull().default('draft'),
  pointsRateFen: integer('points_rate_fen').notNull(),
  orderCount: integer('order_count').notNull().default(0),
  pointsTotal: integer('points_total').notNull().default(0),
  pointsFen: bigint('points_fen', { mode: 'number' }).notNull().default(0),
  purchaseFen: bigint('purchase_fen', { mode: 'number' }).notNull().default(0),
  selfPayFen: bigint('self_pay_fen', { mode: 'number' }).notNull().default(0),
  totalFen: bigint('total_fen', { mode: 'number' }).notNull().default(0),
  heldCount: integer('held_count').notNull().default(0),
  heldFen: bigint('held_fen', { mode: 'number' }).notNull().default(0),
  confirmedBy: uuid('confirmed_by'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const settlementLines = pgTable(
  'settlement_lines',
  {
    settlementId: uuid('settlement_id').notNull(),
    orderId: uuid('order_id').notNull(),
    held: boolean('held').notNull(),
    points: integer('points').notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    payment: text('payment').notNull(),
    flags: text('flags').array().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.settlementId, t.orderId] })],
);
