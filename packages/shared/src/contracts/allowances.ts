import { z } from 'zod';
import { ELDER_CATEGORIES } from '../elders.ts';
import { listOf, pageQuery } from './common.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/** High-age allowance 高龄津贴: tiers, applications and their approval chain, 公示, payment rolls. */

export const ALLOWANCE_STATUSES = [
  'proposed',
  'community',
  'street',
  'district',
  'notice',
  'active',
  'suspended',
  'stopped',
  'rejected',
] as const;
export type AllowanceStatus = (typeof ALLOWANCE_STATUSES)[number];
export const ALLOWANCE_SUSPEND_REASONS = ['verification', 'moved_out', 'manual', 'death'] as const;

const district = z.string().regex(/^\d{6}$/, 'a district code (6 digits)');
const fen = z.number().int('whole fen').min(1).max(10_000_000);
const text = (max: number) => z.string().trim().min(1).max(max);

export const allowanceTier = z.object({
  id: z.string(),
  regionCode: z.string(),
  year: z.number().int(),
  minAge: z.number().int(),
  maxAge: z.number().int().nullable(),
  monthlyFen: z.number().int(),
  localHukouOnly: z.boolean(),
  minResidenceYears: z.number().int(),
  excludedCategories: z.array(z.string()),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
});
export type AllowanceTier = z.output<typeof allowanceTier>;

export const allowanceTierBody = z.strictObject({
  regionCode: district,
  year: z.number().int().min(2000).max(2100),
  minAge: z.number().int().min(60).max(130),
  maxAge: z.number().int().min(60).max(130).nullable().optional(),
  monthlyFen: fen,
  localHukouOnly: z.boolean().optional(),
  minResidenceYears: z.number().int().min(0).max(50).optional(),
  excludedCategories: z.array(z.enum(ELDER_CATEGORIES)).max(10).optional(),
  effectiveFrom: isoDay('business'),
  effectiveTo: isoDay('business').nullable().optional(),
});

export const allowanceSettings = z.object({
  regionCode: z.string(),
  noticeDays: z.number().int(),
  verificationPeriod: z.enum(['month', 'quarter']),
  missedPeriodsSuspend: z.number().int(),
});
export const allowanceSettingsBody = z.strictObject({
  regionCode: district,
  noticeDays: z.number().int().min(0).max(60),
  verificationPeriod: z.enum(['month', 'quarter']),
  missedPeriodsSuspend: z.number().int().min(1).max(12),
});

export const allowanceTimelineEntry = z.object({
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  reason: z.string().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
});

export const allowanceApplication = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  birthDate: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  source: z.enum(['scan', 'staff', 'self']),
  status: z.enum(ALLOWANCE_STATUSES),
  bankName: z.string().nullable(),
  bankAccountMasked: z.string().nullable(),
  accountHolder: z.string().nullable(),
  residenceSince: z.string().nullable(),
  note: z.string().nullable(),
  rejectReason: z.string().nullable(),
  noticeEndsOn: z.string().nullable(),
  openObjections: z.number().int(),
  paidFrom: z.string().nullable(),
  suspendReason: z.enum(ALLOWANCE_SUSPEND_REASONS).nullable(),
  suspendedFrom: z.string().nullable(),
  stoppedAfter: z.string().nullable(),
  /** The bank refused the account (a return file) and it is not corrected yet: the bank's reason. */
  accountProblem: z.string().nullable().optional(),
  createdAt: z.string(),
});
export type AllowanceApplication = z.output<typeof allowanceApplication>;

export const allowancePayment = z.object({
  rollId: z.string(),
  month: z.string(),
  kind: z.enum(['regular', 'arrears', 'retry']),
  amountFen: z.number().int(),
  rollStatus: z.enum(['draft', 'approved']),
  recoveryDue: z.boolean(),
  /** The bank returned this payment, with its reason (resent once by the next roll). */
  failReason: z.string().nullable().optional(),
});

export const allowanceApplicationDetail = allowanceApplication.extend({
  timeline: z.array(allowanceTimelineEntry),
  payments: z.array(allowancePayment),
  overpaidFen: z.number().int(),
});

const bankFields = {
  bankName: text(40),
  bankAccount: z.string().regex(/^\d{8,30}$/, '8–30 digits'),
  accountHolder: text(30),
  residenceSince: isoDay('past').nullable().optional(),
};

export const createAllowanceApplicationBody = z.strictObject({
  elderId: z.uuid(),
  ...bankFields,
  note: z.string().trim().max(200).optional(),
});
export const confirmAllowanceApplicationBody = z.strictObject(bankFields);

export const allowanceDecisionBody = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(200).optional() })
  .refine((b) => b.decision === 'approve' || (b.reason && b.reason.length > 0), {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });

export const allowanceObjectionBody = z.strictObject({
  content: text(500),
  objector: z.string().trim().max(40).optional(),
});
export const allowanceSuspendBody = z.strictObject({ reason: z.enum(['moved_out', 'manual']), note: text(200) });
export const allowanceResumeBody = z.strictObject({ note: text(200), backPay: z.boolean().optional() });
export const allowanceVerificationBody = z.strictObject({
  month: isoMonth('past').describe('The month verified; with quarterly verification, any month of the quarter'),
  method: z.enum(['in_person', 'video']),
  result: z.enum(['passed', 'failed']),
  note: z.string().trim().max(200).optional(),
});

/** What the elder's or the family's phone page shows: the allowance of the account's elder. */
export const myAllowance = z.object({
  elder: z.object({ id: z.string(), name: z.string() }).nullable(),
  application: allowanceApplicationDetail.nullable(),
  /** Next month's amount if the elder qualifies, else null with the reason. */
  nextMonthFen: z.number().int().nullable(),
  ineligibleReason: z.enum(['no_tier', 'not_local_hukou', 'residence_too_short', 'overlapping_benefit', 'gone']).nullable(),
});

export const allowanceNotice = z.object({
  applicationId: z.string(),
  elderName: z.string(),
  sex: z.enum(['male', 'female']),
  age: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  monthlyFen: z.number().int().nullable(),
  noticeEndsOn: z.string().nullable(),
  openObjections: z.number().int(),
});

export const allowanceRoll = z.object({
  id: z.string(),
  regionCode: z.string(),
  month: z.string(),
  status: z.enum(['draft', 'approved']),
  lineCount: z.number().int(),
  totalFen: z.number().int(),
  generatedAt: z.string(),
  approvedAt: z.string().nullable(),
  ledgerTransactionId: z.string().nullable(),
});
export const allowanceRollLine = z.object({
  applicationId: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  regionCode: z.string(),
  month: z.string(),
  kind: z.enum(['regular', 'arrears', 'retry']),
  amountFen: z.number().int(),
  bankName: z.string().nullable(),
  bankAccountMasked: z.string().nullable(),
});
export const allowanceRollDetail = allowanceRoll.extend({ lines: z.array(allowanceRollLine), linesTotal: z.number().int() });

const tags = ['allowances'];
const id = z.object({ id: z.uuid() });

export const allowancesContract = {
  listTiers: route({
    method: 'GET',
    path: '/allowance-tiers',
    permission: 'allowance:read',
    tags,
    summary: 'The allowance tiers (津贴档次) of the districts in reach, by year',
    query: z.object({ regionCode: district.optional(), year: z.coerce.number().int().min(2000).max(2100).optional() }),
    response: listOf(allowanceTier),
  }),
  createTier: route({
    method: 'POST',
    path: '/allowance-tiers',
    permission: 'allowance:manage',
    audit: 'allowance.tier.create',
    tags,
    summary: 'Add a tier: an age band of a district and year with its monthly amount (fen), conditions and dates',
    body: allowanceTierBody,
    response: { 201: allowanceTier },
  }),
  getSettings: route({
    method: 'GET',
    path: '/allowance-settings',
    permission: 'allowance:read',
    tags,
    summary: 'A district’s allowance settings: 公示 days, verification period, missed periods before suspension',
    query: z.object({ regionCode: district }),
    response: allowanceSettings,
  }),
  putSettings: route({
    method: 'PUT',
    path: '/allowance-settings',
    permission: 'allowance:manage',
    audit: 'allowance.settings.update',
    tags,
    summary: 'Change a district’s allowance settings',
    body: allowanceSettingsBody,
    response: allowanceSettings,
  }),
  listApplications: route({
    method: 'GET',
    path: '/allowance-applications',
    permission: 'allowance:read',
    tags,
    summary: 'Applications and allowances in reach (bank accounts masked)',
    query: pageQuery.extend({
      status: z.enum(ALLOWANCE_STATUSES).optional(),
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
      elderId: z.uuid().optional(),
    }),
    response: listOf(allowanceApplication),
  }),
  createApplication: route({
    method: 'POST',
    path: '/allowance-applications',
    permission: 'allowance:write',
    audit: 'allowance.application.create',
    tags,
    summary: 'Apply for an elder (a walk-in at the community): enters the community’s review',
    body: createAllowanceApplicationBody,
    response: { 201: allowanceApplication },
  }),
  getApplication: route({
    method: 'GET',
    path: '/allowance-applications/:id',
    permission: 'allowance:read',
    tags,
    summary: 'One application with its timeline and payments',
    params: id,
    response: allowanceApplicationDetail,
  }),
  confirmApplication: route({
    method: 'POST',
    path: '/allowance-applications/:id/confirm',
    permission: 'allowance:write',
    audit: 'allowance.application.confirm',
    tags,
    summary: 'The community confirms an elder the monthly scan proposed, with the bank account',
    params: id,
    body: confirmAllowanceApplicationBody,
    response: allowanceApplication,
  }),
  decideApplication: route({
    method: 'POST',
    path: '/allowance-applications/:id/decisions',
    permission: 'allowance:approve',
    audit: 'allowance.application.decide',
    tags,
    summary: 'Approve or reject (with a reason) at the current step: community → street → district; after 公示 objections',
    params: id,
    body: allowanceDecisionBody,
    response: allowanceApplication,
  }),
  recordObjection: route({
    method: 'POST',
    path: '/allowance-applications/:id/objections',
    permission: 'allowance:write',
    audit: 'allowance.objection.create',
    tags,
    summary: 'Record an objection raised during 公示: holds the application for the district’s decision',
    params: id,
    body: allowanceObjectionBody,
    response: { 201: allowanceApplication },
  }),
  suspend: route({
    method: 'POST',
    path: '/allowance-applications/:id/suspend',
    permission: 'allowance:write',
    audit: 'allowance.suspend',
    tags,
    summary: 'Suspend payment (moved out, or another reason in the note)',
    params: id,
    body: allowanceSuspendBody,
    response: allowanceApplication,
  }),
  resume: route({
    method: 'POST',
    path: '/allowance-applications/:id/resume',
    permission: 'allowance:write',
    audit: 'allowance.resume',
    tags,
    summary: 'Resume payment; suspended months are paid in the next roll when the rules say so',
    params: id,
    body: allowanceResumeBody,
    response: allowanceApplication,
  }),
  recordVerification: route({
    method: 'POST',
    path: '/allowance-applications/:id/verifications',
    permission: 'allowance:write',
    audit: 'allowance.verification.record',
    tags,
    summary: 'Record a survival verification (生存认证) done in person or by video',
    params: id,
    body: allowanceVerificationBody,
    response: { 201: allowanceApplication },
  }),
  getMine: route({
    method: 'GET',
    path: '/allowance/mine',
    permission: 'allowance:self',
    tags,
    summary: 'The elder’s own allowance (the elder’s or a bound family member’s phone page)',
    response: myAllowance,
  }),
  applyMine: route({
    method: 'POST',
    path: '/allowance/mine',
    permission: 'allowance:self',
    audit: 'allowance.application.self',
    tags,
    summary: 'Apply on the phone page with the bank account: enters the community’s review',
    body: confirmAllowanceApplicationBody,
    response: { 201: allowanceApplication },
  }),
  listNotices: route({
    method: 'GET',
    path: '/allowance-notices',
    permission: 'allowance:read',
    tags,
    summary: 'The 公示 list: applications approved by the district and under public notice, per community',
    query: z.object({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    response: listOf(allowanceNotice),
  }),
  generateRoll: route({
    method: 'POST',
    path: '/allowance-rolls',
    permission: 'allowance:manage',
    audit: 'allowance.roll.generate',
    tags,
    summary: 'Generate a district’s payment roll for a month (idempotent: a second call answers the same roll)',
    body: z.strictObject({ regionCode: district, month: isoMonth('business') }),
    response: allowanceRoll,
  }),
  listRolls: route({
    method: 'GET',
    path: '/allowance-rolls',
    permission: 'allowance:manage',
    tags,
    summary: 'Payment rolls of the districts in reach, newest month first (month: that month only)',
    query: z.object({
      regionCode: district.optional(),
      month: isoMonth('filter').optional(),
    }),
    response: listOf(allowanceRoll),
  }),
  getRoll: route({
    method: 'GET',
    path: '/allowance-rolls/:id',
    permission: 'allowance:manage',
    tags,
    summary: 'A payment roll with its lines (ID numbers and accounts masked) and its total',
    params: id,
    query: pageQuery.extend({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: allowanceRollDetail,
  }),
  approveRoll: route({
    method: 'POST',
    path: '/allowance-rolls/:id/approve',
    permission: 'allowance:manage',
    audit: 'allowance.roll.approve',
    tags,
    summary: 'The district approves a roll: the payment is recorded in the ledger; approving twice changes nothing',
    params: id,
    response: allowanceRoll,
  }),
};
