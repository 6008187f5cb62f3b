import { z } from 'zod';
import { countedListOf, countQuery, listOf, pageQuery } from './common.ts';
import { isoDay, isoInstant } from './dates.ts';
import { route } from './route.ts';

/**
 * Special groups (特殊群体) and 关爱巡访 care visits (issue 18): groups computed from the archive or
 * set by staff, the household record (一户一册), visit rules and plans, visits recorded on the
 * worker's phone, findings and their follow-ups, statistics.
 */

/** The groups. Those in CARE_GROUPS_COMPUTED come from the archive; every group may also be set by staff. */
export const CARE_GROUPS = [
  'alone',
  'empty_nest',
  'left_behind',
  'disabled',
  'semi_disabled',
  'severe_disability',
  'tekun',
  'dibao',
  'special_family',
  'age_80',
  'age_90',
  'age_100',
  'serious_illness',
] as const;
export type CareGroup = (typeof CARE_GROUPS)[number];
export const CARE_GROUP_LABELS_ZH: Record<CareGroup, string> = {
  alone: '独居',
  empty_nest: '空巢',
  left_behind: '留守',
  disabled: '失能',
  semi_disabled: '半失能',
  severe_disability: '重残',
  tekun: '特困',
  dibao: '低保',
  special_family: '计生特殊家庭',
  age_80: '高龄80+',
  age_90: '高龄90+',
  age_100: '百岁100+',
  serious_illness: '重病',
};
/** Groups the daily job computes from the archive (living situation, categories, ability level, age). */
export const CARE_GROUPS_COMPUTED: readonly CareGroup[] = [
  'alone',
  'empty_nest',
  'disabled',
  'semi_disabled',
  'severe_disability',
  'tekun',
  'dibao',
  'special_family',
  'age_80',
  'age_90',
  'age_100',
];

export const CARE_RISK_LEVELS = ['high', 'medium', 'low'] as const;
export const CARE_RISK_LABELS_ZH = { high: '高风险', medium: '中风险', low: '低风险' } as const;
export const CARE_ASSIGNEE_KINDS = ['community', 'grid', 'volunteer'] as const;
export const CARE_ASSIGNEE_KIND_LABELS_ZH = { community: '社区工作人员', grid: '网格员', volunteer: '志愿者' } as const;

export const CARE_FINDING_TYPES = [
  'health',
  'mood',
  'gas',
  'electricity',
  'falls',
  'food',
  'hygiene',
  'medicines',
  'need',
  'not_home',
] as const;
export type CareFindingType = (typeof CARE_FINDING_TYPES)[number];
export const CARE_FINDING_LABELS_ZH: Record<CareFindingType, string> = {
  health: '身体不适',
  mood: '情绪低落',
  gas: '燃气隐患',
  electricity: '用电隐患',
  falls: '跌倒风险',
  food: '家中缺少食物',
  hygiene: '卫生较差',
  medicines: '用药问题',
  need: '服务需求',
  not_home: '未见到老人',
};

export const CARE_NEEDS = ['meal', 'cleaning', 'medical', 'adaptation', 'companionship', 'repair', 'other'] as const;
export const CARE_NEED_LABELS_ZH: Record<(typeof CARE_NEEDS)[number], string> = {
  meal: '助餐',
  cleaning: '保洁',
  medical: '就医',
  adaptation: '适老化改造',
  companionship: '陪伴',
  repair: '维修',
  other: '其他',
};

export const CARE_FOLLOW_UP_TYPES = ['service_order', 'alarm', 'home_adaptation', 'doctor_referral', 'street_task'] as const;
export type CareFollowUpType = (typeof CARE_FOLLOW_UP_TYPES)[number];
export const CARE_FOLLOW_UP_LABELS_ZH: Record<CareFollowUpType, string> = {
  service_order: '服务工单',
  alarm: '告警',
  home_adaptation: '适老化改造申请',
  doctor_referral: '转介家庭医生',
  street_task: '街道任务',
};

/** The structured visit form: each answer other than the first (good) one is a finding. */
export const careVisitForm = z.strictObject({
  health: z.enum(['good', 'fair', 'poor']),
  mood: z.enum(['good', 'fair', 'low']),
  gas: z.enum(['ok', 'hazard', 'none']),
  electricity: z.enum(['ok', 'hazard']),
  fallsRisk: z.enum(['low', 'high']),
  food: z.enum(['enough', 'short']),
  hygiene: z.enum(['ok', 'poor']),
  medicines: z.enum(['ok', 'problem', 'none']),
  needs: z.array(z.enum(CARE_NEEDS)).max(7).default([]),
});
export type CareVisitForm = z.output<typeof careVisitForm>;

const regionFilter = z
  .string()
  .regex(/^\d{6,12}$/)
  .optional();
const district = z.string().regex(/^\d{6}$/, 'a district code (6 digits)');
const groupCode = z.enum(CARE_GROUPS);
const note = z.string().trim().max(200);

export const careGroupCount = z.object({ group: groupCode, elders: z.number().int() });
export const careMember = z.object({
  elderId: z.string(),
  elderName: z.string(),
  age: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  groups: z.array(z.object({ group: groupCode, source: z.enum(['computed', 'staff']) })),
  plan: z
    .object({
      riskLevel: z.enum(CARE_RISK_LEVELS),
      intervalDays: z.number().int(),
      assigneeId: z.string().nullable(),
      assigneeName: z.string().nullable(),
      active: z.boolean(),
    })
    .nullable(),
  lastVisitedAt: z.string().nullable(),
  nextDueOn: z.string().nullable(),
});

const phone = z.string().regex(/^1\d{10}$|^0\d{2,3}-?\d{7,8}$/, 'a mobile or landline number');
export const careHouseholdBody = z.strictObject({
  members: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(30),
        relationship: z.string().trim().min(1).max(20),
        age: z.number().int().min(0).max(130).nullable().optional(),
      }),
    )
    .max(12),
  carerName: z.string().trim().max(30).nullable().optional(),
  carerPhone: phone.nullable().optional(),
  housing: z.enum(['own', 'rented', 'public', 'relatives', 'other']).nullable().optional(),
  housingCondition: z.enum(['good', 'fair', 'poor', 'unsafe']).nullable().optional(),
  housingNote: z.string().trim().max(200).nullable().optional(),
  keyHolderName: z.string().trim().max(30).nullable().optional(),
  keyHolderPhone: phone.nullable().optional(),
});
export const careHousehold = z.object({
  elderId: z.string(),
  elderName: z.string(),
  members: z.array(z.object({ name: z.string(), relationship: z.string(), age: z.number().int().nullable().optional() })),
  carerName: z.string().nullable(),
  carerPhoneMasked: z.string().nullable(),
  housing: z.string().nullable(),
  housingCondition: z.string().nullable(),
  housingNote: z.string().nullable(),
  keyHolderName: z.string().nullable(),
  keyHolderPhoneMasked: z.string().nullable(),
  /** From the archive's contacts: who holds a key (elder_contacts.holds_key). */
  contactKeyHolders: z.array(z.string()),
  updatedAt: z.string().nullable(),
});

export const careVisitRuleBody = z.strictObject({
  groups: z.array(groupCode).min(1).max(4),
  riskLevel: z.enum(CARE_RISK_LEVELS),
  intervalDays: z.number().int().min(1).max(366),
  assigneeKind: z.enum(CARE_ASSIGNEE_KINDS).optional(),
});
export const careVisitRule = z.object({
  id: z.string(),
  regionCode: z.string(),
  groups: z.array(groupCode),
  riskLevel: z.enum(CARE_RISK_LEVELS),
  intervalDays: z.number().int(),
  assigneeKind: z.enum(CARE_ASSIGNEE_KINDS),
});
export const careVisitSettings = z.object({
  regionCode: z.string(),
  escalateAfterDays: z.number().int(),
  followUpDays: z.number().int(),
});

export const careFinding = z.object({
  id: z.string(),
  visitId: z.string(),
  type: z.enum(CARE_FINDING_TYPES),
  severity: z.enum(['concern', 'urgent']),
  detail: z.string().nullable(),
  foundAt: z.string(),
});

export const careFollowUp = z.object({
  id: z.string(),
  findingId: z.string(),
  findingType: z.enum(CARE_FINDING_TYPES),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  type: z.enum(CARE_FOLLOW_UP_TYPES),
  status: z.enum(['open', 'closed']),
  deadline: z.string(),
  overdue: z.boolean(),
  detail: z.string(),
  orderId: z.string().nullable(),
  orderNo: z.string().nullable(),
  orderStatus: z.string().nullable(),
  alarmId: z.string().nullable(),
  alarmStatus: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  closingNote: z.string().nullable(),
});

export const careVisit = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  elderAddress: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  groups: z.array(groupCode),
  riskLevel: z.enum(CARE_RISK_LEVELS).nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueOn: z.string(),
  status: z.enum(['scheduled', 'done', 'cancelled']),
  overdue: z.boolean(),
  escalated: z.boolean(),
  escalatedTo: z.string().nullable(),
  outcome: z.enum(['met', 'not_home']).nullable(),
  visitedAt: z.string().nullable(),
  visitedByName: z.string().nullable(),
  checkInMethod: z.enum(['gps', 'qr']).nullable(),
  checkInDistanceM: z.number().int().nullable(),
  findings: z.number().int(),
});
export const careVisitDetail = careVisit.extend({
  form: careVisitForm.partial().nullable(),
  notes: z.string().nullable(),
  findingList: z.array(careFinding),
  followUps: z.array(careFollowUp),
  photos: z.array(z.object({ id: z.string(), dataUrl: z.string() })),
});

const photo = z
  .string()
  .regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/, 'a JPEG, PNG or WebP data URL')
  .max(700_000, 'at most about 500 KB per photo');

export const careVisitRecordBody = z
  .strictObject({
    at: isoInstant('past').optional().describe('When the worker recorded the visit on the phone (offline queue); default now'),
    outcome: z.enum(['met', 'not_home']),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    qr: z.string().trim().min(8).max(80).optional(),
    form: careVisitForm.optional(),
    notes: z.string().trim().max(1000).optional(),
    photos: z.array(photo).max(3).optional(),
    minutes: z
      .number()
      .int()
      .min(10)
      .max(720)
      .optional()
      .describe('A volunteer’s visit: the minutes served, for the time bank (default 30); ignored for staff'),
  })
  .refine((b) => b.qr !== undefined || (b.lat !== undefined && b.lng !== undefined), {
    message: 'check in by position (lat, lng) or by the elder’s QR code',
    path: ['lat'],
  })
  .refine((b) => b.outcome === 'not_home' || b.form !== undefined, {
    message: 'a visit that met the elder needs the form',
    path: ['form'],
  });

export const careFollowUpBody = z
  .strictObject({
    findingId: z.uuid(),
    type: z.enum(CARE_FOLLOW_UP_TYPES),
    detail: z.string().trim().min(2).max(500),
    deadline: isoDay('business').optional(),
    order: z
      .strictObject({
        itemId: z.uuid(),
        scheduledAt: isoInstant('business'),
        payment: z.enum(['points', 'purchase', 'self', 'package']).optional(),
      })
      .optional(),
    alarmPriority: z.enum(['P1', 'P2', 'P3']).optional(),
  })
  .refine((b) => b.type !== 'service_order' || b.order !== undefined, {
    message: 'a service order follow-up needs the order (item and time)',
    path: ['order'],
  });

export const careStats = z.object({
  from: z.string(),
  to: z.string(),
  groups: z.array(
    z.object({ group: groupCode, elders: z.number().int(), planned: z.number().int(), visitedInPlan: z.number().int() }),
  ),
  findingsByType: z.array(z.object({ type: z.enum(CARE_FINDING_TYPES), count: z.number().int() })),
  followUps: z.object({
    total: z.number().int(),
    closed: z.number().int(),
    closedOnTime: z.number().int(),
    open: z.number().int(),
    overdue: z.number().int(),
  }),
  communities: z.array(
    z.object({
      regionCode: z.string(),
      regionName: z.string().nullable(),
      planned: z.number().int(),
      visitedInPlan: z.number().int(),
      visits: z.number().int(),
      overdue: z.number().int(),
      findings: z.number().int(),
    }),
  ),
  workers: z.array(
    z.object({
      userId: z.string(),
      name: z.string(),
      visits: z.number().int(),
      overdue: z.number().int(),
      findings: z.number().int(),
    }),
  ),
});

const tags = ['care-visits'];
const id = z.object({ id: z.uuid() });
const elderId = z.object({ elderId: z.uuid() });

export const careVisitsContract = {
  groupCounts: route({
    method: 'GET',
    path: '/care-groups',
    permission: 'care_visit:read',
    tags,
    summary: 'How many elders in reach belong to each special group (特殊群体)',
    query: z.object({ regionCode: regionFilter }),
    response: listOf(careGroupCount),
  }),
  listMembers: route({
    method: 'GET',
    path: '/care-group-members',
    permission: 'care_visit:read',
    tags,
    summary: 'Elders in special groups with their groups, plan, last visit and next due date',
    query: pageQuery.extend(countQuery.shape).extend({
      group: groupCode.optional(),
      regionCode: regionFilter,
      unassigned: z.enum(['true', 'false']).optional(),
    }),
    response: countedListOf(careMember),
  }),
  setGroups: route({
    method: 'PUT',
    path: '/care-groups/:elderId',
    permission: 'care_visit:manage',
    audit: 'care.groups.set',
    tags,
    summary: 'Set the groups staff decide for an elder (留守, 重病 …); computed groups stay as the archive says',
    params: elderId,
    body: z.strictObject({ groups: z.array(groupCode).max(13), note: note.optional() }),
    response: careMember,
  }),
  computeGroups: route({
    method: 'POST',
    path: '/care-groups/compute',
    permission: 'care_visit:manage',
    audit: 'care.groups.compute',
    tags,
    summary:
      'Recompute the groups from the archive, then plans and due visits, in the caller’s district now (the daily job does it at night)',
    body: z.strictObject({ regionCode: district }),
    response: z.object({
      added: z.number().int(),
      removed: z.number().int(),
      plans: z.number().int(),
      scheduled: z.number().int(),
    }),
  }),
  getHousehold: route({
    method: 'GET',
    path: '/care-households/:elderId',
    permission: 'care_visit:read',
    tags,
    summary: 'The household record (一户一册) of an elder; phones masked',
    params: elderId,
    response: careHousehold,
  }),
  putHousehold: route({
    method: 'PUT',
    path: '/care-households/:elderId',
    permission: 'care_visit:manage',
    audit: 'care.household.update',
    tags,
    summary: 'Write the household record: who lives together, the carer, housing, the key holder',
    params: elderId,
    body: careHouseholdBody,
    response: careHousehold,
  }),
  listRules: route({
    method: 'GET',
    path: '/care-visit-rules',
    permission: 'care_visit:read',
    tags,
    summary: 'The visit rules of a district: groups, risk level, how often, by whom',
    query: z.object({ regionCode: district }),
    response: listOf(careVisitRule),
  }),
  putRules: route({
    method: 'PUT',
    path: '/care-visit-rules',
    permission: 'care_visit:manage',
    audit: 'care.rules.replace',
    tags,
    summary: 'Replace the district’s visit rules (the district)',
    body: z.strictObject({ regionCode: district, rules: z.array(careVisitRuleBody).max(40) }),
    response: listOf(careVisitRule),
  }),
  getSettings: route({
    method: 'GET',
    path: '/care-visit-settings',
    permission: 'care_visit:read',
    tags,
    summary: 'Days after the due date before an unvisited elder goes to the street; the follow-up deadline',
    query: z.object({ regionCode: district }),
    response: careVisitSettings,
  }),
  putSettings: route({
    method: 'PUT',
    path: '/care-visit-settings',
    permission: 'care_visit:manage',
    audit: 'care.settings.update',
    tags,
    summary: 'Change the escalation delay and follow-up deadline of a district (the district)',
    body: z.strictObject({
      regionCode: district,
      escalateAfterDays: z.number().int().min(0).max(60),
      followUpDays: z.number().int().min(1).max(90),
    }),
    response: careVisitSettings,
  }),
  assignPlan: route({
    method: 'PUT',
    path: '/care-visit-plans/:elderId',
    permission: 'care_visit:manage',
    audit: 'care.plan.assign',
    tags,
    summary: 'Assign an elder’s visits to a community worker or grid worker of the elder’s area (the open visit moves too)',
    params: elderId,
    body: z.strictObject({ assigneeId: z.uuid() }),
    response: careMember,
  }),
  listWorkers: route({
    method: 'GET',
    path: '/care-visit-workers',
    permission: 'care_visit:manage',
    tags,
    summary: 'Who may be assigned visits in an area: community staff, street staff, grid workers',
    query: z.object({ regionCode: regionFilter }),
    response: listOf(z.object({ id: z.string(), name: z.string(), role: z.string(), regionCode: z.string().nullable() })),
  }),
  listVisits: route({
    method: 'GET',
    path: '/care-visits',
    permission: 'care_visit:read',
    tags,
    summary: 'Visits in reach: a worker’s calendar (assignee=me, from–to), overdue or escalated ones, an elder’s history',
    query: pageQuery.extend(countQuery.shape).extend({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      assignee: z.union([z.literal('me'), z.uuid()]).optional(),
      from: isoDay('filter').optional(),
      to: isoDay('filter').optional(),
      status: z.enum(['scheduled', 'done', 'cancelled']).optional(),
      overdue: z.enum(['true', 'false']).optional(),
      escalated: z.enum(['true', 'false']).optional(),
      elderId: z.uuid().optional(),
      regionCode: regionFilter,
    }),
    response: countedListOf(careVisit),
  }),
  scheduleVisit: route({
    method: 'POST',
    path: '/care-visits',
    permission: 'care_visit:manage',
    audit: 'care.visit.schedule',
    tags,
    summary: 'Plan one visit to an elder now (e.g. from the risk radar); moves the elder’s open visit to this date',
    body: z.strictObject({ elderId: z.uuid(), dueOn: isoDay('business'), assigneeId: z.uuid().optional() }),
    response: { 201: careVisit },
  }),
  getVisit: route({
    method: 'GET',
    path: '/care-visits/:id',
    permission: 'care_visit:read',
    tags,
    summary: 'One visit with its form, findings, follow-ups and photos',
    params: id,
    response: careVisitDetail,
  }),
  recordVisit: route({
    method: 'POST',
    path: '/care-visits/:id/record',
    permission: 'care_visit:record',
    audit: 'care.visit.record',
    tags,
    summary:
      'Record a visit from the phone: check-in by position or QR, the form, notes, photos; with an Idempotency-Key a replay is recorded once',
    params: id,
    headers: z.object({ 'idempotency-key': z.string().optional() }),
    body: careVisitRecordBody,
    response: careVisitDetail,
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/care-follow-ups',
    permission: 'care_visit:read',
    tags,
    summary: 'Follow-ups of visit findings in reach, open first by deadline; overdue=true lists those past their deadline',
    query: pageQuery.extend(countQuery.shape).extend({
      status: z.enum(['open', 'closed']).optional(),
      type: z.enum(CARE_FOLLOW_UP_TYPES).optional(),
      overdue: z.enum(['true', 'false']).optional(),
      regionCode: regionFilter,
    }),
    response: countedListOf(careFollowUp),
  }),
  createFollowUp: route({
    method: 'POST',
    path: '/care-follow-ups',
    permission: 'care_visit:record',
    audit: 'care.follow-up.create',
    tags,
    summary: 'Act on a finding in one step: a service order, an alarm, an 适老化改造 request, a doctor referral or a street task',
    body: careFollowUpBody,
    response: { 201: careFollowUp },
  }),
  closeFollowUp: route({
    method: 'POST',
    path: '/care-follow-ups/:id/close',
    permission: 'care_visit:record',
    audit: 'care.follow-up.close',
    tags,
    summary: 'Close a follow-up with what was done (orders and alarms also close themselves when served or resolved)',
    params: id,
    body: z.strictObject({ note: z.string().trim().min(2).max(500) }),
    response: careFollowUp,
  }),
  myVisits: route({
    method: 'GET',
    path: '/volunteer/care-visits',
    permission: 'volunteer:self',
    tags,
    summary: 'A volunteer’s own care visits: those assigned to them (open ones by due date) and those they recorded',
    query: pageQuery.extend({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      status: z.enum(['scheduled', 'done']).optional(),
      from: isoDay('filter').optional(),
      to: isoDay('filter').optional(),
    }),
    response: countedListOf(careVisit),
  }),
  myVisit: route({
    method: 'GET',
    path: '/volunteer/care-visits/:id',
    permission: 'volunteer:self',
    tags,
    summary: 'One of the volunteer’s care visits with its form, findings and follow-ups (another visit is a 404)',
    params: id,
    response: careVisitDetail,
  }),
  recordMyVisit: route({
    method: 'POST',
    path: '/volunteer/care-visits/:id/record',
    permission: 'volunteer:self',
    audit: 'care.visit.record',
    tags,
    summary:
      'A volunteer records their care visit as staff do (GPS or QR, the form, Idempotency-Key); it becomes their finished task for the time bank',
    params: id,
    headers: z.object({ 'idempotency-key': z.string().optional() }),
    body: careVisitRecordBody,
    response: careVisitDetail,
  }),
  createMyFollowUp: route({
    method: 'POST',
    path: '/volunteer/care-follow-ups',
    permission: 'volunteer:self',
    audit: 'care.follow-up.create',
    tags,
    summary:
      'A volunteer acts on a finding of their own visit: an alarm, a doctor referral, an 适老化改造 request or a street task (no service orders)',
    body: careFollowUpBody,
    response: { 201: careFollowUp },
  }),
  stats: route({
    method: 'GET',
    path: '/care-visit-stats',
    permission: 'care_visit:read',
    tags,
    summary: 'Coverage per group, findings by type, follow-ups closed on time, per community and worker',
    query: z.object({ regionCode: regionFilter, from: isoDay('filter'), to: isoDay('filter') }),
    response: careStats,
  }),
};
