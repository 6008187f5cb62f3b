import { z } from 'zod';
import { countedListOf, countQuery, listOf, pageQuery } from './common.ts';
import { isoDay, isoInstant } from './dates.ts';
import { route } from './route.ts';

/**
 * 医养结合 (issue 20, first part): medical organisations and family-doctor teams, contracts
 * (家庭医生签约) and the 健康管理率, home medical visits (上门医疗), 家庭病床 episodes with their
 * medical-insurance billing lines (recorded, not processed), partnerships and referrals (转诊).
 */

export const MEDICAL_ORG_KINDS = ['community_health_centre', 'township_health_centre', 'hospital', 'clinic'] as const;
export const MEDICAL_ORG_KIND_LABELS_ZH: Record<(typeof MEDICAL_ORG_KINDS)[number], string> = {
  community_health_centre: '社区卫生服务中心',
  township_health_centre: '乡镇卫生院',
  hospital: '医院',
  clinic: '诊所',
};
export const TEAM_MEMBER_ROLES = ['doctor', 'nurse', 'public_health', 'pharmacist', 'rehab', 'other'] as const;
export type TeamMemberRole = (typeof TEAM_MEMBER_ROLES)[number];
export const TEAM_MEMBER_ROLE_LABELS_ZH: Record<TeamMemberRole, string> = {
  doctor: '医生',
  nurse: '护士',
  public_health: '公卫医生',
  pharmacist: '药师',
  rehab: '康复师',
  other: '其他',
};
export const CONTRACT_PACKAGES = ['basic', 'elderly', 'chronic', 'disabled', 'rehab'] as const;
export type ContractPackage = (typeof CONTRACT_PACKAGES)[number];
export const CONTRACT_PACKAGE_LABELS_ZH: Record<ContractPackage, string> = {
  basic: '基础包',
  elderly: '老年人健康管理包',
  chronic: '慢病管理包',
  disabled: '失能照护包',
  rehab: '康复包',
};
export const CONTRACT_STATUSES = ['active', 'renewed', 'ended'] as const;
export const CONTRACT_STATUS_LABELS_ZH = { active: '履约中', renewed: '已续约', ended: '已解约' } as const;
export const MEDICAL_VISIT_SOURCES = ['elder', 'family', 'call_centre', 'staff', 'referral', 'episode', 'team'] as const;
export const MEDICAL_VISIT_SOURCE_LABELS_ZH: Record<(typeof MEDICAL_VISIT_SOURCES)[number], string> = {
  elder: '老人申请',
  family: '家属申请',
  call_centre: '呼叫中心',
  staff: '社区申请',
  referral: '转诊',
  episode: '家庭病床',
  team: '团队安排',
};
export const MEDICAL_VISIT_STATUSES = ['requested', 'scheduled', 'done', 'cancelled'] as const;
export const MEDICAL_VISIT_STATUS_LABELS_ZH = {
  requested: '待安排',
  scheduled: '已安排',
  done: '已上门',
  cancelled: '已取消',
} as const;
export const REFERRAL_SOURCES = ['care_staff', 'institution', 'care_visit'] as const;
export const REFERRAL_SOURCE_LABELS_ZH = { care_staff: '照护人员', institution: '养老机构', care_visit: '关爱巡访' } as const;
export const REFERRAL_STATUSES = ['pending', 'accepted', 'visited', 'completed', 'rejected'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS_ZH: Record<ReferralStatus, string> = {
  pending: '待接收',
  accepted: '已接收',
  visited: '已就诊',
  completed: '已完成',
  rejected: '已拒绝',
};
export const EPISODE_STATUS_LABELS_ZH = { open: '在床', discharged: '已撤床' } as const;
const ABILITY_LEVELS = ['intact', 'mild', 'moderate', 'severe', 'total'] as const;

const tags = ['medical'];
const id = z.object({ id: z.uuid() });
const regionFilter = z
  .string()
  .regex(/^\d{6,12}$/)
  .optional();
const name = z.string().trim().min(1).max(60);
const note = z.string().trim().max(500);

const medicalOrg = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(MEDICAL_ORG_KINDS),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  licenceNo: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'closed']),
  teams: z.number().int(),
});
const medicalOrgBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(MEDICAL_ORG_KINDS),
  regionCode: z.string().regex(/^\d{6,12}$/),
  licenceNo: z.string().trim().max(64).optional(),
  address: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
});

const teamMember = z.object({
  id: z.string(),
  teamId: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  name: z.string(),
  role: z.enum(TEAM_MEMBER_ROLES),
  licenceNo: z.string().nullable(),
  isLeader: z.boolean(),
  active: z.boolean(),
});
const doctorTeam = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  name: z.string(),
  regionCode: z.string(),
  communities: z.array(z.object({ code: z.string(), name: z.string().nullable() })),
  status: z.enum(['active', 'disbanded']),
  members: z.array(teamMember),
  activeContracts: z.number().int(),
});
const doctorTeamBody = z.strictObject({
  orgId: z.uuid(),
  name,
  communities: z
    .array(z.string().regex(/^\d{12}$/))
    .min(1)
    .max(30),
});
const teamMemberBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  role: z.enum(TEAM_MEMBER_ROLES),
  licenceNo: z.string().trim().max(64).optional(),
  phone: z.string().trim().max(40).optional(),
  isLeader: z.boolean().optional(),
  username: z
    .string()
    .trim()
    .toLowerCase()
    .max(32)
    .optional()
    .describe('The login (role doctor) of this member, if they have one'),
});
const teamMemberPatch = z.strictObject({
  role: z.enum(TEAM_MEMBER_ROLES).optional(),
  isLeader: z.boolean().optional(),
  active: z.boolean().optional(),
  username: z.string().trim().toLowerCase().max(32).nullable().optional(),
  licenceNo: z.string().trim().max(64).optional(),
});

const medicalOrgPatch = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(MEDICAL_ORG_KINDS).optional(),
  licenceNo: z.string().trim().max(64).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  status: z.enum(['active', 'closed']).optional().describe('closed: only without active teams; referrals to it are refused'),
});
const doctorTeamPatch = z.strictObject({
  name: name.optional(),
  communities: z
    .array(z.string().regex(/^\d{12}$/))
    .min(1)
    .max(30)
    .optional()
    .describe('A community where the team holds active contracts cannot be dropped'),
  status: z.enum(['active', 'disbanded']).optional().describe('disbanded: only without active contracts or open 家庭病床'),
});

const doctorContract = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  elderAge: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  teamId: z.string(),
  teamName: z.string(),
  orgName: z.string(),
  package: z.enum(CONTRACT_PACKAGES),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(CONTRACT_STATUSES),
  previousId: z.string().nullable(),
  signedAt: z.string(),
  endReason: z.string().nullable(),
});
const contractBody = z.strictObject({
  elderId: z.uuid(),
  teamId: z.uuid(),
  package: z.enum(CONTRACT_PACKAGES),
  startsOn: isoDay('business'),
  endsOn: isoDay('business').optional().describe('Default one year after startsOn'),
});
const renewBody = z.strictObject({
  package: z.enum(CONTRACT_PACKAGES).optional(),
  endsOn: isoDay('business').optional().describe('Default one year after the new period starts'),
});
const endContractBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });

const coverageRow = z.object({
  regionCode: z.string(),
  regionName: z.string().nullable(),
  elders65: z.number().int(),
  contracted65: z.number().int(),
  rate: z.number().describe('contracted65 / elders65 (0–1); 0 when there are no elders 65+'),
});
const coverage = z.object({
  asOf: z.string(),
  total: coverageRow,
  communities: z.array(coverageRow),
});

const vitals = z.strictObject({
  systolic: z.number().int().min(40).max(300).optional(),
  diastolic: z.number().int().min(20).max(200).optional(),
  pulse: z.number().int().min(20).max(250).optional(),
  temperature: z.number().min(30).max(45).optional(),
  glucose: z.number().min(0.5).max(40).optional().describe('mmol/L'),
  spo2: z.number().int().min(50).max(100).optional(),
});
export type Vitals = z.output<typeof vitals>;

const billingLineBody = z.strictObject({
  itemCode: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  itemName: z.string().trim().min(1).max(100),
  quantity: z.number().int().min(1).max(1000).default(1),
  amountFen: z.number().int().min(0).max(10_000_000),
});
const billingLine = z.object({
  id: z.string(),
  visitId: z.string().nullable(),
  itemCode: z.string(),
  itemName: z.string(),
  quantity: z.number().int(),
  amountFen: z.number().int(),
  serviceOn: z.string(),
  status: z.literal('recorded'),
});

const medicalVisit = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  elderAge: z.number().int(),
  address: z.string().nullable().describe('Shown to the team only'),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  teamId: z.string(),
  teamName: z.string(),
  source: z.enum(MEDICAL_VISIT_SOURCES),
  referralId: z.string().nullable(),
  episodeId: z.string().nullable(),
  reason: z.string(),
  status: z.enum(MEDICAL_VISIT_STATUSES),
  scheduledOn: z.string().nullable(),
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  visitedAt: z.string().nullable(),
  checkInMethod: z.enum(['gps', 'qr']).nullable(),
  checkInDistanceM: z.number().int().nullable(),
  createdAt: z.string(),
});
const medicalVisitDetail = medicalVisit.extend({
  findings: z.string().nullable(),
  advice: z.string().nullable(),
  vitals: vitals.nullable(),
  billing: z.array(billingLine),
  chronicConditions: z.array(z.string()),
  allergies: z.array(z.string()),
});
const visitRequestBody = z.strictObject({
  elderId: z.uuid().optional().describe('The elder; an elder or family account may leave it out (their own elder)'),
  reason: z.string().trim().min(2).max(500),
  teamId: z.uuid().optional().describe('The team; default the elder’s contracted team or the team serving the community'),
  callId: z
    .uuid()
    .optional()
    .describe('The call centre asks on a call: required for an operator; the elder is the caller’s elder'),
});
const scheduleBody = z.strictObject({
  scheduledOn: isoDay('business'),
  memberId: z.uuid().optional(),
});
const recordVisitBody = z
  .strictObject({
    at: isoInstant('past').optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    qr: z.string().trim().min(8).max(80).optional(),
    findings: z.string().trim().min(1).max(2000),
    advice: z.string().trim().max(2000).optional(),
    vitals: vitals.optional(),
    billing: z
      .array(billingLineBody)
      .max(20)
      .optional()
      .describe('家庭病床 visits: the items done, recorded for medical insurance'),
  })
  .refine((b) => b.qr !== undefined || (b.lat !== undefined && b.lng !== undefined), {
    message: 'check in by position (lat, lng) or by the elder’s QR code',
    path: ['lat'],
  });
const cancelBody = z.strictObject({ reason: z.string().trim().min(2).max(200) });

const criteria = z.object({
  regionCode: z.string(),
  minAge: z.number().int(),
  chronicConditions: z.array(z.string()),
  abilityLevels: z.array(z.enum(ABILITY_LEVELS)),
});
const criteriaBody = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/, 'a district code (6 digits)'),
  minAge: z.number().int().min(0).max(130),
  chronicConditions: z.array(z.string().trim().min(1).max(40)).max(40),
  abilityLevels: z.array(z.enum(ABILITY_LEVELS)).max(5),
});
const criteriaCheck = z.object({
  eligible: z.boolean(),
  checks: z.array(
    z.object({
      rule: z.enum(['min_age', 'chronic_or_ability']),
      passed: z.boolean(),
      detail: z.string(),
    }),
  ),
});
const planItem = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  name: z.string().trim().min(1).max(100),
  amountFen: z.number().int().min(0).max(10_000_000),
});
const homeBedEpisode = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  elderAge: z.number().int(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  teamId: z.string(),
  teamName: z.string(),
  status: z.enum(['open', 'discharged']),
  diagnosis: z.string(),
  admittedOn: z.string(),
  visitsPerWeek: z.number().int(),
  planItems: z.array(planItem),
  visitsDone: z.number().int(),
  billedFen: z.number().int(),
  dischargedOn: z.string().nullable(),
  dischargeSummary: z.string().nullable(),
});
const homeBedEpisodeDetail = homeBedEpisode.extend({
  criteriaCheck,
  visits: z.array(medicalVisit),
  billing: z.array(billingLine),
});
const admitBody = z.strictObject({
  elderId: z.uuid(),
  teamId: z.uuid().optional(),
  diagnosis: z.string().trim().min(1).max(200),
  admittedOn: isoDay('business'),
  visitsPerWeek: z.number().int().min(1).max(14),
  planItems: z.array(planItem).min(1).max(20),
});
const dischargeBody = z.strictObject({
  dischargedOn: isoDay('business'),
  summary: z.string().trim().min(2).max(1000),
});

const partnership = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  orgType: z.string(),
  medicalOrgId: z.string(),
  medicalOrgName: z.string(),
  regionCode: z.string(),
  agreementNo: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  greenChannel: z.boolean(),
  services: z.string().nullable(),
  status: z.enum(['active', 'ended']),
});
const partnershipBody = z.strictObject({
  orgId: z.uuid(),
  medicalOrgId: z.uuid(),
  agreementNo: z.string().trim().max(64).optional(),
  startsOn: isoDay('business'),
  endsOn: isoDay('business'),
  greenChannel: z.boolean(),
  services: z.string().trim().max(500).optional(),
});

const referral = z.object({
  id: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  source: z.enum(REFERRAL_SOURCES),
  fromOrgName: z.string().nullable(),
  medicalOrgId: z.string(),
  medicalOrgName: z.string(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  reason: z.string(),
  urgency: z.enum(['normal', 'urgent']),
  greenChannel: z.boolean(),
  status: z.enum(REFERRAL_STATUSES),
  followUpId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const referralBody = z.strictObject({
  elderId: z.uuid(),
  medicalOrgId: z.uuid(),
  teamId: z.uuid().optional(),
  reason: z.string().trim().min(2).max(500),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
});
const referralStatusBody = z.strictObject({
  status: z.enum(['accepted', 'visited', 'completed', 'rejected']),
  note: note.optional(),
  scheduleVisitOn: isoDay('business').optional().describe('On accepting: schedule a home visit on this day'),
});

const listQuery = pageQuery.extend(countQuery.shape);

export const medicalContract = {
  listOrgs: route({
    method: 'GET',
    path: '/medical-orgs',
    permission: 'medical:read',
    tags,
    summary: 'Medical organisations in reach (community health centres, hospitals …) with their number of teams',
    query: z.object({ regionCode: regionFilter }),
    response: listOf(medicalOrg),
  }),
  createOrg: route({
    method: 'POST',
    path: '/medical-orgs',
    permission: 'medical:manage',
    audit: 'medical.org.create',
    tags,
    summary: 'Register a medical organisation',
    body: medicalOrgBody,
    response: { 201: medicalOrg },
  }),
  updateOrg: route({
    method: 'PATCH',
    path: '/medical-orgs/:id',
    permission: 'medical:manage',
    audit: 'medical.org.update',
    tags,
    summary: 'Change a medical organisation: name, kind, licence, address, phone, or close it',
    params: id,
    body: medicalOrgPatch,
    response: medicalOrg,
  }),
  listTeams: route({
    method: 'GET',
    path: '/doctor-teams',
    permission: 'medical:read',
    tags,
    summary: 'Family-doctor teams in reach with members (licence numbers) and their number of active contracts',
    query: z.object({ orgId: z.uuid().optional(), regionCode: regionFilter, mine: z.enum(['true', 'false']).optional() }),
    response: listOf(doctorTeam),
  }),
  createTeam: route({
    method: 'POST',
    path: '/doctor-teams',
    permission: 'medical:manage',
    audit: 'medical.team.create',
    tags,
    summary: 'Create a family-doctor team of a medical organisation and the communities it serves',
    body: doctorTeamBody,
    response: { 201: doctorTeam },
  }),
  updateTeam: route({
    method: 'PATCH',
    path: '/doctor-teams/:id',
    permission: 'medical:manage',
    audit: 'medical.team.update',
    tags,
    summary: 'Change a team: its name, the communities it serves, or disband it',
    params: id,
    body: doctorTeamPatch,
    response: doctorTeam,
  }),
  addMember: route({
    method: 'POST',
    path: '/doctor-teams/:id/members',
    permission: 'medical:manage',
    audit: 'medical.team.member.add',
    tags,
    summary: 'Add a member (医生, 护士, 公卫医生 …) with the licence number, optionally linked to a doctor login',
    params: id,
    body: teamMemberBody,
    response: { 201: doctorTeam },
  }),
  updateMember: route({
    method: 'PATCH',
    path: '/doctor-team-members/:id',
    permission: 'medical:manage',
    audit: 'medical.team.member.update',
    tags,
    summary: 'Change a member: role, leader, active or not, the linked login, the licence number',
    params: id,
    body: teamMemberPatch,
    response: doctorTeam,
  }),

  listContracts: route({
    method: 'GET',
    path: '/doctor-contracts',
    permission: 'medical:read',
    tags,
    summary: 'Family-doctor contracts in reach (a doctor: their teams’)',
    query: listQuery.extend({
      status: z.enum(CONTRACT_STATUSES).optional(),
      teamId: z.uuid().optional(),
      elderId: z.uuid().optional(),
      regionCode: regionFilter,
      expiringBefore: isoDay('filter').optional(),
    }),
    response: countedListOf(doctorContract),
  }),
  contractCandidates: route({
    method: 'GET',
    path: '/doctor-contracts/candidates',
    permission: 'medical:contract',
    tags,
    summary: 'Elders a team may sign: active, in a community the team serves, without an active contract; by name or pinyin',
    query: z.object({ teamId: z.uuid(), q: z.string().trim().min(1).max(50) }),
    response: listOf(
      z.object({
        id: z.string(),
        name: z.string(),
        age: z.number().int(),
        regionCode: z.string(),
        regionName: z.string().nullable(),
      }),
    ),
  }),
  signContract: route({
    method: 'POST',
    path: '/doctor-contracts',
    permission: 'medical:contract',
    audit: 'medical.contract.sign',
    tags,
    summary: 'Sign a contract (签约) between an elder and a team; an elder has at most one active contract',
    body: contractBody,
    response: { 201: doctorContract },
  }),
  renewContract: route({
    method: 'POST',
    path: '/doctor-contracts/:id/renew',
    permission: 'medical:contract',
    audit: 'medical.contract.renew',
    tags,
    summary: 'Renew (续约): a new period that starts the day after this one ends, linked to it',
    params: id,
    body: renewBody,
    response: { 201: doctorContract },
  }),
  endContract: route({
    method: 'POST',
    path: '/doctor-contracts/:id/end',
    permission: 'medical:contract',
    audit: 'medical.contract.end',
    tags,
    summary: 'End (解约) an active contract with a reason',
    params: id,
    body: endContractBody,
    response: doctorContract,
  }),
  coverage: route({
    method: 'GET',
    path: '/doctor-contracts/coverage',
    permission: 'medical:read',
    tags,
    summary: '健康管理率 per community: contracted elders aged 65+ / all elders aged 65+ (active archives)',
    query: z.object({ regionCode: regionFilter }),
    response: coverage,
  }),

  listVisits: route({
    method: 'GET',
    path: '/medical-visits',
    permission: 'medical:read',
    tags,
    summary: 'Home medical visits in reach; `mine=true` is a doctor’s own (their teams’, assigned to them or not yet)',
    query: listQuery.extend({
      status: z.enum(MEDICAL_VISIT_STATUSES).optional(),
      mine: z.enum(['true', 'false']).optional(),
      on: isoDay('filter').optional(),
      elderId: z.uuid().optional(),
      regionCode: regionFilter,
    }),
    response: countedListOf(medicalVisit),
  }),
  getVisit: route({
    method: 'GET',
    path: '/medical-visits/:id',
    permission: 'medical:read',
    tags,
    summary: 'One home medical visit with its record (findings, advice, vitals); the read is audited',
    params: id,
    response: medicalVisitDetail,
  }),
  requestVisit: route({
    method: 'POST',
    path: '/medical-visits',
    permission: 'medical:request',
    audit: 'medical.visit.request',
    tags,
    summary: 'Ask for a home medical visit (上门医疗): the elder, family, call centre or community staff',
    body: visitRequestBody,
    response: { 201: medicalVisit },
  }),
  myVisitRequests: route({
    method: 'GET',
    path: '/medical-visits/mine/requests',
    auth: 'user',
    tags,
    summary: 'The elder’s (or the family’s bound elder’s) home visit requests and their state',
    response: listOf(medicalVisit),
  }),
  scheduleVisit: route({
    method: 'POST',
    path: '/medical-visits/:id/schedule',
    permission: 'medical:visit',
    audit: 'medical.visit.schedule',
    tags,
    summary: 'The team schedules a visit on a day, to a member (default: the caller)',
    params: id,
    body: scheduleBody,
    response: medicalVisit,
  }),
  recordVisit: route({
    method: 'POST',
    path: '/medical-visits/:id/record',
    permission: 'medical:visit',
    audit: 'medical.visit.record',
    tags,
    summary: 'Record the visit on the phone: check-in (GPS or the elder’s QR), findings, advice, vitals, billing lines',
    params: id,
    headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
    body: recordVisitBody,
    response: medicalVisitDetail,
  }),
  cancelVisit: route({
    method: 'POST',
    path: '/medical-visits/:id/cancel',
    permission: 'medical:visit',
    audit: 'medical.visit.cancel',
    tags,
    summary: 'Cancel a visit that is not done yet, with a reason',
    params: id,
    body: cancelBody,
    response: medicalVisit,
  }),

  getCriteria: route({
    method: 'GET',
    path: '/home-bed-criteria',
    permission: 'medical:read',
    tags,
    summary: 'The 家庭病床 admission criteria of a district (rules as data)',
    query: z.object({ regionCode: z.string().regex(/^\d{6}$/) }),
    response: criteria,
  }),
  putCriteria: route({
    method: 'PUT',
    path: '/home-bed-criteria',
    permission: 'medical:manage',
    audit: 'medical.home-bed.criteria.set',
    tags,
    summary: 'Set a district’s 家庭病床 admission criteria: minimum age, and one of the chronic conditions or ability levels',
    body: criteriaBody,
    response: criteria,
  }),
  checkCriteria: route({
    method: 'GET',
    path: '/home-bed-criteria/check/:elderId',
    permission: 'medical:visit',
    tags,
    summary: 'Check an elder against the district’s admission criteria (before admitting)',
    params: z.object({ elderId: z.uuid() }),
    response: criteriaCheck,
  }),
  listEpisodes: route({
    method: 'GET',
    path: '/home-bed-episodes',
    permission: 'medical:read',
    tags,
    summary: '家庭病床 episodes in reach',
    query: listQuery.extend({ status: z.enum(['open', 'discharged']).optional(), regionCode: regionFilter }),
    response: countedListOf(homeBedEpisode),
  }),
  getEpisode: route({
    method: 'GET',
    path: '/home-bed-episodes/:id',
    permission: 'medical:read',
    tags,
    summary: 'A 家庭病床 episode: criteria check, plan, visits, billing lines; the read is audited',
    params: id,
    response: homeBedEpisodeDetail,
  }),
  admit: route({
    method: 'POST',
    path: '/home-bed-episodes',
    permission: 'medical:visit',
    audit: 'medical.home-bed.admit',
    tags,
    summary: 'Admit an elder to a 家庭病床 (建床): the criteria must pass; the first visit is scheduled on the admission day',
    body: admitBody,
    response: { 201: homeBedEpisodeDetail },
  }),
  scheduleEpisodeVisit: route({
    method: 'POST',
    path: '/home-bed-episodes/:id/visits',
    permission: 'medical:visit',
    audit: 'medical.visit.schedule',
    tags,
    summary: 'Schedule the next visit of an open 家庭病床',
    params: id,
    body: scheduleBody,
    response: { 201: medicalVisit },
  }),
  discharge: route({
    method: 'POST',
    path: '/home-bed-episodes/:id/discharge',
    permission: 'medical:visit',
    audit: 'medical.home-bed.discharge',
    tags,
    summary: 'Discharge (撤床) with a summary; visits not yet done are cancelled',
    params: id,
    body: dischargeBody,
    response: homeBedEpisodeDetail,
  }),

  listPartnerships: route({
    method: 'GET',
    path: '/medical-partnerships',
    permission: 'medical:read',
    tags,
    summary: 'Partnerships (医养合作) between institutions / centres and medical organisations in reach',
    query: z.object({ regionCode: regionFilter, status: z.enum(['active', 'ended']).optional() }),
    response: listOf(partnership),
  }),
  createPartnership: route({
    method: 'POST',
    path: '/medical-partnerships',
    permission: 'medical:manage',
    audit: 'medical.partnership.create',
    tags,
    summary: 'Record an agreement between a care organisation and a medical organisation (period, green channel)',
    body: partnershipBody,
    response: { 201: partnership },
  }),
  endPartnership: route({
    method: 'POST',
    path: '/medical-partnerships/:id/end',
    permission: 'medical:manage',
    audit: 'medical.partnership.end',
    tags,
    summary: 'End a partnership',
    params: id,
    body: z.strictObject({}),
    response: partnership,
  }),
  listReferrals: route({
    method: 'GET',
    path: '/medical-referrals',
    permission: 'medical:read',
    tags,
    summary: 'Referrals (转诊) in reach: by region for staff, to their teams for doctors, from their home for institutions',
    query: listQuery.extend({ status: z.enum(REFERRAL_STATUSES).optional(), regionCode: regionFilter }),
    response: countedListOf(referral),
  }),
  createReferral: route({
    method: 'POST',
    path: '/medical-referrals',
    permission: 'medical:refer',
    audit: 'medical.referral.create',
    tags,
    summary: 'Refer an elder to a medical organisation; an institution with a green-channel partnership marks it so',
    body: referralBody,
    response: { 201: referral },
  }),
  updateReferral: route({
    method: 'POST',
    path: '/medical-referrals/:id/status',
    permission: 'medical:visit',
    audit: 'medical.referral.update',
    tags,
    summary: '待接收 → 已接收 → 已就诊 → 已完成, or 已拒绝; a referral from a care visit closes its follow-up when it closes',
    params: id,
    body: referralStatusBody,
    response: referral,
  }),
} as const;

export type MedicalVisit = z.output<typeof medicalVisit>;
export type MedicalVisitDetail = z.output<typeof medicalVisitDetail>;
export type DoctorTeam = z.output<typeof doctorTeam>;
export type DoctorContract = z.output<typeof doctorContract>;
export type HomeBedEpisode = z.output<typeof homeBedEpisode>;
export type Referral = z.output<typeof referral>;
