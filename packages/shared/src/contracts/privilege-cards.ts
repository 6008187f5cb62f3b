import { z } from 'zod';
import { listOf, pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * 老年人优待证 (senior citizen preferential card), issue 17: the application by staff (walk-in) or on
 * the phone page, with the checks (age ≥ 60, 户籍 or residence rule of the district, one card per elder).
 */

/** `replaced`: an old card whose holder renewed it (the new card is a new row, `renewalOf` the old). */
export const PRIVILEGE_CARD_STATUSES = ['checking', 'passed', 'failed', 'issued', 'rejected', 'revoked', 'replaced'] as const;
export type PrivilegeCardStatus = (typeof PRIVILEGE_CARD_STATUSES)[number];
/** 仅本地户籍 / 本地户籍或居住满若干年. */
/** The statuses of each stage (the console's two lists). */
export const PRIVILEGE_CARD_STAGES = {
  application: ['checking', 'passed', 'failed', 'rejected'],
  card: ['issued', 'revoked', 'replaced'],
} as const satisfies Record<string, readonly PrivilegeCardStatus[]>;
export const PRIVILEGE_CARD_RESIDENCE_RULES = ['hukou', 'hukou_or_residence'] as const;
/** Why an application is refused at the desk or on the phone page. */
export const PRIVILEGE_CARD_REFUSALS = ['under_60', 'not_local_hukou', 'residence_too_short', 'gone', 'duplicate'] as const;

const district = z.string().regex(/^\d{6}$/, 'a district code (6 digits)');
const tags = ['privilege-cards'];

export const privilegeCardSettings = z.object({
  regionCode: z.string(),
  residenceRule: z.enum(PRIVILEGE_CARD_RESIDENCE_RULES),
  minResidenceYears: z.number().int(),
  /** How many years a card issued (or renewed) in the district is valid (default 5). */
  validYears: z.number().int(),
  /** How many days before its expiry a card may be renewed (default 90); an expired card always may. */
  renewalWindowDays: z.number().int(),
});
export const privilegeCardSettingsBody = z.strictObject({
  regionCode: district,
  residenceRule: z.enum(PRIVILEGE_CARD_RESIDENCE_RULES),
  minResidenceYears: z.number().int().min(0).max(50),
  /** Left out: unchanged. */
  validYears: z.number().int().min(1).max(20).optional(),
  renewalWindowDays: z.number().int().min(0).max(365).optional(),
});

/** The sources of the external data check: 人社 (hrss), 公安 (police), 卫健 (health). */
export const PRIVILEGE_CARD_CHECK_SOURCES = ['hrss', 'police', 'health'] as const;
/** What the public verification page shows: valid, revoked, expired, or replaced by a reissued code. */
export const PRIVILEGE_CARD_VERDICTS = ['valid', 'revoked', 'expired', 'superseded', 'replaced'] as const;

export const privilegeCardCheck = z.object({
  source: z.enum(PRIVILEGE_CARD_CHECK_SOURCES),
  passed: z.boolean(),
  reason: z.string().nullable(),
});

export const privilegeCard = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  birthDate: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  source: z.enum(['staff', 'self']),
  status: z.enum(PRIVILEGE_CARD_STATUSES),
  residenceSince: z.string().nullable(),
  checks: z.array(privilegeCardCheck),
  /** The reason of a failed check, a rejection or a revocation. */
  reason: z.string().nullable(),
  cardNo: z.string().nullable(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  /** An issued card past its expiry date. */
  expired: z.boolean(),
  version: z.number().int(),
  /** An issued card that may be renewed now: expired, or within the district's renewal window. */
  renewalDue: z.boolean(),
  /** The card this one renewed (null for a first card). */
  renewalOf: z.string().nullable(),
  createdAt: z.string(),
});
export type PrivilegeCard = z.output<typeof privilegeCard>;

/** The steps on a card's timeline. */
export const PRIVILEGE_CARD_STEPS = [
  'applied',
  'applied_self',
  'checked',
  'approved',
  'rejected',
  'revoked',
  'revoked_death',
  'rejected_death',
  'reissued',
  'renewed',
  'replaced',
] as const;
export type PrivilegeCardStep = (typeof PRIVILEGE_CARD_STEPS)[number];
export const privilegeCardEvent = z.object({
  step: z.enum(PRIVILEGE_CARD_STEPS),
  /** The status after the step. */
  status: z.enum(PRIVILEGE_CARD_STATUSES),
  reason: z.string().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
});
/** One application or card with its timeline and every card of the same elder (newest first). */
export const privilegeCardDetail = privilegeCard.extend({
  timeline: z.array(privilegeCardEvent),
  history: z.array(
    z.object({
      id: z.string(),
      status: z.enum(PRIVILEGE_CARD_STATUSES),
      cardNo: z.string().nullable(),
      issuedOn: z.string().nullable(),
      expiresOn: z.string().nullable(),
      renewalOf: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type PrivilegeCardDetail = z.output<typeof privilegeCardDetail>;

export const createPrivilegeCardBody = z.strictObject({
  elderId: z.uuid(),
  residenceSince: isoDay('past').nullable().optional(),
});
export const applyMyPrivilegeCardBody = z.strictObject({
  residenceSince: isoDay('past').nullable().optional(),
});

export const myPrivilegeCard = z.object({
  elder: z.object({ id: z.string(), name: z.string() }).nullable(),
  card: privilegeCard.nullable(),
  /** The signed token of an issued card's QR code (card number + version); null otherwise. */
  qrToken: z.string().nullable(),
  /** Why the elder cannot apply now (null: may apply, or has a card or an application). */
  ineligibleReason: z.enum(PRIVILEGE_CARD_REFUSALS).nullable(),
});

export const privilegeCardDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve') }),
  z.strictObject({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(200) }),
]);
export const privilegeCardReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(200) });

export const privilegeCardCheckImportReport = z.object({
  rows: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  /** Still waiting for a source's answer. */
  pending: z.number().int(),
  /** Rows that matched no application under check in reach, or could not be read; no ID numbers. */
  skipped: z.array(z.object({ row: z.number().int(), reason: z.enum(['no_application', 'bad_id', 'bad_result']) })),
  /** Every row's outcome in file order, with the matched elder's name (in reach) — never the ID number. */
  outcomes: z.array(
    z.object({
      row: z.number().int(),
      outcome: z.enum(['passed', 'failed', 'pending', 'no_application', 'bad_id', 'bad_result']),
      elderName: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  ),
});

export type PrivilegeCardCheckImportReport = z.output<typeof privilegeCardCheckImportReport>;

export const privilegeCardVerification = z.object({
  verdict: z.enum(PRIVILEGE_CARD_VERDICTS),
  cardNo: z.string(),
  /** The holder's name with the middle masked (张*英); never the ID number. */
  holderMasked: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string(),
});

const id = z.object({ id: z.uuid() });

export const privilegeCardsContract = {
  getSettings: route({
    method: 'GET',
    path: '/privilege-card-settings',
    permission: 'card:read',
    tags,
    summary: 'A district’s 优待证 rule: 户籍 only, or 户籍 or years of residence',
    query: z.object({ regionCode: district }),
    response: privilegeCardSettings,
  }),
  putSettings: route({
    method: 'PUT',
    path: '/privilege-card-settings',
    permission: 'card:manage',
    audit: 'privilege-card.settings.update',
    tags,
    summary: 'Change a district’s 优待证 residence rule',
    body: privilegeCardSettingsBody,
    response: privilegeCardSettings,
  }),
  list: route({
    method: 'GET',
    path: '/privilege-cards',
    permission: 'card:read',
    tags,
    summary: '优待证 applications and cards in reach (ID numbers masked)',
    query: pageQuery.extend({
      status: z.enum(PRIVILEGE_CARD_STATUSES).optional(),
      /** `application`: 核验中 / 核验通过 / 核验未通过 / 不予发证; `card`: 已发证 / 已注销 / 已换证. */
      stage: z.enum(['application', 'card']).optional(),
      /** Issued cards that may be renewed now (expired or within the district's window). */
      renewalDue: z.enum(['true']).optional(),
      elderId: z.uuid().optional(),
    }),
    response: listOf(privilegeCard),
  }),
  get: route({
    method: 'GET',
    path: '/privilege-cards/:id',
    permission: 'card:read',
    tags,
    summary: 'One application or card with its timeline and the elder’s card history (the read is audited)',
    params: id,
    response: privilegeCardDetail,
  }),
  create: route({
    method: 'POST',
    path: '/privilege-cards',
    permission: 'card:write',
    audit: 'privilege-card.application.create',
    tags,
    summary: 'Apply for an elder at the desk (walk-in): checked, then awaits the external data check',
    body: createPrivilegeCardBody,
    response: { 201: privilegeCard },
  }),
  importChecks: route({
    method: 'POST',
    path: '/privilege-card-checks/import',
    permission: 'card:write',
    audit: 'privilege-card.check.import',
    upload: true,
    tags,
    summary: 'Import an external data check result file (人社 / 公安 / 卫健, xlsx or csv): marks applications passed or failed',
    response: privilegeCardCheckImportReport,
  }),
  decide: route({
    method: 'POST',
    path: '/privilege-cards/:id/decisions',
    permission: 'card:approve',
    audit: 'privilege-card.decide',
    tags,
    summary: 'The district approves a checked application (the card is issued with its number) or rejects it with a reason',
    params: id,
    body: privilegeCardDecisionBody,
    response: privilegeCard,
  }),
  revoke: route({
    method: 'POST',
    path: '/privilege-cards/:id/revoke',
    permission: 'card:write',
    audit: 'privilege-card.revoke',
    tags,
    summary: 'Revoke an issued card with a reason: its QR code then verifies as revoked',
    params: id,
    body: privilegeCardReasonBody,
    response: privilegeCard,
  }),
  reissue: route({
    method: 'POST',
    path: '/privilege-cards/:id/reissue',
    permission: 'card:write',
    audit: 'privilege-card.reissue',
    tags,
    summary: 'Reissue an issued card (lost phone, leaked code): a new version, the old QR code no longer verifies',
    params: id,
    body: privilegeCardReasonBody,
    response: privilegeCard,
  }),
  renew: route({
    method: 'POST',
    path: '/privilege-cards/:id/renew',
    permission: 'card:write',
    audit: 'privilege-card.renew',
    tags,
    summary:
      'Renew an expired or soon-expiring card: a new card (number, the district’s validity) replaces it; the old one is kept as replaced',
    params: id,
    response: { 201: privilegeCard },
  }),
  verify: route({
    method: 'GET',
    path: '/verify/card/:token',
    auth: 'public',
    tags,
    summary:
      'Anyone verifies a 优待证 QR code: valid / revoked / expired, masked name and card number; a tampered code is refused',
    params: z.object({ token: z.string().max(100) }),
    response: privilegeCardVerification,
  }),
  getMine: route({
    method: 'GET',
    path: '/privilege-card/mine',
    permission: 'card:self',
    tags,
    summary: 'The elder’s own 优待证 or application (the elder’s or a bound family member’s phone page)',
    response: myPrivilegeCard,
  }),
  applyMine: route({
    method: 'POST',
    path: '/privilege-card/mine',
    permission: 'card:self',
    audit: 'privilege-card.application.self',
    tags,
    summary: 'Apply on the phone page: the same checks as at the desk',
    body: applyMyPrivilegeCardBody,
    response: { 201: privilegeCard },
  }),
  renewMine: route({
    method: 'POST',
    path: '/privilege-card/mine/renew',
    permission: 'card:self',
    audit: 'privilege-card.renew.self',
    tags,
    summary: 'Renew the elder’s own card on the phone page when it is due (the same rules as at the desk)',
    response: { 201: privilegeCard },
  }),
};
