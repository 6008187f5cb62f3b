import { z } from 'zod';
import { PAYMENT_METHODS } from '../service.ts';
import { listOf, pageQuery } from './common.ts';
import { isoInstant } from './dates.ts';
import { ltcBookingCover } from './health-records.ts';
import { route } from './route.ts';

/**
 * Call records (通话记录) and what an agent does with a call: the caller card (弹屏), the call
 * categories, and one-step order / alarm / complaint / knowledge-base answer from the call; plus
 * the knowledge base (知识库). The telephony side (CTI webhooks, agents, routing) is in `cti.ts`.
 * Phone numbers are never sent in clear: lists and details carry them masked (138****8000).
 */

const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
const CALL_OUTCOMES = ['answered', 'abandoned', 'no_answer', 'busy', 'failed'] as const;
const CALL_PARTY_KINDS = ['elder', 'terminal', 'contact', 'unknown'] as const;

const uuid = z.uuid();
const idParam = z.object({ id: uuid });
const categoryCode = z.string().regex(/^[a-z0-9_]{2,40}$/, 'lower-case letters, digits and _');
const notes = z.string().trim().max(2000);
const boolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** A call as a list shows it: the other party's number masked, the names of elder, agent and category. */
export const callListItem = z.object({
  id: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  /** The other party's number (the caller of an inbound call, the called of an outbound one), masked. */
  numberMasked: z.string().nullable(),
  partyKind: z.enum(CALL_PARTY_KINDS),
  elderId: z.string().nullable(),
  elderName: z.string().nullable(),
  agentUserId: z.string().nullable(),
  agentName: z.string().nullable(),
  offeredAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  wrapUpEndedAt: z.string().nullable(),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  categoryCode: z.string().nullable(),
  categoryName: z.string().nullable(),
  subcategory: z.string().nullable(),
  terminalKey: z.enum(['sos', 'service']).nullable(),
  orderId: z.string().nullable(),
  alarmId: z.string().nullable(),
  complaintId: z.string().nullable(),
  articleId: z.string().nullable(),
  regionCode: z.string(),
  /** Logged by hand from the console (no telephony). */
  loggedByHand: z.boolean(),
});
export type CallListItem = z.output<typeof callListItem>;

/** One call in full: both numbers (masked), times with the waits they make, notes, and what it created. */
export const callDetail = callListItem.extend({
  callerMasked: z.string().nullable(),
  calledMasked: z.string().nullable(),
  externalId: z.string().nullable(),
  hotlineId: z.string().nullable(),
  queueId: z.string().nullable(),
  contactId: z.string().nullable(),
  deviceId: z.string().nullable(),
  ringingAt: z.string().nullable(),
  /** Seconds from offered to answered (or to ended, for a call nobody answered). */
  waitSeconds: z.number().int().nullable(),
  talkSeconds: z.number().int().nullable(),
  wrapUpSeconds: z.number().int().nullable(),
  notes: z.string().nullable(),
  articleTitle: z.string().nullable(),
  orderNo: z.string().nullable(),
  /** The first recording (part 1 of `recordings`); kept so a one-recording client reads it as before. */
  recordingRef: z.string().nullable(),
  /**
   * Every recording of the call in the order they started (after 转接 the next agent's leg is the
   * next part). Played at GET /calls/{id}/recordings/{part}.
   */
  recordings: z.array(
    z.object({
      part: z.number().int().min(1),
      recordingRef: z.string(),
      agentUserId: z.string().nullable(),
      agentName: z.string().nullable(),
      startedAt: z.string(),
      seconds: z.number().int().nullable(),
    }),
  ),
  /** 转外线: when the outside number the agent transferred the caller to answered, and that number masked. */
  transferredOutAt: z.string().nullable(),
  transferredOutMasked: z.string().nullable(),
  campaignTaskId: z.string().nullable(),
  loggedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CallDetail = z.output<typeof callDetail>;

export const callListQuery = pageQuery.extend({
  direction: z.enum(CALL_DIRECTIONS).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  category: categoryCode.optional().describe('A category code; a parent category also matches its sub-categories'),
  agent: uuid.optional().describe("The agent's user id"),
  elderId: uuid.optional(),
  from: isoInstant('filter').optional().describe('Offered at or after'),
  to: isoInstant('filter').optional().describe('Offered before'),
  q: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[^\p{Cc}]*$/u, 'no control characters')
    .optional()
    .describe(
      "Text search: the elder's name, pinyin initials or full pinyin, words of the notes, or a full phone number (blind index; audited)",
    ),
});
export type CallListQuery = z.input<typeof callListQuery>;

/** A call logged by hand when there is no telephony (the agent dialled or answered a desk phone). */
export const logCallBody = z.strictObject({
  direction: z.enum(CALL_DIRECTIONS),
  /** The other party's number: the caller of an inbound call, the number dialled for an outbound one. */
  number: z
    .string()
    .trim()
    .regex(/^\+?[\d\s\-().]{3,30}$/, 'a telephone number')
    .optional(),
  elderId: uuid.optional(),
  offeredAt: isoInstant('past'),
  answeredAt: isoInstant('past').optional(),
  endedAt: isoInstant('past').optional(),
  outcome: z.enum(CALL_OUTCOMES),
  categoryCode: categoryCode.optional(),
  subcategory: z.string().trim().min(1).max(100).optional(),
  notes: notes.optional(),
  /** Where the call is filed; defaults to the elder's community, else the agent's region. */
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/, 'a region code')
    .optional(),
});
export type LogCallInput = z.input<typeof logCallBody>;

/** What the agent fills in after (or during) the call. */
export const updateCallBody = z
  .strictObject({
    categoryCode: categoryCode.nullable().optional(),
    subcategory: z.string().trim().min(1).max(100).nullable().optional(),
    notes: notes.nullable().optional(),
    /** The elder the call is about, when the number did not say (an unknown caller, or several matches). */
    elderId: uuid.optional(),
    /** Finish the after-call work (话后处理): sets `wrapUpEndedAt`. */
    finishWrapUp: z.literal(true).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field');
export type UpdateCallInput = z.input<typeof updateCallBody>;

/** An order from the call: the call's elder, the category's first active default item unless one is given. */
export const callOrderBody = z.strictObject({
  itemId: uuid.optional(),
  /** When the service should happen; the next hour when left out. */
  scheduledAt: isoInstant('business').optional(),
  quantity: z.number().int().min(1).max(20).optional(),
  /**
   * How it is paid, as the elder's bookable list gives it: points or purchased credit only for what
   * the elder's policies cover, `self` at the elder's expense, `package` by a family care bed.
   */
  payment: z.enum(PAYMENT_METHODS).optional(),
  note: z.string().trim().max(500).optional(),
});
export type CallOrderInput = z.input<typeof callOrderBody>;

/** A manual alarm from the call (来电求助), through the alarm centre's flow (escalation, SLA). */
export const callAlarmBody = z.strictObject({
  priority: z.enum(['P1', 'P2']),
  note: z.string().trim().max(500).optional(),
});
export type CallAlarmInput = z.input<typeof callAlarmBody>;

/** A complaint taken on the call (投诉与建议), about an order of the elder's or not. */
export const callComplaintBody = z.strictObject({
  reason: z.string().trim().min(2).max(500),
  orderId: uuid.optional(),
});
export type CallComplaintInput = z.input<typeof callComplaintBody>;

export const callArticleBody = z.strictObject({ articleId: uuid });

/** The answer of an action from a call: what the call now links to; `created` is false on a retry. */
export const callActionResult = z.object({
  callId: z.string(),
  kind: z.enum(['order', 'alarm', 'complaint', 'article']),
  id: z.string(),
  created: z.boolean(),
  /** The order's number, the alarm's priority or the complaint's deadline, as it applies. */
  orderNo: z.string().nullable(),
  priority: z.enum(['P1', 'P2', 'P3']).nullable(),
  dueAt: z.string().nullable(),
  /** An order 长护险 pays (the caller's elder is enrolled and the item is in the package). */
  ltc: ltcBookingCover.nullable().optional(),
});
export type CallActionResult = z.output<typeof callActionResult>;

/** The caller card (弹屏): what the agent reads while the phone rings. Identifiers masked. */
export const callerCard = z.object({
  callId: z.string().nullable(),
  elder: z
    .object({
      id: z.string(),
      name: z.string(),
      sex: z.string(),
      age: z.number().int(),
      idNumberMasked: z.string(),
      phoneMasked: z.string().nullable(),
      regionCode: z.string(),
      regionName: z.string().nullable(),
      address: z.string().nullable(),
      livingSituation: z.string(),
      categories: z.array(z.string()),
      abilityLevel: z.string().nullable(),
      status: z.string(),
    })
    .nullable(),
  contacts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      relationship: z.string(),
      phoneMasked: z.string().nullable(),
      callOrder: z.number().int(),
      isGuardian: z.boolean(),
      holdsKey: z.boolean(),
    }),
  ),
  openAlarms: z.array(
    z.object({ id: z.string(), type: z.string(), priority: z.string(), status: z.string(), raisedAt: z.string() }),
  ),
  openOrders: z.array(
    z.object({ id: z.string(), no: z.string(), itemName: z.string().nullable(), status: z.string(), scheduledAt: z.string() }),
  ),
  recentOrders: z.array(
    z.object({ id: z.string(), no: z.string(), itemName: z.string().nullable(), status: z.string(), scheduledAt: z.string() }),
  ),
  wallet: z.object({ points: z.number().int(), fen: z.number().int(), frozen: z.boolean() }).nullable(),
  lastVisits: z.array(
    z.object({
      orderId: z.string(),
      orderNo: z.string(),
      itemName: z.string().nullable(),
      workerName: z.string().nullable(),
      checkInAt: z.string(),
      checkOutAt: z.string().nullable(),
    }),
  ),
  previousCalls: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(CALL_DIRECTIONS),
      offeredAt: z.string(),
      outcome: z.enum(CALL_OUTCOMES).nullable(),
      categoryName: z.string().nullable(),
      agentName: z.string().nullable(),
      notes: z.string().nullable(),
    }),
  ),
});
export type CallerCard = z.output<typeof callerCard>;

/** A call category (来电分类); categories have two levels. */
export const callSubCategory = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  defaultItemCodes: z.array(z.string()),
  sort: z.number().int(),
  active: z.boolean(),
});
/** A top-level category with its sub-categories (a sub-category answers with `children: []`). */
export const callCategory = callSubCategory.extend({ children: z.array(callSubCategory) });
export type CallCategory = z.output<typeof callCategory>;

export const updateCallCategoryBody = z
  .strictObject({
    name: z.string().trim().min(1).max(30).optional(),
    defaultItemCodes: z
      .array(z.string().regex(/^[a-z0-9_]{2,40}$/))
      .max(20)
      .optional(),
    sort: z.number().int().min(0).max(10_000).optional(),
    active: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field');
export type UpdateCallCategoryInput = z.input<typeof updateCallCategoryBody>;

/** A knowledge-base article (知识库): policy, eligibility, how-to, read beside the call form. */
export const kbArticle = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  keywords: z.string(),
  titleInitials: z.string(),
  categoryCode: z.string().nullable(),
  regionCode: z.string(),
  active: z.boolean(),
  updatedAt: z.string(),
});
export type KbArticle = z.output<typeof kbArticle>;

export const kbArticleBody = z.strictObject({
  title: z.string().trim().min(2).max(100),
  body: z.string().trim().min(1).max(20_000),
  keywords: z.string().trim().max(300).optional(),
  categoryCode: categoryCode.nullable().optional(),
  /** Who sees it: this region and everything under it; defaults to the writer's region. */
  regionCode: z
    .string()
    .regex(/^\d{6}(\d{3}){0,2}$/, 'a region code')
    .optional(),
  active: z.boolean().optional(),
});
export type KbArticleInput = z.input<typeof kbArticleBody>;

const tags = ['calls'];
const kbTags = ['knowledge-base'];

export const callsContract = {
  listCalls: route({
    method: 'GET',
    path: '/calls',
    permission: 'call:read',
    tags,
    summary: 'Call records (通话记录) in the caller’s region, newest first; numbers masked',
    query: callListQuery,
    response: listOf(callListItem),
  }),
  logCall: route({
    method: 'POST',
    path: '/calls',
    permission: 'call:take',
    audit: 'call.log',
    tags,
    summary: 'Log a call by hand (no telephony): direction, number, elder, times, outcome, category, notes',
    body: logCallBody,
    response: { 201: callDetail },
  }),
  callerCardByElder: route({
    method: 'GET',
    path: '/calls/card',
    permission: 'call:take',
    tags,
    summary: 'The caller card (弹屏) of an elder, without a call (audited elder read)',
    query: z.object({ elderId: uuid }),
    response: callerCard,
  }),
  getCall: route({
    method: 'GET',
    path: '/calls/:id',
    permission: 'call:read',
    tags,
    summary: 'One call in full (a call about an elder is an audited elder read)',
    params: idParam,
    response: callDetail,
  }),
  updateCall: route({
    method: 'PATCH',
    path: '/calls/:id',
    permission: 'call:take',
    audit: 'call.update',
    tags,
    summary: 'Elder, category, sub-category, notes; finish after-call work (the agent who took it, or a supervisor)',
    params: idParam,
    body: updateCallBody,
    response: callDetail,
  }),
  callerCard: route({
    method: 'GET',
    path: '/calls/:id/card',
    permission: 'call:take',
    tags,
    summary: 'The caller card (弹屏) of a call: profile, contacts, open alarms, orders, wallet, visits, previous calls',
    params: idParam,
    response: callerCard,
  }),
  orderFromCall: route({
    method: 'POST',
    path: '/calls/:id/order',
    permission: 'call:take',
    audit: 'call.order',
    tags,
    summary: 'A service order from the call (the call’s elder, the category’s default item); a retry answers the same order',
    params: idParam,
    body: callOrderBody,
    response: callActionResult,
  }),
  alarmFromCall: route({
    method: 'POST',
    path: '/calls/:id/alarm',
    permission: 'call:take',
    audit: 'call.alarm',
    tags,
    summary: 'A manual P1/P2 alarm (来电求助) from the call, through the alarm centre; a retry answers the same alarm',
    params: idParam,
    body: callAlarmBody,
    response: callActionResult,
  }),
  complaintFromCall: route({
    method: 'POST',
    path: '/calls/:id/complaint',
    permission: 'call:take',
    audit: 'call.complaint',
    tags,
    summary: 'A complaint (投诉) taken on the call, with the follow-up deadline; a retry answers the same complaint',
    params: idParam,
    body: callComplaintBody,
    response: callActionResult,
  }),
  articleForCall: route({
    method: 'POST',
    path: '/calls/:id/article',
    permission: 'call:take',
    audit: 'call.article',
    tags,
    summary: 'Link the knowledge-base article used to answer the call',
    params: idParam,
    body: callArticleBody,
    response: callActionResult,
  }),
  listCallCategories: route({
    method: 'GET',
    path: '/call-categories',
    permission: 'call:read',
    tags,
    summary: 'The call categories (来电分类) as a tree',
    query: z.object({ includeInactive: boolQuery }),
    response: z.object({ items: z.array(callCategory) }),
  }),
  updateCallCategory: route({
    method: 'PUT',
    path: '/call-categories/:code',
    permission: 'call:supervise',
    audit: 'call-category.update',
    tags,
    summary: 'Edit a call category: name, default service items, order, active',
    params: z.object({ code: categoryCode }),
    body: updateCallCategoryBody,
    response: callCategory,
  }),
};

export const kbContract = {
  searchArticles: route({
    method: 'GET',
    path: '/kb/articles',
    permission: 'call:read',
    tags: kbTags,
    summary:
      'Knowledge-base articles visible in the caller’s region; q matches title, keywords, body or the title’s pinyin initials',
    query: pageQuery.extend({
      q: z.string().trim().max(50).optional(),
      categoryCode: categoryCode.optional(),
      includeInactive: boolQuery,
    }),
    response: listOf(kbArticle),
  }),
  getArticle: route({
    method: 'GET',
    path: '/kb/articles/:id',
    permission: 'call:read',
    tags: kbTags,
    summary: 'One knowledge-base article',
    params: idParam,
    response: kbArticle,
  }),
  createArticle: route({
    method: 'POST',
    path: '/kb/articles',
    permission: 'kb:write',
    audit: 'kb.create',
    tags: kbTags,
    summary: 'Write a knowledge-base article for a region and everything under it',
    body: kbArticleBody,
    response: { 201: kbArticle },
  }),
  updateArticle: route({
    method: 'PATCH',
    path: '/kb/articles/:id',
    permission: 'kb:write',
    audit: 'kb.update',
    tags: kbTags,
    summary: 'Edit a knowledge-base article',
    params: idParam,
    body: kbArticleBody.partial().refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field'),
    response: kbArticle,
  }),
  deleteArticle: route({
    method: 'DELETE',
    path: '/kb/articles/:id',
    permission: 'kb:write',
    audit: 'kb.delete',
    tags: kbTags,
    summary: 'Remove an article; one a call has used is kept inactive so the call still names it',
    params: idParam,
    response: z.object({ id: z.string(), removed: z.enum(['deleted', 'deactivated']) }),
  }),
};
