import { z } from 'zod';
import { listOf } from './common.ts';
import { route } from './route.ts';

/**
 * The call centre's telephony side (CTI, docs/cti.md): agents (坐席) and their states, hotlines
 * (热线) and queues, the signed webhooks the telephony sends in, the routing question it asks,
 * and the built-in simulator. Version 1 of the CTI contract.
 */

export const CTI_VERSION = 1;

export const AGENT_STATES = ['offline', 'idle', 'ringing', 'talking', 'wrap_up', 'break'] as const;
export type AgentStateCode = (typeof AGENT_STATES)[number];
/** The states an agent sets by hand; ringing, talking and wrap_up follow the calls. */
export const AGENT_SELF_STATES = ['idle', 'break', 'offline'] as const;

export const CALL_OUTCOMES = ['answered', 'abandoned', 'no_answer', 'busy', 'failed'] as const;
export const PARTY_KINDS = ['elder', 'terminal', 'contact', 'unknown'] as const;

/** One record a number belongs to (caller-ID screen pop, 弹屏). */
export const callParty = z.object({
  kind: z.enum(['elder', 'terminal', 'contact']),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  /** The bound terminal (kind terminal). */
  deviceId: z.string().nullable(),
  /** The contact whose phone it is (kind contact: 家属 of the elder). */
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  relationship: z.string().nullable(),
});
export type CallParty = z.output<typeof callParty>;

// ── Agents ────────────────────────────────────────────────────────────────────────────────────

const extension = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'letters, digits, _ . @ - (the extension or SIP user at the telephony)');
const skill = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]{1,32}$/, 'lower-case letters, digits and _');

export const callAgent = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  extension: z.string(),
  skills: z.array(z.string()),
  state: z.enum(AGENT_STATES),
  breakReason: z.string().nullable(),
  stateSince: z.string(),
  secondsInState: z.number().int(),
  idleSince: z.string().nullable(),
  currentCallId: z.string().nullable(),
  regionCode: z.string(),
  /** In wrap_up: when after-call work ends by itself (CALL_WRAP_UP_MAX_SECONDS). */
  wrapUpEndsAt: z.string().nullable(),
});
export type CallAgent = z.output<typeof callAgent>;

export const registerAgentBody = z.strictObject({
  userId: z.uuid(),
  extension,
  skills: z.array(skill).max(20).optional(),
});
export const updateAgentBody = z.strictObject({
  extension: extension.optional(),
  skills: z.array(skill).max(20).optional(),
});
export const setAgentStateBody = z
  .strictObject({
    state: z.enum(AGENT_SELF_STATES),
    reason: z.string().trim().min(1).max(50).optional().describe('Why the agent takes a break (小休): 用餐, 培训 …'),
  })
  .refine((b) => b.state !== 'break' || !!b.reason, { path: ['reason'], message: 'a break needs a reason' });

export const callLiveView = z.object({
  at: z.string(),
  agents: z.array(callAgent),
  queues: z.array(
    z.object({
      queueId: z.string(),
      queueName: z.string(),
      hotlineId: z.string(),
      hotlineNumber: z.string(),
      skill: z.string().nullable(),
      waiting: z.number().int(),
      longestWaitSeconds: z.number().int().nullable(),
    }),
  ),
});
export type CallLiveView = z.output<typeof callLiveView>;

// ── Hotlines and queues ─────────────────────────────────────────────────────────────────────

export const callQueue = z.object({
  id: z.string(),
  hotlineId: z.string(),
  name: z.string(),
  skill: z.string().nullable(),
  overflowSeconds: z.number().int(),
  active: z.boolean(),
});
export const callHotline = z.object({
  id: z.string(),
  number: z.string(),
  name: z.string(),
  regionCode: z.string(),
  active: z.boolean(),
  queues: z.array(callQueue),
});
export type CallHotline = z.output<typeof callHotline>;

const hotlineNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9-]{3,20}$/, 'digits (and dashes): 968962, 12349, 027-12345678');
export const hotlineBody = z.strictObject({
  number: hotlineNumber,
  name: z.string().trim().min(1).max(50),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a region code'),
  active: z.boolean().optional(),
});
export const hotlinePatch = z.strictObject({
  name: z.string().trim().min(1).max(50).optional(),
  active: z.boolean().optional(),
});
export const queueBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  skill: skill.nullable().optional(),
  overflowSeconds: z.number().int().min(5).max(3600).optional(),
  active: z.boolean().optional(),
});
export const queuePatch = queueBody.partial().strict();

// ── CTI events (webhooks in) ────────────────────────────────────────────────────────────────

const isoTime = z.iso.datetime({ offset: true });
const eventBase = {
  /** The telephony's unique id of this event: a resend with the same id changes nothing. */
  eventId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, '1 to 100 letters, digits, _ . : @ -'),
  /** The telephony's id of the call all its events share. */
  callId: z.string().regex(/^[A-Za-z0-9_.:@-]{1,100}$/, '1 to 100 letters, digits, _ . : @ -'),
  /** When it happened at the telephony (ISO 8601 with offset): events are applied in this order. */
  occurredAt: isoTime,
};
const phoneNumber = z.string().trim().min(1).max(32);
/** An outside number a call can be transferred to: digits (and a leading +), 3 to 20 of them. */
const outsideNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{3,20}$/, '3 to 20 digits, optionally after a +');

export const ctiEventBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('call.offered'),
    ...eventBase,
    /** The hotline number dialled (968962); names the hotline, its region and queue. */
    hotline: hotlineNumber,
    caller: phoneNumber,
    called: phoneNumber.optional(),
    /** A 一键通 terminal's key when the telephony knows it: red SOS or green service key. */
    terminalKey: z.enum(['sos', 'service']).optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
  }),
  z.strictObject({ type: z.literal('call.ringing'), ...eventBase, extension }),
  /** The agent's phone rang and nobody answered in time: the call goes back to the queue. */
  z.strictObject({ type: z.literal('call.not_answered'), ...eventBase, extension }),
  z.strictObject({ type: z.literal('call.answered'), ...eventBase, extension: extension.optional() }),
  z.strictObject({ type: z.literal('call.transferred'), ...eventBase, toExtension: extension }),
  /**
   * 转外线: an outside number (a family member, 120, the family doctor) answered the caller the
   * agent transferred; the agent's part is over (after-call work), the call goes on until call.ended.
   */
  z.strictObject({ type: z.literal('call.transferred_out'), ...eventBase, toNumber: outsideNumber }),
  z.strictObject({ type: z.literal('call.ended'), ...eventBase, outcome: z.enum(CALL_OUTCOMES) }),
  /**
   * A recording of the call is finished. A call may have several (after 转接 the next agent's leg
   * is recorded apart): each distinct `recordingRef` is one part, ordered by `startedAt`; the same
   * reference reported again (another event id) changes nothing. `extension` names the agent whose
   * leg it is, `startedAt` / `seconds` the recording's own times (optional: without them the part
   * starts when the event happened and has no length).
   */
  z.strictObject({
    type: z.literal('call.recording_ready'),
    ...eventBase,
    recordingRef: z.string().trim().min(1).max(500),
    extension: extension.optional(),
    startedAt: isoTime.optional(),
    seconds: z.number().int().min(0).max(86_400).optional(),
  }),
]);
export type CtiEvent = z.output<typeof ctiEventBody>;
export type CtiEventType = CtiEvent['type'];

export const ctiEventResult = z.object({
  /** applied: the call changed; duplicate: this event id was seen before; stale: an older event after a newer one, kept but not applied. */
  status: z.enum(['applied', 'duplicate', 'stale']),
  eventId: z.string(),
  /** Zhiyang's id of the call record. */
  callId: z.string(),
});

export const ctiRouteBody = z.strictObject({
  hotline: hotlineNumber,
  caller: phoneNumber,
  /** Seconds the call has waited in the queue; at the queue's overflow time it goes to the alarm centre's operators. */
  waitedSeconds: z.number().int().min(0).max(86_400).optional(),
});
export const ctiRouteResult = z.object({
  /** The extension to ring, or null: nobody free, keep the caller queued and ask again. */
  extension: z.string().nullable(),
  userId: z.string().nullable(),
  reason: z.enum(['affinity', 'longest_idle', 'overflow', 'none']),
  queueId: z.string().nullable(),
});

/**
 * Commands out (docs/cti.md): what the console asks the telephony through the configured adapter.
 * `sent`: the telephony took it (what follows comes back as CTI events); `manual`: a person does it
 * on a desk phone (no PBX), and for a dial the answer carries the number to dial.
 */
export const telephonyInfo = z.object({
  /** The configured adapter: `manual` (no PBX), `simulator` (the built-in phone simulator) or a PBX driver. */
  adapter: z.string(),
  /** Whether answer, hang up and transfer from the console reach a phone (false: the desk phone does it). */
  controls: z.boolean(),
  /**
   * The console's softphone (docs/telephony.md), when the server has SIP_WS_URL and SIP_AUTH_SECRET
   * and the caller is an agent: where to register and the agent's own expiring credential
   * (digest user `<expiry>:<extension>`, password derived from it). Null otherwise.
   */
  sip: z
    .object({
      wsUrl: z.string(),
      /** The agent's SIP address: sip:<extension>@<domain>. */
      uri: z.string(),
      authorizationUser: z.string(),
      password: z.string(),
      /** When the credential stops working (ISO 8601): the console fetches a new one before. */
      expiresAt: z.string(),
      /**
       * Seconds the softphone rings before it declines the call as not answered (480): the agent
       * is then on a break (未接听) and the call is offered to another agent.
       */
      ringSeconds: z.number().int().positive(),
    })
    .nullable()
    .optional(),
});
export type TelephonyInfo = z.output<typeof telephonyInfo>;

export const dialBody = z.strictObject({
  elderId: z.uuid(),
  /** A contact of the elder (家属) to call instead of the elder. */
  contactId: z.uuid().optional(),
});
export const commandResult = z.object({
  status: z.enum(['sent', 'manual']),
  /** The call record, once the telephony has reported the call (a sent dial through a PBX may report it later). */
  callId: z.string().nullable(),
  externalCallId: z.string().nullable(),
  /** A manual dial: the number to dial on the desk phone (the dial is audited). Otherwise null. */
  number: z.string().nullable(),
  numberMasked: z.string().nullable(),
  /**
   * A dial through Zhiyang's own telephony (CTI_ADAPTER=kamailio): the console's softphone places
   * the call itself, to `target` with `extraHeaders` (the signed dial ticket Kamailio checks).
   */
  softphone: z
    .object({ target: z.string(), extraHeaders: z.array(z.string()) })
    .nullable()
    .optional(),
});
export type CallCommandResult = z.output<typeof commandResult>;
/** 转接: to another agent (toUserId), or 转外线 to an outside number (toNumber); exactly one of them. */
export const transferBody = z.union([z.strictObject({ toUserId: z.uuid() }), z.strictObject({ toNumber: outsideNumber })]);
export type TransferBody = z.input<typeof transferBody>;
/** An agent a call can be transferred to (转接): at work, in the caller's reach. */
export const transferTarget = z.object({
  userId: z.string(),
  displayName: z.string(),
  extension: z.string(),
  state: z.enum(AGENT_STATES),
});
export type TransferTarget = z.output<typeof transferTarget>;

const tags = ['calls'];
const userIdParams = z.object({ userId: z.uuid() });
const idParams = z.object({ id: z.uuid() });

/** The routes of the call centre's telephony side. */
export const ctiContract = {
  listAgents: route({
    method: 'GET',
    path: '/call-agents',
    permission: 'call:supervise',
    tags,
    summary: 'Agents (坐席) with their state and time in state',
    response: listOf(callAgent),
  }),
  registerAgent: route({
    method: 'POST',
    path: '/call-agents',
    permission: 'call:supervise',
    audit: 'call.agent.register',
    tags,
    summary: 'Make a user who may take calls an agent, with an extension and skills',
    body: registerAgentBody,
    response: { 201: callAgent },
  }),
  updateAgent: route({
    method: 'PATCH',
    path: '/call-agents/:userId',
    permission: 'call:supervise',
    audit: 'call.agent.update',
    tags,
    summary: "Change an agent's extension or skills",
    params: userIdParams,
    body: updateAgentBody,
    response: callAgent,
  }),
  transferTargets: route({
    method: 'GET',
    path: '/call-agents/transfer-targets',
    permission: 'call:take',
    tags,
    summary: 'The other agents at work (not 离线) a call can be transferred to (转接)',
    response: listOf(transferTarget),
  }),
  myAgent: route({
    method: 'GET',
    path: '/call-agents/me',
    permission: 'call:take',
    tags,
    summary: "The caller's own agent record and state",
    response: callAgent,
  }),
  setMyState: route({
    method: 'PUT',
    path: '/call-agents/me/state',
    permission: 'call:take',
    audit: 'call.agent.state',
    tags,
    summary: 'Set the own state: 空闲 idle, 小休 break (with a reason) or 离线 offline',
    body: setAgentStateBody,
    response: callAgent,
  }),
  liveView: route({
    method: 'GET',
    path: '/call-centre/live',
    permission: 'call:supervise',
    tags,
    summary: "The supervisor's live view: every agent's state and time in it, calls waiting per queue",
    response: callLiveView,
  }),
  listHotlines: route({
    method: 'GET',
    path: '/call-hotlines',
    permission: 'call:supervise',
    tags,
    summary: 'Hotlines (热线) and their queues in the caller’s region',
    response: listOf(callHotline),
  }),
  createHotline: route({
    method: 'POST',
    path: '/call-hotlines',
    permission: 'call:supervise',
    audit: 'call.hotline.create',
    tags,
    summary: 'Add a hotline',
    body: hotlineBody,
    response: { 201: callHotline },
  }),
  updateHotline: route({
    method: 'PATCH',
    path: '/call-hotlines/:id',
    permission: 'call:supervise',
    audit: 'call.hotline.update',
    tags,
    summary: 'Rename or (de)activate a hotline',
    params: idParams,
    body: hotlinePatch,
    response: callHotline,
  }),
  createQueue: route({
    method: 'POST',
    path: '/call-hotlines/:id/queues',
    permission: 'call:supervise',
    audit: 'call.queue.create',
    tags,
    summary: 'Add a queue to a hotline (a skill, the overflow time)',
    params: idParams,
    body: queueBody,
    response: { 201: callQueue },
  }),
  updateQueue: route({
    method: 'PATCH',
    path: '/call-queues/:id',
    permission: 'call:supervise',
    audit: 'call.queue.update',
    tags,
    summary: "Change a queue's name, skill, overflow time or activity",
    params: idParams,
    body: queuePatch,
    response: callQueue,
  }),
  ctiEvent: route({
    method: 'POST',
    path: '/cti/events',
    auth: 'public',
    audit: 'cti.event',
    tags,
    summary: 'CTI webhook (v1): a telephony event, signed with CTI_SECRET (X-Timestamp, X-Signature); docs/cti.md',
    body: ctiEventBody,
    response: ctiEventResult,
  }),
  ctiRoute: route({
    method: 'POST',
    path: '/cti/route',
    auth: 'public',
    audit: 'cti.route',
    tags,
    summary: 'CTI routing (v1): which agent should take a call from this number on this hotline; signed like the events',
    body: ctiRouteBody,
    response: ctiRouteResult,
  }),
  simulatorEvent: route({
    method: 'POST',
    path: '/cti/simulator/events',
    permission: 'call:supervise',
    audit: 'cti.simulate',
    tags,
    summary:
      'The built-in phone simulator: an unsigned CTI event through the same intake (off in production unless CTI_SIMULATOR=on)',
    body: ctiEventBody,
    response: ctiEventResult,
  }),
  telephony: route({
    method: 'GET',
    path: '/cti/telephony',
    permission: 'call:take',
    tags,
    summary: 'Which telephony adapter is configured and whether the console can answer and hang up through it',
    response: telephonyInfo,
  }),
  dial: route({
    method: 'POST',
    path: '/calls/dial',
    permission: 'call:take',
    audit: 'call.dial',
    tags,
    summary: "Click to dial: call the elder (or a contact) from the agent's extension through the adapter",
    body: dialBody,
    response: commandResult,
  }),
  answerCall: route({
    method: 'POST',
    path: '/calls/:id/answer',
    permission: 'call:take',
    audit: 'call.answer',
    tags,
    summary: 'Answer the call ringing for the agent (through the adapter)',
    params: idParams,
    response: commandResult,
  }),
  hangUpCall: route({
    method: 'POST',
    path: '/calls/:id/hang-up',
    permission: 'call:take',
    audit: 'call.hang-up',
    tags,
    summary: "Hang up the agent's call (through the adapter)",
    params: idParams,
    response: commandResult,
  }),
  transferCall: route({
    method: 'POST',
    path: '/calls/:id/transfer',
    permission: 'call:take',
    audit: 'call.transfer',
    tags,
    summary: "Transfer the agent's call to another agent or an outside number (through the adapter)",
    params: idParams,
    body: transferBody,
    response: commandResult,
  }),
};
