import { bigint, bigserial, boolean, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type ApplicationStatus =
  | 'proposed'
  | 'community'
  | 'street'
  | 'district'
  | 'notice'
  | 'active'
  | 'suspended'
  | 'stopped'
  | 'rejected';
export type SuspendReason = 'verification' | 'moved_out' | 'manual' | 'death';

/** Per-district settings of the allowance (0600_allowances.sql). */
export const allowanceSettings = pgTable('allowance_settings', {
  regionCode: text('region_code').primaryKey(),
  noticeDays: integer('notice_days').notNull().default(7),
  verificationPeriod: text('verification_period').$type<'month' | 'quarter'>().notNull().default('month'),
  missedPeriodsSuspend: integer('missed_periods_suspend').notNull().default(2),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A tier (档次): district, year, age band, monthly amount in fen, conditions, effective dates. */
export const allowanceTiers = pgTable('allowance_tiers', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  year: integer('year').notNull(),
  minAge: integer('min_age').notNull(),
  maxAge: integer('max_age'),
  monthlyFen: integer('monthly_fen').notNull(),
  localHukouOnly: boolean('local_hukou_only').notNull().default(true),
  minResidenceYears: integer('min_residence_years').notNull().default(0),
  excludedCategories: text('excluded_categories').array().notNull().default([]),
  effectiveFrom: date('effective_from').notNull(),
  effectiveTo: date('effective_to'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An application, and once through approval and 公示, the elder's allowance. */
export const allowanceApplications = pgTable('allowance_applications', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  source: text('source').$type<'scan' | 'staff' | 'self'>().notNull(),
  status: text('status').$type<ApplicationStatus>().notNull(),
  residenceSince: date('residence_since'),
  bankName: text('bank_name'),
  bankAccountEnc: text('bank_account_enc'),
  accountHolder: text('account_holder'),
  note: text('note'),
  rejectReason: text('reject_reason'),
  noticeEndsOn: date('notice_ends_on'),
  openObjections: integer('open_objections').notNull().default(0),
  paidFrom: text('paid_from'),
  suspendReason: text('suspend_reason').$type<SuspendReason>(),
  suspendedFrom: text('suspended_from'),
  arrearsFrom: text('arrears_from'),
  stoppedAfter: text('stopped_after'),
  // The bank refused the account (0610), until the community corrects it.
  accountProblem: text('account_problem'),
  accountProblemAt: timestamp('account_problem_at', { withTimezone: true }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The timeline of an application. */
export const allowanceEvents = pgTable('allowance_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  applicationId: uuid('application_id').notNull(),
  action: text('action').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status'),
  reason: text('reason'),
  actorId: uuid('actor_id'),
  actorName: text('actor_name'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** Survival verification results (生存认证) per elder and period. */
export const allowanceVerifications = pgTable('allowance_verifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  period: text('period').notNull(),
  method: text('method').$type<'in_person' | 'video' | 'face'>().notNull(),
  result: text('result').$type<'passed' | 'failed'>().notNull(),
  note: text('note'),
  recordedBy: uuid('recorded_by'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  // A remote verification (0602): where it was done and the attempt that passed.
  channel: text('channel').$type<'face_remote' | 'kiosk'>(),
  attemptId: uuid('attempt_id'),
});

/** A district's monthly payment roll. */
export const allowanceRolls = pgTable('allowance_rolls', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  month: text('month').notNull(),
  status: text('status').$type<'draft' | 'approved'>().notNull().default('draft'),
  lineCount: integer('line_count').notNull().default(0),
  totalFen: bigint('total_fen', { mode: 'number' }).notNull().default(0),
  ledgerTxId: uuid('ledger_tx_id'),
  generatedBy: uuid('generated_by'),
  generatedAt: timestamp('generated_at', { withTimezone: true }).notNull().defaultNow(),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
});

/** One elder, one month, one amount; (elder, month) unique across all rolls. */
export const allowanceRollLines = pgTable('allowance_roll_lines', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  rollId: uuid('roll_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  month: text('month').notNull(),
  kind: text('kind').$type<'regular' | 'arrears' | 'retry'>().notNull(),
  tierId: uuid('tier_id').notNull(),
  amountFen: integer('amount_fen').notNull(),
  recoveryDue: boolean('recovery_due').notNull().default(false),
  // The bank returned it (0610): see returns.service.ts.
  failedAt: timestamp('failed_at', { withTimezone: true }),
  failReason: text('fail_reason'),
  reversalTxId: uuid('reversal_tx_id'),
  retryOf: bigint('retry_of', { mode: 'number' }),
});
