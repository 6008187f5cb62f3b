import { z } from 'zod';
import { listOf, pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * 老年人优待证 (senior citizen preferential card), issue 17: the application by staff (walk-in) or on
 * the phone page, with the checks (age ≥ 60, 户籍 or residence rule of the district, one card per elder).
 */

export const PRIVILEGE_CARD_STATUSES = ['checking', 'passed', 'failed', 'issued', 'rejected', 'revoked'] as const;
export type PrivilegeCardStatus = (typeof PRIVILEGE_CARD_STATUSES)[number];
/** 仅本地户籍 / 本地户籍或居住满若干年. */
export const PRIVILEGE_CARD_RESIDENCE_RULES = ['hukou', 'hukou_or_residence'] as const;
/** Why an application is refused at the desk or on the phone page. */
export const PRIVILEGE_CARD_REFUSALS = ['under_60', 'not_local_hukou', 'residence_too_short', 'gone', 'duplicate'] as const;

const district = z.string().regex(/^\d{6}$/, 'a district code (6 digits)');
const tags = ['privilege-cards'];

export const privilegeCardSettings = z.object({
  regionCode: z.string(),
  residenceRule: z.enum(PRIVILEGE_CARD_RESIDENCE_RULES),
  minResidenceYears: z.number().int(),
});
export const privilegeCardSettingsBody = z.strictObject({
  regionCode: district,
  residenceRule: z.enum(PRIVILEGE_CARD_RESIDENCE_RULES),
  minResidenceYears: z.number().int().min(0).max(50),
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
  createdAt: z.string(),
});
export type PrivilegeCard = z.output<typeof privilegeCard>;

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
  /** Why the elder cannot apply now (null: may apply, or has a card or an application). */
  ineligibleReason: z.enum(PRIVILEGE_CARD_REFUSALS).nullable(),
});

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
      elderId: z.uuid().optional(),
    }),
    response: listOf(privilegeCard),
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
};
