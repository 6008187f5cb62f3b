import { z } from 'zod';
import { listOf, pageQuery } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * Credit 信用 (issue 21, 综合监管): a credit file per provider, canteen and institution, a score
 * computed from it by rules kept as data (weights, decay, level thresholds), explained line by
 * line, and the dishonesty list 失信名单 with appeals. A listed or D-level organisation gets no
 * new dispatch, purchase agreement or subsidy statement. docs/credit.md says who may do what.
 */

export const CREDIT_ORG_KINDS = ['provider', 'canteen', 'institution'] as const;
export type CreditOrgKind = (typeof CREDIT_ORG_KINDS)[number];
export const CREDIT_ORG_KIND_LABELS_ZH: Record<CreditOrgKind, string> = {
  provider: '服务商',
  canteen: '长寿食堂',
  institution: '养老机构',
};

/**
 * Events district staff record by hand (with a document number where there is one). Inspection
 * results and rectifications of institutions also come from the inspections module (检查评级).
 */
export const CREDIT_MANUAL_KINDS = [
  'licence',
  'commitment',
  'commendation',
  'inspection_pass',
  'inspection_fail',
  'penalty',
  'penalty_major',
  'rectified',
  'rectification_overdue',
] as const;
/** Events read from other modules' records: each names its module and record. */
export const CREDIT_DERIVED_KINDS = [
  'rating_poor',
  'complaint',
  'evv_anomaly',
  'settlement_hold',
  'licence_expired',
  'incident',
] as const;
export const CREDIT_EVENT_KINDS = [...CREDIT_MANUAL_KINDS, ...CREDIT_DERIVED_KINDS] as const;
export type CreditManualKind = (typeof CREDIT_MANUAL_KINDS)[number];
export type CreditEventKind = (typeof CREDIT_EVENT_KINDS)[number];

export const CREDIT_EVENT_KIND_LABELS_ZH: Record<CreditEventKind, string> = {
  licence: '取得资质证照',
  commitment: '信用承诺',
  commendation: '表彰奖励',
  inspection_pass: '监督检查合格',
  inspection_fail: '监督检查不合格',
  penalty: '行政处罚',
  penalty_major: '严重违法失信',
  rectified: '按期整改完成',
  rectification_overdue: '逾期未整改',
  rating_poor: '服务差评',
  complaint: '服务投诉',
  evv_anomaly: '上门服务核验异常',
  settlement_hold: '结算暂扣',
  licence_expired: '证照过期',
  incident: '机构安全事件',
};

/** The module a file line comes from (`credit`: recorded by hand on the credit file). */
export const CREDIT_SOURCES = ['credit', 'orders', 'settlements', 'providers', 'institutions', 'inspections'] as const;
export const CREDIT_SOURCE_LABELS_ZH: Record<(typeof CREDIT_SOURCES)[number], string> = {
  credit: '信用档案登记',
  orders: '服务工单',
  settlements: '服务结算',
  providers: '服务商资质',
  institutions: '机构安全事件',
  inspections: '检查评级',
};

export const CREDIT_LEVELS = ['A', 'B', 'C', 'D'] as const;
export type CreditLevel = (typeof CREDIT_LEVELS)[number];
export const CREDIT_LEVEL_LABELS_ZH: Record<CreditLevel, string> = {
  A: 'A 级（守信）',
  B: 'B 级（基本守信）',
  C: 'C 级（关注）',
  D: 'D 级（失信）',
};

const weight = z.number().int().min(-100).max(100);
/** The scoring rules (docs/credit.md): every event counts its weight, halved every `halfLifeDays`. */
export const creditRules = z
  .strictObject({
    base: z.number().int().min(0).max(100),
    halfLifeDays: z.number().int().min(30).max(3650),
    /** Events older than this are left out of the score (still in the file). */
    horizonDays: z.number().int().min(30).max(3650),
    weights: z.strictObject(
      Object.fromEntries(CREDIT_EVENT_KINDS.map((k) => [k, weight])) as Record<CreditEventKind, typeof weight>,
    ),
    /**
     * The most a kind may take off in total (points, newest lines first): routine signals that grow
     * with an organisation's volume (ratings, complaints, EVV anomalies, holds) lower a busy
     * provider's score only so far. A kind without a cap counts in full.
     */
    caps: z.partialRecord(z.enum(CREDIT_EVENT_KINDS), z.number().int().min(0).max(100)),
    /** Lowest score of each level; below `C` is D. */
    levels: z.strictObject({
      A: z.number().int().min(1).max(100),
      B: z.number().int().min(1).max(100),
      C: z.number().int().min(1).max(100),
    }),
    /** Listed by rule after this many days at D (0: never by this rule). */
    listAfterDaysAtD: z.number().int().min(0).max(365),
    /** Listed by rule on an event of these kinds within the horizon. */
    listOnKinds: z.array(z.enum(CREDIT_EVENT_KINDS)).max(CREDIT_EVENT_KINDS.length),
  })
  .refine((r) => r.levels.A > r.levels.B && r.levels.B > r.levels.C, {
    message: 'levels must fall from A to C',
    path: ['levels'],
  });
export type CreditRules = z.output<typeof creditRules>;

export const creditRulesAnswer = z.object({ rules: creditRules, customised: z.boolean(), updatedAt: z.string().nullable() });

/** One line of the score's explanation: the event, its weight, its age and what it counted. */
export const creditLine = z.object({
  kind: z.enum(CREDIT_EVENT_KINDS),
  occurredOn: z.string(),
  title: z.string(),
  source: z.enum(CREDIT_SOURCES),
  sourceId: z.string(),
  weight: z.number(),
  ageDays: z.number().int(),
  /** 0.5^(age / half-life); 0 beyond the horizon. */
  factor: z.number(),
  /** What the line counted: weight × factor, less what its kind's cap left over. */
  points: z.number(),
  /** True when the kind's cap cut this line (in part or whole). */
  capped: z.boolean(),
});
export type CreditLine = z.output<typeof creditLine>;

export const creditExplanation = z.object({
  base: z.number(),
  halfLifeDays: z.number().int(),
  horizonDays: z.number().int(),
  lines: z.array(creditLine),
  /** Base plus every line's points, before clamping to 0–100. */
  raw: z.number(),
  score: z.number().int(),
  level: z.enum(CREDIT_LEVELS),
});
export type CreditExplanation = z.output<typeof creditExplanation>;

export const creditOrgSummary = z.object({
  orgId: z.string(),
  name: z.string(),
  kind: z.enum(CREDIT_ORG_KINDS),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  score: z.number().int(),
  level: z.enum(CREDIT_LEVELS),
  listed: z.boolean(),
  /** Listed or at D: no new dispatch, purchase agreement or subsidy statement. */
  blocked: z.boolean(),
  complaintCount: z.number().int(),
  computedAt: z.string().nullable(),
});
export type CreditOrgSummary = z.output<typeof creditOrgSummary>;

export const APPEAL_STATUSES = ['none', 'pending', 'upheld', 'rejected'] as const;
export const APPEAL_STATUS_LABELS_ZH: Record<(typeof APPEAL_STATUSES)[number], string> = {
  none: '未申诉',
  pending: '申诉待处理',
  upheld: '申诉成立',
  rejected: '申诉驳回',
};
export const LISTING_BASIS_LABELS_ZH = { rule: '规则认定', decision: '决定列入' } as const;
export const LISTING_STATUS_LABELS_ZH = { listed: '在列', removed: '已移出' } as const;

export const creditListing = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  orgKind: z.enum(CREDIT_ORG_KINDS),
  regionCode: z.string(),
  basis: z.enum(['rule', 'decision']),
  reason: z.string(),
  listedOn: z.string(),
  status: z.enum(['listed', 'removed']),
  removedOn: z.string().nullable(),
  removalReason: z.string().nullable(),
  appealStatus: z.enum(APPEAL_STATUSES),
  appealText: z.string().nullable(),
  appealedOn: z.string().nullable(),
  appealDecision: z.string().nullable(),
  appealDecidedOn: z.string().nullable(),
});
export type CreditListing = z.output<typeof creditListing>;

export const creditFile = z.object({
  organization: creditOrgSummary,
  explanation: creditExplanation,
  listings: z.array(creditListing),
});
export type CreditFile = z.output<typeof creditFile>;

export const creditEventBody = z.strictObject({
  kind: z.enum(CREDIT_MANUAL_KINDS),
  occurredOn: isoDay('past'),
  title: z.string().trim().min(1).max(200),
  documentNo: z.string().trim().max(100).optional(),
  note: z.string().trim().max(1000).optional(),
});

const reason = z.string().trim().min(2).max(500);
const id = z.object({ id: z.uuid() });

// Public disclosure 信息公开 (no login): organisations, policies in force and the hotline.
// No personal data: no person's phone, ID number or name — organisations and policies only.
export const publicOrg = z.object({
  id: z.string(),
  name: z.string(),
  regionName: z.string().nullable(),
  /** The latest grade of the inspections module (一级 … 五级); null: 未评定. */
  grade: z.string().nullable(),
  creditLevel: z.enum(CREDIT_LEVELS),
  listed: z.boolean(),
  complaintCount: z.number().int(),
});
export type PublicOrg = z.output<typeof publicOrg>;
export const publicPolicy = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['points_grant', 'purchase_credit']),
  amount: z.number().int(),
  period: z.enum(['year', 'month']),
  regionName: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
export const publicHotline = z.object({ name: z.string(), number: z.string() });
const publicQuery = z.object({ q: z.string().trim().max(50).optional() });

const tags = ['credit'];
const publicTags = ['public'];

export const creditContract = {
  listOrganizations: route({
    method: 'GET',
    path: '/credit/organizations',
    permission: 'credit:read',
    tags,
    summary: 'Providers, canteens and institutions in my reach with their credit score, level and listing',
    query: pageQuery.extend({
      kind: z.enum(CREDIT_ORG_KINDS).optional(),
      level: z.enum(CREDIT_LEVELS).optional(),
      q: z.string().trim().max(50).optional(),
    }),
    response: listOf(creditOrgSummary),
  }),
  getFile: route({
    method: 'GET',
    path: '/credit/organizations/:id',
    permission: 'credit:read',
    tags,
    summary: "An organisation's credit file: every dated, sourced event, the score explained line by line, its listings",
    params: id,
    response: creditFile,
  }),
  addEvent: route({
    method: 'POST',
    path: '/credit/organizations/:id/events',
    permission: 'credit:manage',
    audit: 'credit.event.create',
    tags,
    summary: 'Record an event on the file (licence, 信用承诺, penalty, rectification, inspection result); rescores',
    params: id,
    body: creditEventBody,
    response: { 201: creditFile },
  }),
  list: route({
    method: 'POST',
    path: '/credit/organizations/:id/listing',
    permission: 'credit:manage',
    audit: 'credit.listing.create',
    tags,
    summary: 'Put the organisation on the dishonesty list 失信名单 by decision, with the reason',
    params: id,
    body: z.strictObject({ reason }),
    response: { 201: creditListing },
  }),
  removeListing: route({
    method: 'POST',
    path: '/credit/organizations/:id/listing/remove',
    permission: 'credit:manage',
    audit: 'credit.listing.remove',
    tags,
    summary: 'Take the organisation off the dishonesty list, with the reason (a D level still blocks)',
    params: id,
    body: z.strictObject({ reason }),
    response: creditListing,
  }),
  appeal: route({
    method: 'POST',
    path: '/credit/appeal',
    permission: 'credit:appeal',
    audit: 'credit.appeal.create',
    tags,
    summary: "An organisation's appeal 申诉 against its own listing (the caller's organisation; once per listing)",
    body: z.strictObject({ text: z.string().trim().min(5).max(2000) }),
    response: creditListing,
  }),
  decideAppeal: route({
    method: 'POST',
    path: '/credit/organizations/:id/appeal/decision',
    permission: 'credit:manage',
    audit: 'credit.appeal.decide',
    tags,
    summary: 'Decide a pending appeal: upheld ends the listing, rejected keeps it',
    params: id,
    body: z.strictObject({ upheld: z.boolean(), decision: reason }),
    response: creditListing,
  }),
  listListings: route({
    method: 'GET',
    path: '/credit/listings',
    permission: 'credit:read',
    tags,
    summary: 'The dishonesty list in my reach (in force by default; `status=all` with the removed ones)',
    query: pageQuery.extend({ status: z.enum(['listed', 'all']).default('listed') }),
    response: listOf(creditListing),
  }),
  getRules: route({
    method: 'GET',
    path: '/credit/rules',
    permission: 'credit:read',
    tags,
    summary: 'The scoring rules: base, weight per event kind, half-life, level thresholds, listing rule',
    response: creditRulesAnswer,
  }),
  setRules: route({
    method: 'PUT',
    path: '/credit/rules',
    permission: 'credit:manage',
    audit: 'credit.rules.update',
    tags,
    summary: 'Set the scoring rules; every organisation is rescored',
    body: creditRules,
    response: creditRulesAnswer,
  }),
  rescore: route({
    method: 'POST',
    path: '/credit/rescore',
    permission: 'credit:manage',
    audit: 'credit.rescore',
    tags,
    summary: 'Rescore every organisation now and apply the listing rule (the nightly job does the same)',
    response: z.object({ scored: z.number().int(), listed: z.number().int() }),
  }),
  // Public disclosure 信息公开: no login, no personal data.
  publicProviders: route({
    method: 'GET',
    path: '/public/providers',
    auth: 'public',
    tags: publicTags,
    summary: 'Approved service providers with inspection grade, credit level and complaint count (no login)',
    query: publicQuery,
    response: listOf(publicOrg),
  }),
  publicCanteens: route({
    method: 'GET',
    path: '/public/canteens',
    auth: 'public',
    tags: publicTags,
    summary: 'Open 长寿食堂 canteens with grade, credit level and complaint count (no login)',
    query: publicQuery,
    response: listOf(publicOrg),
  }),
  publicInstitutions: route({
    method: 'GET',
    path: '/public/institutions',
    auth: 'public',
    tags: publicTags,
    summary: 'Open 养老机构 with grade, credit level and complaint count (no login)',
    query: publicQuery,
    response: listOf(publicOrg),
  }),
  publicPolicies: route({
    method: 'GET',
    path: '/public/policies',
    auth: 'public',
    tags: publicTags,
    summary: 'Subsidy policies in force (no login)',
    response: listOf(publicPolicy),
  }),
  publicHotline: route({
    method: 'GET',
    path: '/public/hotline',
    auth: 'public',
    tags: publicTags,
    summary: "The platform's service hotlines (no login)",
    response: z.object({ items: z.array(publicHotline) }),
  }),
};
