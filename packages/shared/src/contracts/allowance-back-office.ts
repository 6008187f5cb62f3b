import { z } from 'zod';
import { listOf } from './common.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * High-age allowance 高龄津贴, the back office: bank return files, corrected accounts, the
 * death-record import and overpayment recovery, document scans, reports. (The bank files
 * themselves are plain download routes: `GET /allowance-rolls/{id}/bank-file?format=csv|fixed`.)
 */

const tags = ['allowances'];
const id = z.object({ id: z.uuid() });
const region = z.string().regex(/^\d{6,12}$/, 'a region code (6–12 digits)');

/** What happened to one line of a bank return file. */
export const RETURN_OUTCOMES = ['failed', 'already_failed', 'not_in_roll', 'amount_mismatch', 'bad_row'] as const;
export const allowanceReturnImport = z.object({
  rollId: z.string(),
  rows: z.number().int(),
  failed: z.number().int(),
  failedFen: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  lines: z.array(
    z.object({
      row: z.number().int(),
      outcome: z.enum(RETURN_OUTCOMES),
      elderName: z.string().nullable(),
      idNumberMasked: z.string().nullable(),
      month: z.string().nullable(),
      amountFen: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});

/** A payment the bank returned, and whether the account was corrected and the amount carried over. */
export const allowanceFailedPayment = z.object({
  applicationId: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  rollMonth: z.string(),
  month: z.string(),
  amountFen: z.number().int(),
  failReason: z.string().nullable(),
  failedAt: z.string(),
  bankName: z.string().nullable(),
  bankAccountMasked: z.string().nullable(),
  /** The bank's reason while the account is not corrected yet; null once corrected. */
  accountProblem: z.string().nullable(),
  /** The month of the roll that carried the retry, if one has. */
  retriedInMonth: z.string().nullable(),
});

export const allowanceBankAccountBody = z.strictObject({
  bankName: z.string().trim().min(1).max(40),
  bankAccount: z.string().regex(/^\d{8,30}$/, '8–30 digits'),
  accountHolder: z.string().trim().min(1).max(30),
  note: z.string().trim().max(200).optional(),
});

export const DEATH_SOURCES = ['police', 'health', 'funeral'] as const;
export const DEATH_OUTCOMES = ['recorded', 'already_recorded', 'unmatched', 'bad_row', 'out_of_reach'] as const;
export const allowanceDeathImport = z.object({
  source: z.enum(DEATH_SOURCES),
  rows: z.number().int(),
  recorded: z.number().int(),
  alreadyRecorded: z.number().int(),
  unmatched: z.number().int(),
  rejected: z.number().int(),
  overpaidFen: z.number().int(),
  lines: z.array(
    z.object({
      row: z.number().int(),
      outcome: z.enum(DEATH_OUTCOMES),
      elderName: z.string().nullable(),
      idNumberMasked: z.string().nullable(),
      deathDate: z.string().nullable(),
      /** Overpayment flagged for recovery by this row (fen), 0 when none. */
      overpaidFen: z.number().int(),
      reason: z.string().nullable(),
    }),
  ),
});

export const RECOVERY_STATUSES = ['open', 'partial', 'recovered', 'waived'] as const;
export const allowanceRecovery = z.object({
  id: z.string(),
  applicationId: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  deathDate: z.string().nullable(),
  lastPaidMonth: z.string(),
  months: z.number().int(),
  amountFen: z.number().int(),
  repaidFen: z.number().int(),
  status: z.enum(RECOVERY_STATUSES),
  createdAt: z.string(),
});
export const allowanceRepaymentBody = z.strictObject({
  amountFen: z.number().int().min(1).max(100_000_000),
  paidOn: isoDay('past'),
  note: z.string().trim().max(200).optional(),
});

export const DOCUMENT_KINDS = ['id_card', 'hukou', 'bank_card', 'other'] as const;
export const allowanceDocument = z.object({
  id: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  filename: z.string(),
  contentType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
  bytes: z.number().int(),
  uploadedAt: z.string(),
});

export const allowanceReportQuery = z.object({
  regionCode: region.optional(),
  from: isoMonth('business'),
  to: isoMonth('business'),
});
export const allowanceReport = z.object({
  regionCode: z.string(),
  from: z.string(),
  to: z.string(),
  /** Per community in reach: elders of the lowest tier's age, allowances being paid, suspended, stopped. */
  communities: z.array(
    z.object({
      regionCode: z.string(),
      regionName: z.string().nullable(),
      eligible: z.number().int(),
      paying: z.number().int(),
      suspended: z.number().int(),
      stopped: z.number().int(),
    }),
  ),
  /** Survival verifications recorded in the period, per channel (method). */
  verification: z.object({
    due: z.number().int(),
    channels: z.array(z.object({ method: z.string(), passed: z.number().int(), failed: z.number().int() })),
  }),
  /** Approved payments per roll month (lines that the bank returned are counted apart). */
  payments: z.array(
    z.object({
      month: z.string(),
      lines: z.number().int(),
      paidFen: z.number().int(),
      failedLines: z.number().int(),
      failedFen: z.number().int(),
    }),
  ),
  overpayments: z.object({
    flagged: z.number().int(),
    flaggedFen: z.number().int(),
    recoveredFen: z.number().int(),
    outstandingFen: z.number().int(),
  }),
});

export const allowanceBackOfficeContract = {
  importReturns: route({
    method: 'POST',
    path: '/allowance-rolls/:id/returns',
    permission: 'allowance:manage',
    audit: 'allowance.roll.returns',
    upload: true,
    tags,
    summary:
      'Import the bank’s return file (xlsx or csv, failed lines with the reason): failed payments are reversed on the ledger and retried in the next roll',
    params: id,
    response: allowanceReturnImport,
  }),
  listFailedPayments: route({
    method: 'GET',
    path: '/allowance-failed-payments',
    permission: 'allowance:read',
    tags,
    summary: 'Payments the bank returned, in reach, with the account to correct',
    query: z.object({
      regionCode: region.optional(),
      open: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: listOf(allowanceFailedPayment),
  }),
  updateBankAccount: route({
    method: 'PUT',
    path: '/allowance-applications/:id/bank-account',
    permission: 'allowance:write',
    audit: 'allowance.bank-account.update',
    tags,
    summary: 'Correct an allowance’s bank account (clears the bank’s refusal)',
    params: id,
    body: allowanceBankAccountBody,
    response: z.object({ id: z.string(), bankName: z.string(), bankAccountMasked: z.string(), accountProblem: z.null() }),
  }),
  importDeaths: route({
    method: 'POST',
    path: '/allowance-death-records/import',
    permission: 'allowance:manage',
    audit: 'allowance.deaths.import',
    upload: true,
    tags,
    summary:
      'Import a death-record file (公安 / 卫健 / 殡葬, xlsx with ID number and date of death): records the death, stops the allowance, flags overpayment',
    query: z.object({ source: z.enum(DEATH_SOURCES) }),
    response: allowanceDeathImport,
  }),
  listRecoveries: route({
    method: 'GET',
    path: '/allowance-recoveries',
    permission: 'allowance:read',
    tags,
    summary: 'Overpayments to recover (paid for months after the month of death), in reach',
    query: z.object({ regionCode: region.optional(), status: z.enum(RECOVERY_STATUSES).optional() }),
    response: listOf(allowanceRecovery),
  }),
  recordRepayment: route({
    method: 'POST',
    path: '/allowance-applications/:id/recovery/repayments',
    permission: 'allowance:write',
    audit: 'allowance.recovery.repay',
    tags,
    summary: 'Record money paid back against an overpayment (posted to the ledger: payout → fund)',
    params: id,
    body: allowanceRepaymentBody,
    response: { 201: allowanceRecovery },
  }),
  listDocuments: route({
    method: 'GET',
    path: '/allowance-applications/:id/documents',
    permission: 'allowance:read',
    tags,
    summary: 'The document scans attached to an application',
    params: id,
    response: listOf(allowanceDocument),
  }),
  uploadDocument: route({
    method: 'POST',
    path: '/allowance-applications/:id/documents',
    permission: 'allowance:write',
    audit: 'allowance.document.upload',
    upload: true,
    tags,
    summary: 'Attach a scan (PDF, JPEG or PNG, at most 5 MiB) to an application; stored encrypted',
    params: id,
    query: z.object({ kind: z.enum(DOCUMENT_KINDS) }),
    response: { 201: allowanceDocument },
  }),
  report: route({
    method: 'GET',
    path: '/allowance-reports',
    permission: 'allowance:read',
    tags,
    summary: '津贴报表: eligible, paying and suspended per community, verification per channel, payments, overpayments',
    query: allowanceReportQuery,
    response: allowanceReport,
  }),
};
