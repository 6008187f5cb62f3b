import { z } from 'zod';
import { ABILITY_LEVELS } from '../assessment.ts';
import { DEVICE_TYPES } from '../safety.ts';
import { listOf } from './common.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * Family care beds 家庭养老照护床位 (issue 18): application with eligibility from the latest signed
 * GB/T 42195 ability level, a home assessment with an 适老化改造 checklist, a contract with a provider
 * (service package paid monthly by a policy, monitoring rules), devices of the registry bound to
 * the bed, and the monthly check that the package was delivered (verified visits), which holds the
 * month's subsidy when it was not and otherwise feeds the provider's settlement.
 */

const tags = ['family-beds'];

export const FAMILY_BED_STATUSES = ['applied', 'assessed', 'contracted', 'active', 'suspended', 'ended'] as const;
export type FamilyBedStatus = (typeof FAMILY_BED_STATUSES)[number];
export const FAMILY_BED_STATUS_LABELS_ZH: Record<FamilyBedStatus, string> = {
  applied: '已申请',
  assessed: '已入户评估',
  contracted: '已签约',
  active: '服务中',
  suspended: '已暂停',
  ended: '已终止',
};

/** 适老化改造 home assessment checklist, as data: each item is found ok, needed, or installed. */
export const HOME_CHECK_ITEMS = [
  { code: 'grab_bars', zh: '卫生间扶手' },
  { code: 'anti_slip', zh: '地面防滑' },
  { code: 'bed_rails', zh: '床边护栏' },
  { code: 'call_button', zh: '紧急呼叫按钮' },
  { code: 'lighting', zh: '夜间照明' },
  { code: 'threshold', zh: '门槛消除' },
  { code: 'shower_chair', zh: '淋浴椅' },
  { code: 'nursing_bed', zh: '护理床' },
] as const;
export type HomeCheckCode = (typeof HOME_CHECK_ITEMS)[number]['code'];
export const HOME_CHECK_STATES = ['ok', 'needed', 'installed'] as const;
export const HOME_CHECK_STATE_LABELS_ZH: Record<(typeof HOME_CHECK_STATES)[number], string> = {
  ok: '无需改造',
  needed: '需改造',
  installed: '已改造',
};

export const FAMILY_BED_MONTH_STATUSES = ['delivered', 'short', 'released'] as const;
export type FamilyBedMonthStatus = (typeof FAMILY_BED_MONTH_STATUSES)[number];
export const FAMILY_BED_MONTH_STATUS_LABELS_ZH: Record<FamilyBedMonthStatus, string> = {
  delivered: '已交付',
  short: '未足额（暂缓结算）',
  released: '已解除暂缓',
};

/** Device types that can serve a family care bed (every registry type but `other`). */
export const FAMILY_BED_DEVICE_TYPES = DEVICE_TYPES.filter((t) => t !== 'other');

const hour = z.number().int().min(0).max(23);
/** The bed's monitoring rules; they are written into the elder's alarm rules when the bed goes live. */
export const familyBedMonitoring = z.strictObject({
  nightBedExit: z.strictObject({
    enabled: z.boolean(),
    from: hour,
    to: hour,
    minutes: z.number().int().min(5).max(120),
  }),
  inactivity: z.strictObject({
    enabled: z.boolean(),
    warnHours: z.number().int().min(1).max(48),
    alarmHours: z.number().int().min(2).max(72),
  }),
  vitals: z.strictObject({
    enabled: z.boolean(),
    heartRateLow: z.number().int().min(30).max(100),
    heartRateHigh: z.number().int().min(60).max(200),
  }),
});
export type FamilyBedMonitoring = z.output<typeof familyBedMonitoring>;
export const DEFAULT_FAMILY_BED_MONITORING: FamilyBedMonitoring = {
  nightBedExit: { enabled: true, from: 22, to: 6, minutes: 20 },
  inactivity: { enabled: true, warnHours: 8, alarmHours: 12 },
  vitals: { enabled: true, heartRateLow: 50, heartRateHigh: 110 },
};

const abilityLevel = z.enum(ABILITY_LEVELS);

export const familyBedRules = z.object({
  regionCode: z.string(),
  eligibleLevels: z.array(abilityLevel),
  customised: z.boolean(),
});

export const familyBedEligibility = z.object({
  elderId: z.string(),
  eligible: z.boolean(),
  level: abilityLevel.nullable(),
  assessmentId: z.string().nullable(),
  assessedOn: z.string().nullable(),
  eligibleLevels: z.array(abilityLevel),
  /** Why not: `no_assessment` (none signed) or `level` (the level is not among the eligible ones); null when eligible. */
  reason: z.enum(['no_assessment', 'level']).nullable(),
  /** A live bed of the elder (applied … suspended), if any. */
  openBedId: z.string().nullable(),
});

const bedDevice = z.object({
  id: z.string(),
  type: z.enum(DEVICE_TYPES),
  online: z.boolean(),
  battery: z.number().nullable(),
  lastSeenAt: z.string().nullable(),
});

export const familyBedMonth = z.object({
  bedId: z.string(),
  month: z.string(),
  required: z.number().int(),
  delivered: z.number().int(),
  status: z.enum(FAMILY_BED_MONTH_STATUSES),
  holdReason: z.string().nullable(),
  amountFen: z.number().int(),
  checkedAt: z.string(),
  releasedAt: z.string().nullable(),
  releaseReason: z.string().nullable(),
  settled: z.boolean(),
  /** Days of the month taken out of the requirement for a suspension (hospital stay …). */
  suspendedDays: z.number().int(),
});
export type FamilyBedMonth = z.output<typeof familyBedMonth>;

const packageOut = z.object({
  visitsPerWeek: z.number().int(),
  items: z.array(z.object({ id: z.string(), name: z.string() })),
  policyId: z.string(),
  policyName: z.string(),
  monthlyFen: z.number().int(),
});

/** A suspension period of a bed: its days (inclusive; `toDay` null while still suspended) are not live days. */
export const familyBedSuspension = z.object({
  id: z.string(),
  fromDay: z.string(),
  toDay: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});
export type FamilyBedSuspension = z.output<typeof familyBedSuspension>;

export const familyBedSummary = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  status: z.enum(FAMILY_BED_STATUSES),
  abilityLevel: abilityLevel,
  appliedOn: z.string(),
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  activatedOn: z.string().nullable(),
});
export type FamilyBedSummary = z.output<typeof familyBedSummary>;

export const familyBedDetail = familyBedSummary.extend({
  assessmentId: z.string().nullable(),
  note: z.string().nullable(),
  homeChecklist: z.record(z.string(), z.enum(HOME_CHECK_STATES)).nullable(),
  homeAssessedOn: z.string().nullable(),
  homeNote: z.string().nullable(),
  contractNo: z.string().nullable(),
  contractFrom: z.string().nullable(),
  contractTo: z.string().nullable(),
  package: packageOut.nullable(),
  monitoring: familyBedMonitoring.nullable(),
  devices: z.array(bedDevice),
  statusReason: z.string().nullable(),
  endedOn: z.string().nullable(),
  months: z.array(familyBedMonth),
  suspensions: z.array(familyBedSuspension),
});
export type FamilyBedDetail = z.output<typeof familyBedDetail>;

export const familyBedBoardRow = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionName: z.string().nullable(),
  status: z.enum(FAMILY_BED_STATUSES),
  providerName: z.string().nullable(),
  devices: z.array(bedDevice),
  devicesOnline: z.number().int(),
  lastVisitAt: z.string().nullable(),
  openAlarms: z.number().int(),
  /** Verified visits of the package this month so far, and the month's requirement. */
  deliveredThisMonth: z.number().int(),
  requiredThisMonth: z.number().int(),
  /** Days of this month taken out of the requirement for a suspension. */
  suspendedDaysThisMonth: z.number().int(),
  /** The previous month's check, if run. */
  lastMonth: familyBedMonth.nullable(),
});
export type FamilyBedBoardRow = z.output<typeof familyBedBoardRow>;

/**
 * The bed as its elder and their family see it on the phone (/elder, /family): live, suspended, or
 * held (last month's check found the package short and the subsidy is held); the provider and its
 * service phone (the organisation's phone, never a person's); this month's verified visits against
 * the month's requirement; the next planned package visit; the devices online; open alarms.
 */
export const familyBedCard = z.object({
  bed: z
    .object({
      id: z.string(),
      status: z.enum(['live', 'suspended', 'held']),
      statusReason: z.string().nullable(),
      providerName: z.string().nullable(),
      providerPhone: z.string().nullable(),
      month: z.string(),
      deliveredThisMonth: z.number().int(),
      requiredThisMonth: z.number().int(),
      nextVisit: z.object({ at: z.string(), itemName: z.string() }).nullable(),
      devices: z.array(z.object({ id: z.string(), type: z.enum(DEVICE_TYPES), online: z.boolean() })),
      devicesOnline: z.number().int(),
      openAlarms: z.number().int(),
    })
    .nullable(),
});
export type FamilyBedCard = z.output<typeof familyBedCard>;

export const familyBedBoard = z.object({
  month: z.string(),
  previousMonth: z.string(),
  stats: z.object({
    beds: z.number().int(),
    active: z.number().int(),
    devicesOffline: z.number().int(),
    openAlarms: z.number().int(),
    onTrack: z.number().int(),
    heldLastMonth: z.number().int(),
  }),
  items: z.array(familyBedBoardRow),
});
export type FamilyBedBoard = z.output<typeof familyBedBoard>;

export const familyBedCheckResult = z.object({
  month: z.string(),
  checked: z.number().int(),
  delivered: z.number().int(),
  short: z.number().int(),
  /** Months already decided by an earlier run (left as they were). */
  unchanged: z.number().int(),
  items: z.array(familyBedMonth),
});

const idParams = z.object({ id: z.uuid() });
const reasonBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });

export const familyBedsContract = {
  getRules: route({
    method: 'GET',
    path: '/family-bed-rules',
    query: z.object({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    permission: 'family_bed:read',
    response: familyBedRules,
    summary: 'The district’s eligibility rule: the GB/T 42195 ability levels that may have a family care bed',
    tags,
  }),
  putRules: route({
    method: 'PUT',
    path: '/family-bed-rules',
    permission: 'family_bed:settle',
    audit: 'family-bed.rules.update',
    body: z.strictObject({ regionCode: z.string().regex(/^\d{6}$/), eligibleLevels: z.array(abilityLevel).min(1).max(5) }),
    response: familyBedRules,
    summary: 'Set the district’s eligible ability levels (the bureau)',
    tags,
  }),
  eligibility: route({
    method: 'GET',
    path: '/family-bed-eligibility',
    query: z.object({ elderId: z.uuid() }),
    permission: 'family_bed:read',
    response: familyBedEligibility,
    summary: 'Whether the elder may apply: the latest signed ability assessment against the district’s rule',
    tags,
  }),
  contractOptions: route({
    method: 'GET',
    path: '/family-bed-contract-options',
    query: z.object({ elderId: z.uuid() }),
    permission: 'family_bed:manage',
    response: z.object({
      /** `creditBlocked`: on the dishonesty list 失信名单 or at credit level D — no new contract with it. */
      providers: z.array(z.object({ id: z.string(), name: z.string(), creditBlocked: z.boolean() })),
      policies: z.array(z.object({ id: z.string(), name: z.string(), amountFen: z.number().int() })),
      items: z.array(z.object({ id: z.string(), name: z.string(), category: z.string() })),
    }),
    summary:
      'What a contract for the elder’s bed may name: approved providers of the district, active monthly family-bed subsidy policies over the elder’s region, active service items',
    tags,
  }),
  list: route({
    method: 'GET',
    path: '/family-beds',
    query: z.object({
      status: z.enum(FAMILY_BED_STATUSES).optional(),
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
      q: z.string().trim().max(40).optional(),
    }),
    permission: 'family_bed:read',
    response: listOf(familyBedSummary),
    summary: 'Family care beds in reach (ID numbers masked)',
    tags,
  }),
  apply: route({
    method: 'POST',
    path: '/family-beds',
    permission: 'family_bed:manage',
    audit: 'family-bed.apply',
    body: z.strictObject({ elderId: z.uuid(), note: z.string().trim().max(500).optional() }),
    response: { 201: familyBedDetail },
    summary: 'Apply for a family care bed; refused (422) unless the latest signed ability level is eligible',
    tags,
  }),
  get: route({
    method: 'GET',
    path: '/family-beds/:id',
    params: idParams,
    permission: 'family_bed:read',
    response: familyBedDetail,
    summary: 'A bed with its home assessment, contract, package, devices, monitoring rules and monthly checks (audited read)',
    tags,
  }),
  homeAssessment: route({
    method: 'PUT',
    path: '/family-beds/:id/home-assessment',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.home-assess',
    body: z.strictObject({
      checklist: z.partialRecord(z.enum(HOME_CHECK_ITEMS.map((i) => i.code) as [HomeCheckCode]), z.enum(HOME_CHECK_STATES)),
      assessedOn: isoDay('past'),
      note: z.string().trim().max(1000).optional(),
    }),
    response: familyBedDetail,
    summary: 'Record the home assessment with its 适老化改造 checklist (applied → assessed)',
    tags,
  }),
  contract: route({
    method: 'PUT',
    path: '/family-beds/:id/contract',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.contract',
    body: z.strictObject({
      providerId: z.uuid(),
      contractNo: z.string().trim().min(1).max(40),
      contractFrom: isoDay('business'),
      contractTo: isoDay('business').optional(),
      policyId: z.uuid(),
      monthlyFen: z.number().int().min(1).max(10_000_000).optional(),
      visitsPerWeek: z.number().int().min(1).max(14),
      itemIds: z.array(z.uuid()).max(20).default([]),
      monitoring: familyBedMonitoring.default(DEFAULT_FAMILY_BED_MONITORING),
    }),
    response: familyBedDetail,
    summary: 'Sign the contract: provider, service package paid monthly by a policy, monitoring rules (assessed → contracted)',
    tags,
  }),
  bindDevice: route({
    method: 'POST',
    path: '/family-beds/:id/devices',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.device.bind',
    body: z.strictObject({ deviceId: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/) }),
    response: familyBedDetail,
    summary: 'Bind a device of the registry to the bed (it is bound to the elder)',
    tags,
  }),
  unbindDevice: route({
    method: 'DELETE',
    path: '/family-beds/:id/devices/:deviceId',
    params: z.object({ id: z.uuid(), deviceId: z.string().min(1).max(64) }),
    permission: 'family_bed:manage',
    audit: 'family-bed.device.unbind',
    response: familyBedDetail,
    summary: 'Take a device off the bed',
    tags,
  }),
  activate: route({
    method: 'POST',
    path: '/family-beds/:id/activate',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.activate',
    response: familyBedDetail,
    summary: 'Installed: the bed goes live and its monitoring rules become the elder’s alarm rules (contracted → active)',
    tags,
  }),
  suspend: route({
    method: 'POST',
    path: '/family-beds/:id/suspend',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.suspend',
    body: reasonBody.extend({ from: isoDay('past').optional() }),
    response: familyBedDetail,
    summary:
      'Suspend a live bed (hospital stay …) from a day (default today): a suspension period opens, its days are taken out of the month’s requirement',
    tags,
  }),
  addSuspension: route({
    method: 'POST',
    path: '/family-beds/:id/suspensions',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.suspension.add',
    body: z.strictObject({
      fromDay: isoDay('business'),
      toDay: isoDay('business'),
      reason: z.string().trim().min(2).max(500),
    }),
    response: { 201: familyBedDetail },
    summary:
      'Record a suspension period (a hospital stay …) of a live bed: its days are taken out of the month’s requirement and subsidy; not in a month already checked, not overlapping another period',
    tags,
  }),
  deleteSuspension: route({
    method: 'DELETE',
    path: '/family-beds/:id/suspensions/:suspensionId',
    params: z.object({ id: z.uuid(), suspensionId: z.uuid() }),
    permission: 'family_bed:manage',
    audit: 'family-bed.suspension.delete',
    response: familyBedDetail,
    summary: 'Remove a suspension period recorded by mistake (not in a month already checked)',
    tags,
  }),
  resume: route({
    method: 'POST',
    path: '/family-beds/:id/resume',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.resume',
    response: familyBedDetail,
    summary: 'Resume a suspended bed',
    tags,
  }),
  end: route({
    method: 'POST',
    path: '/family-beds/:id/end',
    params: idParams,
    permission: 'family_bed:manage',
    audit: 'family-bed.end',
    body: reasonBody,
    response: familyBedDetail,
    summary: 'End the bed; its devices stay bound to the elder',
    tags,
  }),
  card: route({
    method: 'GET',
    path: '/family-bed-card',
    auth: 'user',
    response: familyBedCard,
    summary:
      'For an elder or family account: the bound elder’s live or suspended family care bed as a card (null when none); other accounts get a 404',
    tags,
  }),
  board: route({
    method: 'GET',
    path: '/family-bed-board',
    query: z.object({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    permission: 'family_bed:read',
    response: familyBedBoard,
    summary: 'Every live bed with device status, last verified visit, open alarms, this month’s delivery and last month’s check',
    tags,
  }),
  runCheck: route({
    method: 'POST',
    path: '/family-bed-checks',
    permission: 'family_bed:settle',
    audit: 'family-bed.month.check',
    body: z.strictObject({ month: isoMonth('past'), bedId: z.uuid().optional() }),
    response: familyBedCheckResult,
    summary: 'Check an ended month’s package delivery for every bed in reach (or one): delivered, or short and held. Idempotent',
    tags,
  }),
  releaseHold: route({
    method: 'POST',
    path: '/family-beds/:id/months/:month/release',
    params: z.object({ id: z.uuid(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/) }),
    permission: 'family_bed:settle',
    audit: 'family-bed.month.release',
    body: reasonBody,
    response: familyBedMonth,
    summary: 'Release a short month’s hold with a reason: its subsidy goes to the provider’s settlement',
    tags,
  }),
};
