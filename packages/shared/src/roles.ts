/**
 * Roles of DOMAIN.md and the permission table (role → actions).
 * The server enforces this table; the web console uses it only to shape menus.
 */
export const ROLES = [
  'district_admin',
  'street_staff',
  'community_staff',
  'operator',
  'provider_admin',
  'service_worker',
  'responder',
  'canteen_staff',
  'institution_staff',
  'elder',
  'family',
  'doctor',
  'volunteer',
] as const;
export type Role = (typeof ROLES)[number];

/** Chinese names shown in the UI and used in docs/glossary.md. */
export const ROLE_LABELS_ZH: Record<Role, string> = {
  district_admin: '区民政局管理员',
  street_staff: '街道工作人员',
  community_staff: '社区工作人员',
  operator: '呼叫中心坐席',
  provider_admin: '服务商管理员',
  service_worker: '服务人员',
  responder: '网格员/应急响应人员',
  canteen_staff: '长寿食堂工作人员',
  institution_staff: '养老机构工作人员',
  elder: '老人',
  family: '家属',
  doctor: '家庭医生团队成员',
  volunteer: '志愿者',
};

export const ACTIONS = [
  'region:read',
  'region:write',
  'org:read',
  'org:write',
  'user:read',
  'user:write',
  'audit:read',
  'elder:read',
  'elder:write',
  'elder:reveal',
  'elder:import',
  /** See the brief of an elder in reach (region staff; provider staff for an elder they serve). */
  'elder:brief',
  /** Create a family invite code for an elder in reach (staff who edit elders; the elder for themself). */
  'elder:invite',
  /** Bind this account to an elder with an invite code (family accounts). */
  'family:bind',
  'assessment:read',
  'assessment:write',
  'provider:read',
  'provider:write',
  'provider:approve',
  'catalogue:write',
  'policy:read',
  'policy:write',
  'wallet:read',
  'wallet:write',
  'order:read',
  'order:create',
  'order:dispatch',
  'order:work',
  'order:review',
  'settlement:read',
  'settlement:confirm',
  'settlement:approve',
  'device:read',
  'device:write',
  'alarm:read',
  'alarm:handle',
  'alarm:respond',
  /** See institutions (机构养老): profiles, the bed board, residents, care records, incidents. */
  'institution:read',
  /** Run an institution: buildings and beds, admissions, bed devices, discharge (its staff; the bureau). */
  'institution:write',
  /** Record care, medication, vital signs and incidents of residents (an institution's nursing staff). */
  'institution:care',
  /** Call for help from one's own phone page (the elder's SOS button): raises a P1 like a pendant. */
  'alarm:sos',
  'notification:read',
  /** Read call records (通话记录) and the call-centre reports. */
  'call:read',
  /** Take calls as an agent (坐席): answer, log, categorise, act from the call, work the care-call list. */
  'call:take',
  /** Run the call centre: agents, hotlines and queues, the live supervisor view, care-call campaigns. */
  'call:supervise',
  /** Edit the knowledge base (知识库) the agents read beside the call form. */
  'kb:write',
  /** See an elder's face enrolment (人脸) and its consent. */
  'face:read',
  /** Enrol an elder's face with the written consent, and delete it when consent is withdrawn. */
  'face:enrol',
  /** Match a photo: verify 1:1 or identify within a canteen's or a community's enrolled elders. */
  'face:match',
  /** See high-age allowance (高龄津贴) tiers, applications, 公示 lists and payments in reach. */
  'allowance:read',
  /** Apply for an elder, confirm proposed elders, record objections, verifications, suspend and resume. */
  'allowance:write',
  /** Approve or reject an allowance application at one's own level (community → street → district). */
  'allowance:approve',
  /** Tiers and settings, payment rolls: generate, approve, export the bank file (the district). */
  'allowance:manage',
  /** See and apply for one's own (an elder) or one's bound elder's (family) allowance on the phone page. */
  'allowance:self',
  /** See 老年人优待证 (senior citizen preferential card) applications and cards in reach. */
  'card:read',
  /** Apply for an elder's 优待证 at the desk (walk-in). */
  'card:write',
  /** Approve or reject a checked 优待证 application: the card is issued (the district). */
  'card:approve',
  /** A district's 优待证 rules (户籍 or residence). */
  'card:manage',
  /** See and apply for one's own (an elder) or one's bound elder's (family) 优待证 on the phone page. */
  'card:self',
  /** Read canteens (长寿食堂), their profiles, dishes and menus. */
  'canteen:read',
  /** Edit a canteen's profile, dishes and menus (its own staff; the bureau). */
  'canteen:write',
  /** Read meals served and the meal statistics. */
  'meal:read',
  /** Serve meals at a canteen: recommendations, checkout with the subsidy. */
  'meal:serve',
  /** Refund a meal on its day, with a reason. */
  'meal:refund',
  /** See the missed-meal signals of the elders in one's region and handle them (已联系 / 已上门 / 无需处理). */
  'meal:signals',
  /** Book (and cancel) a meal delivery 送餐入户: the call centre, region staff, the elder and family, and a canteen for the elders it delivers to. */
  'meal:deliver-book',
  /** Check a meal delivery off at the door: the canteen's staff, or the worker of the provider it was handed to. */
  'meal:deliver',
  /** See special groups, household records, visit plans, visits, follow-ups and their statistics in reach. */
  'care_visit:read',
  /** Record a 关爱巡访 visit on the phone and act on its findings (follow-ups). */
  'care_visit:record',
  /** Set groups, households, visit rules and settings, assign and plan visits. */
  'care_visit:manage',
  /** See the risk radar (风险雷达) of the elders in one's region, its tasks and its settings. */
  'risk:read',
  /** Plan a visit or a call from the radar, and mark radar tasks done. */
  'risk:act',
  /** Set a district's radar weights and thresholds, and rerun the scoring (the bureau). */
  'risk:manage',
  /** See the supervision dashboards 综合监管 of one's district, street or community (region staff). */
  'supervision:read',
  /** Read an elder's health record (健康档案): their doctors, care staff with a reason, the elder and family; every read audited. */
  'health:read',
  /** Record medications and readings in an elder's health record. */
  'health:write',
  /** Import annual physicals (体检) from a spreadsheet. */
  'health:import',
  /** Export an elder's health summary as HL7 FHIR R4 for a health system. */
  'health:export',
  /** See 长护险 policies, enrolled elders and monthly claims in reach. */
  'ltc:read',
  /** Create 长护险 policies, enrol elders, fund orders and draw the monthly claims (the bureau). */
  'ltc:manage',
  /** See medical organisations, family-doctor teams, contracts, home medical visits, 家庭病床 and referrals in reach. */
  'medical:read',
  /** Register medical organisations and teams, partnerships and the 家庭病床 admission criteria (the bureau). */
  'medical:manage',
  /** Sign, renew and end family-doctor contracts (签约) for elders in reach. */
  'medical:contract',
  /** Work as a family-doctor team: schedule and record home visits, run 家庭病床 episodes, answer referrals. */
  'medical:visit',
  /** Ask for a home medical visit (上门医疗) for an elder: the elder, family, call centre, community staff. */
  'medical:request',
  /** Refer an elder from care to a medical organisation (转诊): care staff, institutions. */
  'medical:refer',
  /** See the credit files 信用档案, scores and the dishonesty list in reach (an organisation: its own). */
  'credit:read',
  /** Record credit events, put on or take off the dishonesty list, decide appeals, set the scoring rules (the bureau). */
  'credit:manage',
  /** Appeal 申诉 one's own organisation's listing on the dishonesty list. */
  'credit:appeal',
  /** See family care beds (家庭养老照护床位) in reach and the bed board; a provider its own contracted beds. */
  'family_bed:read',
  /** Take applications, record home assessments, sign contracts, bind devices, suspend and end beds. */
  'family_bed:manage',
  /** Run the monthly package check and release its holds; set the eligibility rule (the bureau: money). */
  'family_bed:settle',
  /** See inspections, grades, findings and the operating status of institutions and centres in reach. */
  'inspection:read',
  /** Checklists, rounds, the assessor's scores, findings and their re-check, finishing (the bureau's assessors). */
  'inspection:assess',
  /** An institution's or centre's own self-assessment and rectification of its findings. */
  'inspection:self',
  /** See volunteers, their tasks, the time bank's accounts and statements, and 睦邻点 in reach. */
  'volunteer:read',
  /** Register and approve volunteers, create, assign, confirm and cancel their tasks, 睦邻点, time-bank rules. */
  'volunteer:manage',
  /** A volunteer's own phone page: own tasks (accept, check in, done), hours, statement, redemption. */
  'volunteer:self',
  /** Export the datasets sent to the provincial / national systems (数据交换): personal data of the whole district. */
  'exchange:export',
  /** Import reference data (region codes, death records) through the data exchange, after a dry run. */
  'exchange:import',
] as const;
export type Action = (typeof ACTIONS)[number];

const STAFF_READ: Action[] = ['region:read', 'org:read', 'elder:read', 'elder:brief', 'assessment:read'];
/** Community and street staff enrol faces (with the elder's consent) and match them. */
const FACE_STAFF: Action[] = ['face:read', 'face:enrol', 'face:match'];

export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  district_admin: ACTIONS.filter(
    (a) =>
      a !== 'order:work' &&
      a !== 'alarm:respond' &&
      a !== 'family:bind' &&
      a !== 'alarm:sos' &&
      a !== 'allowance:self' &&
      a !== 'card:self' &&
      a !== 'volunteer:self' &&
      a !== 'credit:appeal' &&
      // Self-assessment and rectification are the institution's or centre's own; the bureau assesses.
      a !== 'inspection:self' &&
      // Care records are the nursing staff's; the bureau reads them.
      a !== 'institution:care' &&
      // Home visits and 家庭病床 are the doctors' work; the bureau reads them.
      a !== 'medical:visit',
  ),
  street_staff: [
    'credit:read',
    ...STAFF_READ,
    'inspection:read',
    ...FACE_STAFF,
    'user:read',
    'elder:write',
    'elder:import',
    'elder:reveal',
    'elder:invite',
    'assessment:write',
    'provider:read',
    'policy:read',
    'wallet:read',
    'order:read',
    'order:create',
    'order:review',
    'device:read',
    'alarm:read',
    'notification:read',
    'call:read',
    'allowance:read',
    'allowance:write',
    'allowance:approve',
    'card:read',
    'card:write',
    'canteen:read',
    'meal:read',
    'meal:signals',
    'meal:deliver-book',
    'care_visit:read',
    'care_visit:record',
    'care_visit:manage',
    'risk:read',
    'risk:act',
    'supervision:read',
    'medical:read',
    'medical:contract',
    'medical:request',
    'medical:refer',
    'health:read',
    'health:write',
    'health:import',
    'ltc:read',
    'family_bed:read',
    'family_bed:manage',
    'volunteer:read',
    'volunteer:manage',
  ],
  community_staff: [
    ...STAFF_READ,
    // A community centre is run by the community's staff: its self-assessment and rectification.
    'inspection:read',
    'inspection:self',
    ...FACE_STAFF,
    'elder:write',
    'elder:import',
    'elder:reveal',
    'elder:invite',
    'assessment:write',
    'provider:read',
    'policy:read',
    'wallet:read',
    'order:read',
    'order:create',
    'device:read',
    'device:write',
    'alarm:read',
    'alarm:respond',
    'allowance:read',
    'allowance:write',
    'allowance:approve',
    'card:read',
    'card:write',
    'canteen:read',
    'meal:read',
    'meal:signals',
    'meal:deliver-book',
    'care_visit:read',
    'care_visit:record',
    'care_visit:manage',
    'risk:read',
    'risk:act',
    'supervision:read',
    'medical:read',
    'medical:contract',
    'medical:request',
    'medical:refer',
    'health:read',
    'health:write',
    'health:import',
    'ltc:read',
    'family_bed:read',
    'family_bed:manage',
    'volunteer:read',
    'volunteer:manage',
  ],
  operator: [
    ...STAFF_READ,
    'elder:reveal',
    'provider:read',
    'wallet:read',
    'order:read',
    'order:create',
    'meal:deliver-book',
    'order:dispatch',
    'order:review',
    'device:read',
    'alarm:read',
    'alarm:handle',
    'notification:read',
    'call:read',
    'call:take',
    'medical:request',
  ],
  provider_admin: [
    'credit:read',
    'credit:appeal',
    'region:read',
    'org:read',
    'elder:brief',
    'provider:read',
    'provider:write',
    'order:read',
    'order:dispatch',
    'order:work',
    'settlement:read',
    'settlement:confirm',
    'family_bed:read',
  ],
  service_worker: ['region:read', 'elder:brief', 'order:read', 'order:work', 'alarm:respond', 'meal:deliver'],
  responder: ['region:read', 'alarm:read', 'alarm:respond', 'care_visit:read', 'care_visit:record'],
  canteen_staff: [
    'credit:read',
    'credit:appeal',
    'face:match',
    'region:read',
    'org:read',
    'canteen:read',
    'canteen:write',
    'meal:read',
    'meal:serve',
    'meal:refund',
    'meal:deliver-book',
    'meal:deliver',
  ],
  institution_staff: [
    'credit:read',
    'credit:appeal',
    'inspection:read',
    'inspection:self',
    'region:read',
    'org:read',
    'device:read',
    'alarm:read',
    'alarm:handle',
    'institution:read',
    'institution:write',
    'institution:care',
    'medical:read',
    'medical:refer',
    'health:read',
    'health:write',
  ],
  elder: [
    'elder:invite',
    'order:read',
    'order:create',
    'wallet:read',
    'alarm:sos',
    'allowance:self',
    'card:self',
    'meal:deliver-book',
    'medical:request',
    'health:read',
  ],
  family: [
    'family:bind',
    'order:read',
    'order:create',
    'wallet:read',
    'notification:read',
    'allowance:self',
    'card:self',
    'meal:deliver-book',
    'medical:request',
    'health:read',
  ],
  /** A family-doctor team member's login: their team's contracted elders, visits, 家庭病床 and referrals. */
  doctor: [
    'region:read',
    'elder:brief',
    'medical:read',
    'medical:contract',
    'medical:visit',
    'health:read',
    'health:write',
    'health:export',
  ],
  /** A volunteer's login (志愿者): their own tasks, hours and redemptions on the phone page. */
  volunteer: ['volunteer:self'],
};

export function can(role: Role, action: Action): boolean {
  return ROLE_PERMISSIONS[role].includes(action);
}

/** Roles whose accounts are scoped by a region subtree (the others by an organisation or a person). */
export const REGION_SCOPED_ROLES: readonly Role[] = [
  'district_admin',
  'street_staff',
  'community_staff',
  'operator',
  'responder',
];
/** Roles that belong to an organisation (provider, canteen, institution). */
export const ORG_SCOPED_ROLES: readonly Role[] = ['provider_admin', 'service_worker', 'canteen_staff', 'institution_staff'];
