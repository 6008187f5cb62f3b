import { bigint, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The allowance's back office (0610_allowance_back_office.sql): recoveries, document scans, death records. */

export type RecoveryStatus = 'open' | 'partial' | 'recovered' | 'waived';

/** Money paid for months after the month of death, to be recovered. One per application. */
export const allowanceRecoveries = pgTable('allowance_recoveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  applicationId: uuid('application_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  lastPaidMonth: text('last_paid_month').notNull(),
  months: integer('months').notNull(),
  amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  repaidFen: bigint('repaid_fen', { mode: 'number' }).notNull().default(0),
  status: text('status').$type<RecoveryStatus>().notNull().default('open'),
  note: text('note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A repayment recorded against a recovery, with its ledger transaction. */
export const allowanceRecoveryPayments = pgTable('allowance_recovery_payments', {
  id: uuid('id').primaryKey().defaultRandom(),
  recoveryId: uuid('recovery_id').notNull(),
  amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
  paidOn: date('paid_on').notNull(),
  note: text('note'),
  ledgerTxId: uuid('ledger_tx_id'),
  recordedBy: uuid('recorded_by'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

export type DocumentKind = 'id_card' | 'hukou' | 'bank_card' | 'other';
export type DocumentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** A scan attached to an application; the bytes encrypted with the field cipher (base64 inside). */
export const allowanceDocuments = pgTable('allowance_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  applicationId: uuid('application_id').notNull(),
  kind: text('kind').$type<DocumentKind>().notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').$type<DocumentType>().notNull(),
  bytes: integer('bytes').notNull(),
  sha256: text('sha256').notNull(),
  dataEnc: text('data_enc').notNull(),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type DeathSource = 'police' | 'health' | 'funeral';

/** A death-record row that matched an elder, per source (a re-import finds it). */
export const allowanceDeathRecords = pgTable('allowance_death_records', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  source: text('source').$type<DeathSource>().notNull(),
  elderId: uuid('elder_id').notNull(),
  deathDate: date('death_date').notNull(),
  importedBy: uuid('imported_by'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
