import { z } from 'zod';
import { countedListOf, countQuery, pageQuery } from './common.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * Volunteers and mutual aid (志愿者与互助, issue 18): volunteers with registration, approval, skills
 * and availability; volunteer tasks done like visits; the time bank (时间银行) — confirmed hours
 * credited in minutes on the one ledger and redeemed for a service for oneself or a relative under
 * the district's rules; 睦邻点 neighbourhood points with their weekly activities.
 */

export const VOLUNTEER_STATUSES = ['pending', 'approved', 'disabled'] as const;
export const VOLUNTEER_STATUS_LABELS_ZH = { pending: '待审核', approved: '已通过', disabled: '已停用' } as const;
export const VOLUNTEER_KINDS = ['resident', 'younger_elder', 'student', 'other'] as const;
export const VOLUNTEER_KIND_LABELS_ZH = {
  resident: '社区居民',
  younger_elder: '低龄老人',
  student: '学生',
  other: '其他',
} as const;
export const VOLUNTEER_SKILLS = ['companionship', 'shopping', 'escort', 'repair', 'haircut', 'health', 'legal', 'tech'] as const;
export const VOLUNTEER_SKILL_LABELS_ZH = {
  companionship: '陪伴聊天',
  shopping: '代买代购',
  escort: '陪同就医',
  repair: '简单维修',
  haircut: '理发',
  health: '健康知识',
  legal: '法律咨询',
  tech: '手机教学',
} as const;
export const VOLUNTEER_TASK_KINDS = ['call', 'visit', 'shopping', 'hospital'] as const;
export type VolunteerTaskKind = (typeof VOLUNTEER_TASK_KINDS)[number];
export const VOLUNTEER_TASK_KIND_LABELS_ZH = {
  call: '电话陪伴',
  visit: '上门探访',
  shopping: '代买代购',
  hospital: '陪同就医',
} as const;
export const VOLUNTEER_TASK_STATUSES = ['open', 'assigned', 'accepted', 'checked_in', 'done', 'confirmed', 'cancelled'] as const;
export const VOLUNTEER_TASK_STATUS_LABELS_ZH = {
  open: '待指派',
  assigned: '已指派',
  accepted: '已接受',
  checked_in: '服务中',
  done: '待确认',
  confirmed: '已确认',
  cancelled: '已取消',
} as const;
export const VOLUNTEER_TASK_SOURCE_LABELS_ZH = { staff: '社区派发', redemption: '时间兑换', care_visit: '巡访跟进' } as const;
export const RELATIVE_RELATIONS = ['spouse', 'parent', 'parent_in_law', 'grandparent', 'sibling', 'other'] as const;
export const RELATIVE_RELATION_LABELS_ZH = {
  spouse: '配偶',
  parent: '父母',
  parent_in_law: '岳父母/公婆',
  grandparent: '祖父母/外祖父母',
  sibling: '兄弟姐妹',
  other: '其他亲属',
} as const;
export const SERVED_VERDICT_LABELS_ZH = { confirmed: '老人已确认', disputed: '老人有异议' } as const;
export const TIMEBANK_ENTRY_KIND_LABELS_ZH = { credit: '服务存入', redeem: '兑换支出', return: '兑换退回' } as const;

const id = z.object({ id: z.uuid() });
const tags = ['volunteers'];
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');
const slot = z.strictObject({ weekday: z.number().int().min(1).max(7), start: hhmm, end: hhmm });
const phone = z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number');
const communityCode = z.string().regex(/^\d{12}$/, 'a community code');

export const volunteerRegistrationBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  phone,
  idNumber: z.string().trim().min(15).max(18).optional(),
  regionCode: communityCode,
  kind: z.enum(VOLUNTEER_KINDS).default('resident'),
  skills: z.array(z.enum(VOLUNTEER_SKILLS)).max(VOLUNTEER_SKILLS.length).default([]),
  availability: z.array(slot).max(21).default([]),
  note: z.string().trim().max(200).optional(),
});
/** Self-registration adds the password of the new login (a generated username; the phone number logs in too). */
export const volunteerSelfRegistrationBody = volunteerRegistrationBody.extend({ password: z.string().min(8).max(64) });

export const volunteerSummary = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  phoneMasked: z.string(),
  idNumberMasked: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  status: z.enum(VOLUNTEER_STATUSES),
  source: z.enum(['self', 'staff']),
  kind: z.enum(VOLUNTEER_KINDS),
  skills: z.array(z.enum(VOLUNTEER_SKILLS)),
  availability: z.array(slot),
  balanceMinutes: z.number().int(),
  tasksDone: z.number().int(),
  createdAt: z.string(),
});
export const volunteerDetail = volunteerSummary.extend({
  note: z.string().nullable(),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  selfElderId: z.uuid().nullable(),
  selfElderName: z.string().nullable(),
  relatives: z.array(z.object({ elderId: z.uuid(), elderName: z.string(), relation: z.enum(RELATIVE_RELATIONS) })),
});
export type VolunteerSummary = z.output<typeof volunteerSummary>;
export type VolunteerDetail = z.output<typeof volunteerDetail>;

export const volunteerTask = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  elderId: z.uuid(),
  elderName: z.string(),
  elderAddress: z.string().nullable(),
  kind: z.enum(VOLUNTEER_TASK_KINDS),
  notes: z.string().nullable(),
  scheduledOn: z.string(),
  plannedMinutes: z.number().int(),
  status: z.enum(VOLUNTEER_TASK_STATUSES),
  source: z.enum(['staff', 'redemption', 'care_visit', 'care_visit_record']),
  volunteerId: z.uuid().nullable(),
  volunteerName: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkInMethod: z.enum(['gps', 'qr', 'call']).nullable(),
  checkInDistanceM: z.number().int().nullable(),
  doneAt: z.string().nullable(),
  reportedMinutes: z.number().int().nullable(),
  doneNote: z.string().nullable(),
  confirmedMinutes: z.number().int().nullable(),
  creditedMinutes: z.number().int().nullable(),
  confirmedAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** The served elder's (or their family's) word on a finished task: confirmed (hours credited) or disputed. */
  servedVerdict: z.enum(['confirmed', 'disputed']).nullable(),
  servedVerdictAt: z.string().nullable(),
  servedNote: z.string().nullable(),
  createdAt: z.string(),
});
export type VolunteerTask = z.output<typeof volunteerTask>;

export const timebankRulesSchema = z.strictObject({
  regionCode: z.string().regex(/^\d{6}$/, 'a district code'),
  creditPercent: z.number().int().min(1).max(300),
  maxCreditMinutes: z.number().int().min(10).max(720),
  redeemPercent: z.number().int().min(1).max(300),
  minRedeemMinutes: z.number().int().min(10).max(720),
  keepMinutes: z.number().int().min(0).max(10000),
  monthlyRedeemMinutes: z.number().int().min(10).max(10000),
  allowSelf: z.boolean(),
  relativeRelations: z.array(z.enum(RELATIVE_RELATIONS)).max(RELATIVE_RELATIONS.length),
});
export type TimebankRules = z.output<typeof timebankRulesSchema>;

export const timebankEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  amount: z.number().int(),
  kind: z.enum(['credit', 'redeem', 'return']),
  taskId: z.uuid().nullable(),
  taskKind: z.enum(VOLUNTEER_TASK_KINDS).nullable(),
  elderName: z.string().nullable(),
  redemptionId: z.uuid().nullable(),
  transactionId: z.uuid(),
});
export const timebankStatement = z.object({
  volunteerId: z.uuid(),
  name: z.string(),
  balanceMinutes: z.number().int(),
  creditedMinutes: z.number().int(),
  redeemedMinutes: z.number().int(),
  items: z.array(timebankEntry),
  nextCursor: z.string().nullable(),
});

export const redemptionBody = z.strictObject({
  /** Absent: for oneself (the archive record linked to the volunteer). */
  elderId: z.uuid().optional(),
  kind: z.enum(VOLUNTEER_TASK_KINDS),
  minutes: z.number().int().min(10).max(720),
  scheduledOn: isoDay('business'),
  note: z.string().trim().max(200).optional(),
});
export const redemption = z.object({
  id: z.uuid(),
  elderId: z.uuid(),
  elderName: z.string(),
  beneficiary: z.enum(['self', 'relative']),
  relation: z.string().nullable(),
  kind: z.enum(VOLUNTEER_TASK_KINDS),
  minutes: z.number().int(),
  serviceMinutes: z.number().int(),
  scheduledOn: z.string(),
  taskId: z.uuid().nullable(),
  taskStatus: z.enum(VOLUNTEER_TASK_STATUSES).nullable(),
  balanceMinutes: z.number().int(),
  createdAt: z.string(),
});

export const volunteerMe = z.object({
  volunteer: volunteerDetail,
  rules: timebankRulesSchema,
  /** Whom the volunteer may redeem for now (self if linked and allowed, relatives of an allowed relation). */
  beneficiaries: z.array(
    z.object({
      elderId: z.uuid(),
      elderName: z.string(),
      beneficiary: z.enum(['self', 'relative']),
      relation: z.string().nullable(),
    }),
  ),
  redeemedThisMonth: z.number().int(),
});

const activity = z.strictObject({
  weekday: z.number().int().min(1).max(7),
  start: hhmm,
  end: hhmm,
  title: z.string().trim().min(1).max(60),
});
export const neighbourhoodPointBody = z.strictObject({
  name: z.string().trim().min(1).max(60),
  address: z.string().trim().min(1).max(200),
  regionCode: communityCode,
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  activities: z.array(activity).max(50).default([]),
  active: z.boolean().default(true),
});
export const neighbourhoodPoint = z.object({
  id: z.uuid(),
  name: z.string(),
  address: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  activities: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string(), title: z.string() })),
  active: z.boolean(),
});
export type NeighbourhoodPoint = z.output<typeof neighbourhoodPoint>;

const key = z.object({ 'idempotency-key': z.string().optional() });

export const volunteersContract = {
  registrationCommunities: route({
    method: 'GET',
    path: '/volunteer-registration/communities',
    auth: 'public',
    tags,
    summary: 'The communities a volunteer may register for (code and name only), for the public registration page',
    response: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), streetName: z.string().nullable() })) }),
  }),
  selfRegister: route({
    method: 'POST',
    path: '/volunteer-registrations',
    auth: 'public',
    audit: 'volunteer.register',
    tags,
    summary:
      'Self-registration from the phone page: a login (a generated username; the phone number logs in too) and a volunteer 待审核 until community staff approve',
    body: volunteerSelfRegistrationBody,
    response: { 201: z.object({ id: z.uuid(), username: z.string(), status: z.enum(VOLUNTEER_STATUSES) }) },
  }),
  listVolunteers: route({
    method: 'GET',
    path: '/volunteers',
    permission: 'volunteer:read',
    tags,
    summary: 'Volunteers in reach with their status, skills, availability and time-bank balance (phones masked)',
    query: pageQuery.extend(countQuery.shape).extend({
      status: z.enum(VOLUNTEER_STATUSES).optional(),
      skill: z.enum(VOLUNTEER_SKILLS).optional(),
      weekday: z.coerce.number().int().min(1).max(7).optional(),
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
      q: z.string().trim().max(50).optional(),
    }),
    response: countedListOf(volunteerSummary),
  }),
  createVolunteer: route({
    method: 'POST',
    path: '/volunteers',
    permission: 'volunteer:manage',
    audit: 'volunteer.create',
    tags,
    summary: 'Register a volunteer at the desk: the login is created (first password shown once), approved at once',
    body: volunteerRegistrationBody,
    response: { 201: z.object({ volunteer: volunteerDetail, username: z.string(), initialPassword: z.string() }) },
  }),
  getVolunteer: route({
    method: 'GET',
    path: '/volunteers/:id',
    permission: 'volunteer:read',
    tags,
    summary: 'A volunteer with relatives and their own archive link',
    params: id,
    response: volunteerDetail,
  }),
  updateVolunteer: route({
    method: 'PATCH',
    path: '/volunteers/:id',
    permission: 'volunteer:manage',
    audit: 'volunteer.update',
    tags,
    summary: 'Change skills, availability, kind, note, the own archive link (selfElderId) and the relatives',
    params: id,
    body: z.strictObject({
      kind: z.enum(VOLUNTEER_KINDS).optional(),
      skills: z.array(z.enum(VOLUNTEER_SKILLS)).max(VOLUNTEER_SKILLS.length).optional(),
      availability: z.array(slot).max(21).optional(),
      note: z.string().trim().max(200).nullable().optional(),
      selfElderId: z.uuid().nullable().optional(),
      relatives: z
        .array(z.strictObject({ elderId: z.uuid(), relation: z.enum(RELATIVE_RELATIONS) }))
        .max(10)
        .optional(),
    }),
    response: volunteerDetail,
  }),
  reviewVolunteer: route({
    method: 'POST',
    path: '/volunteers/:id/review',
    permission: 'volunteer:manage',
    audit: 'volunteer.review',
    tags,
    summary: 'Approve (identity checked), disable or re-enable a volunteer; disabling also disables the login',
    params: id,
    body: z.strictObject({ decision: z.enum(['approve', 'disable']), note: z.string().trim().max(200).optional() }),
    response: volunteerDetail,
  }),
  volunteerStatement: route({
    method: 'GET',
    path: '/volunteers/:id/statement',
    permission: 'volunteer:read',
    tags,
    summary: "A volunteer's time-bank statement (minutes), newest first; `before` is an entry id cursor",
    params: id,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().regex(/^\d+$/).optional(),
    }),
    response: timebankStatement,
  }),
  listTasks: route({
    method: 'GET',
    path: '/volunteer-tasks',
    permission: 'volunteer:read',
    tags,
    summary: 'Volunteer tasks in reach, by status, kind, volunteer, date range',
    query: pageQuery.extend(countQuery.shape).extend({
      status: z.enum(VOLUNTEER_TASK_STATUSES).optional(),
      kind: z.enum(VOLUNTEER_TASK_KINDS).optional(),
      volunteerId: z.uuid().optional(),
      from: isoDay('filter').optional(),
      to: isoDay('filter').optional(),
      /** Tasks whose hours were confirmed in this China-time month (the dashboard's 本月完成志愿任务). */
      confirmedMonth: isoMonth('filter').optional(),
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    response: countedListOf(volunteerTask),
  }),
  createTask: route({
    method: 'POST',
    path: '/volunteer-tasks',
    permission: 'volunteer:manage',
    audit: 'volunteer.task.create',
    tags,
    summary: 'Create a task for an elder in reach (optionally assigned to an approved volunteer at once)',
    body: z.strictObject({
      elderId: z.uuid(),
      kind: z.enum(VOLUNTEER_TASK_KINDS),
      scheduledOn: isoDay('business'),
      plannedMinutes: z.number().int().min(10).max(720),
      notes: z.string().trim().max(300).optional(),
      volunteerId: z.uuid().optional(),
      careVisitId: z.uuid().optional(),
    }),
    response: { 201: volunteerTask },
  }),
  getTask: route({
    method: 'GET',
    path: '/volunteer-tasks/:id',
    permission: 'volunteer:read',
    tags,
    summary: 'A task (the elder read is audited)',
    params: id,
    response: volunteerTask,
  }),
  assignTask: route({
    method: 'POST',
    path: '/volunteer-tasks/:id/assign',
    permission: 'volunteer:manage',
    audit: 'volunteer.task.assign',
    tags,
    summary: 'Assign (or reassign) a task not yet started to an approved volunteer in reach',
    params: id,
    body: z.strictObject({ volunteerId: z.uuid() }),
    response: volunteerTask,
  }),
  confirmTask: route({
    method: 'POST',
    path: '/volunteer-tasks/:id/confirm',
    permission: 'volunteer:manage',
    audit: 'volunteer.task.confirm',
    tags,
    summary:
      'Confirm the hours of a done task: the credit is posted to the time bank exactly once (a retry or a second confirmation answers the same task)',
    params: id,
    body: z.strictObject({ minutes: z.number().int().min(1).max(720) }),
    response: volunteerTask,
  }),
  cancelTask: route({
    method: 'POST',
    path: '/volunteer-tasks/:id/cancel',
    permission: 'volunteer:manage',
    audit: 'volunteer.task.cancel',
    tags,
    summary: 'Cancel a task not yet done; a redemption task gives its minutes back to the volunteer (once)',
    params: id,
    body: z.strictObject({ reason: z.string().trim().min(1).max(200) }),
    response: volunteerTask,
  }),
  timebankAccounts: route({
    method: 'GET',
    path: '/timebank/accounts',
    permission: 'volunteer:read',
    tags,
    summary: 'Time-bank accounts of the volunteers in reach: balance, credited and redeemed minutes',
    query: pageQuery.extend({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    response: z.object({
      items: z.array(
        z.object({
          volunteerId: z.uuid(),
          name: z.string(),
          regionCode: z.string(),
          regionName: z.string().nullable(),
          status: z.enum(VOLUNTEER_STATUSES),
          balanceMinutes: z.number().int(),
          creditedMinutes: z.number().int(),
          redeemedMinutes: z.number().int(),
        }),
      ),
      total: z.number().int(),
      totals: z.object({
        balanceMinutes: z.number().int(),
        creditedMinutes: z.number().int(),
        redeemedMinutes: z.number().int(),
      }),
    }),
  }),
  timebankRedemptions: route({
    method: 'GET',
    path: '/timebank/redemptions',
    permission: 'volunteer:read',
    tags,
    summary:
      'Redemptions of hours in reach, newest first, optionally of one China month (本月兑换时长 opens it); the total leaves out redemptions given back',
    query: pageQuery.extend({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
      month: isoMonth('filter').optional(),
    }),
    response: z.object({
      items: z.array(
        z.object({
          id: z.uuid(),
          createdAt: z.string(),
          volunteerId: z.uuid(),
          volunteerName: z.string(),
          elderName: z.string(),
          regionName: z.string().nullable(),
          beneficiary: z.enum(['self', 'relative']),
          relation: z.string().nullable(),
          kind: z.enum(VOLUNTEER_TASK_KINDS),
          minutes: z.number().int(),
          scheduledOn: z.string(),
          taskStatus: z.enum(VOLUNTEER_TASK_STATUSES).nullable(),
          /** Given back (the task was cancelled before it was done): not counted in the total. */
          returned: z.boolean(),
        }),
      ),
      total: z.number().int(),
      /** Minutes redeemed and not given back, over every page. */
      totalMinutes: z.number().int(),
    }),
  }),
  getRules: route({
    method: 'GET',
    path: '/timebank/rules',
    permission: 'volunteer:read',
    tags,
    summary: "A district's time-bank rules (the defaults when it has set none)",
    query: z.object({ regionCode: z.string().regex(/^\d{6}$/) }),
    response: timebankRulesSchema,
  }),
  putRules: route({
    method: 'PUT',
    path: '/timebank/rules',
    permission: 'volunteer:manage',
    audit: 'timebank.rules.update',
    tags,
    summary: "Replace a district's time-bank rules (someone who reaches the whole district)",
    body: timebankRulesSchema,
    response: timebankRulesSchema,
  }),
  listPoints: route({
    method: 'GET',
    path: '/neighbourhood-points',
    auth: 'user',
    tags,
    summary:
      '睦邻点 in reach (staff) or of the volunteer’s own street (volunteers), with their weekly activities; no personal data',
    query: pageQuery.extend({
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
    }),
    response: z.object({ items: z.array(neighbourhoodPoint), total: z.number().int() }),
  }),
  createPoint: route({
    method: 'POST',
    path: '/neighbourhood-points',
    permission: 'volunteer:manage',
    audit: 'volunteer.point.create',
    tags,
    summary: 'Add a 睦邻点 with its weekly activities',
    body: neighbourhoodPointBody,
    response: { 201: neighbourhoodPoint },
  }),
  updatePoint: route({
    method: 'PUT',
    path: '/neighbourhood-points/:id',
    permission: 'volunteer:manage',
    audit: 'volunteer.point.update',
    tags,
    summary: 'Replace a 睦邻点 (name, address, place, activities, active)',
    params: id,
    body: neighbourhoodPointBody,
    response: neighbourhoodPoint,
  }),

  // The volunteer's own phone page.
  me: route({
    method: 'GET',
    path: '/volunteer/me',
    permission: 'volunteer:self',
    tags,
    summary: "The volunteer's own profile, balance, the rules and whom they may redeem for",
    response: volunteerMe,
  }),
  myTasks: route({
    method: 'GET',
    path: '/volunteer/tasks',
    permission: 'volunteer:self',
    tags,
    summary: "The volunteer's own tasks: open ones first by date, then the last 30 days' done ones",
    response: z.object({ items: z.array(volunteerTask) }),
  }),
  myTask: route({
    method: 'GET',
    path: '/volunteer/tasks/:id',
    permission: 'volunteer:self',
    tags,
    summary: 'One of the volunteer’s own tasks with the elder’s name and address (the read is audited)',
    params: id,
    response: volunteerTask,
  }),
  acceptTask: route({
    method: 'POST',
    path: '/volunteer/tasks/:id/accept',
    permission: 'volunteer:self',
    audit: 'volunteer.task.accept',
    tags,
    summary: 'Accept an assigned task (again: the same answer)',
    params: id,
    body: z.strictObject({}),
    response: volunteerTask,
  }),
  checkIn: route({
    method: 'POST',
    path: '/volunteer/tasks/:id/check-in',
    permission: 'volunteer:self',
    audit: 'volunteer.task.check-in',
    tags,
    summary:
      'Check in: by position (distance to the archive address kept), by the elder’s QR code, or for a call task by calling',
    params: id,
    headers: key,
    body: z.strictObject({
      method: z.enum(['gps', 'qr', 'call']),
      lat: z.number().min(-90).max(90).optional(),
      lng: z.number().min(-180).max(180).optional(),
      qr: z.string().max(200).optional(),
    }),
    response: volunteerTask,
  }),
  doneTask: route({
    method: 'POST',
    path: '/volunteer/tasks/:id/done',
    permission: 'volunteer:self',
    audit: 'volunteer.task.done',
    tags,
    summary: 'Finish a checked-in task with the minutes served and a note; staff confirm the hours',
    params: id,
    headers: key,
    body: z.strictObject({ minutes: z.number().int().min(1).max(720), note: z.string().trim().max(300).optional() }),
    response: volunteerTask,
  }),
  myStatement: route({
    method: 'GET',
    path: '/volunteer/statement',
    permission: 'volunteer:self',
    tags,
    summary: "The volunteer's own time-bank statement",
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().regex(/^\d+$/).optional(),
    }),
    response: timebankStatement,
  }),
  redeem: route({
    method: 'POST',
    path: '/volunteer/redemptions',
    permission: 'volunteer:self',
    audit: 'timebank.redeem',
    tags,
    summary:
      'Redeem hours for a service for oneself or a relative under the rules: debits once (Idempotency-Key required) and creates the task',
    headers: z.object({ 'idempotency-key': z.string() }),
    body: redemptionBody,
    response: { 201: redemption },
  }),
  servedTasks: route({
    method: 'GET',
    path: '/served-volunteer-tasks',
    auth: 'user',
    tags,
    summary:
      'For an elder or family account: the volunteer tasks done for their elder — finished ones waiting for their confirmation first, then the last 30 days (others get an empty list)',
    response: z.object({ items: z.array(volunteerTask) }),
  }),
  servedVerdict: route({
    method: 'POST',
    path: '/served-volunteer-tasks/:id/verdict',
    auth: 'user',
    audit: 'volunteer.task.served-verdict',
    tags,
    summary:
      'The elder served (or their family) confirms a finished task — the reported minutes are credited exactly once, as a staff confirmation — or disputes it for the community to decide; the same word again answers the task unchanged',
    params: id,
    body: z.strictObject({
      verdict: z.enum(['confirm', 'dispute']),
      note: z.string().trim().max(200).optional(),
    }),
    response: volunteerTask,
  }),
  myRedemptions: route({
    method: 'GET',
    path: '/volunteer/redemptions',
    permission: 'volunteer:self',
    tags,
    summary: "The volunteer's redemptions, newest first",
    response: z.object({ items: z.array(redemption) }),
  }),
};
