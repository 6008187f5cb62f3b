import { z } from 'zod';
import { ORDER_STATUSES } from '../service.ts';
import { alarm } from './alarms.ts';

/**
 * Domain events: each name with the schema of its data. The server publishes them with
 * `ctx.events.publish(tx, { type, data, audience })` (typed by name) inside the transaction of
 * the change; they reach every server process after commit and, through the WebSocket hub,
 * the users the audience includes (`{ type, data }` per message).
 *
 * An event whose JSON passes PostgreSQL NOTIFY's limit travels as a reference instead:
 * `{ id, partial: true }` (the `id` of its data). Every consumer handles that form: it re-reads
 * the record by id (the console's alarm centre fetches GET /alarms/{id}) or does what it would
 * do without the details. `isPartialEvent` tells the two apart.
 */

const iso = z.string();

/** An alarm as GET /alarms/{id} presents it (alarm.raised, alarm.updated, alarm.escalated). */
export const alarmEventData = alarm;
export type AlarmEventData = z.output<typeof alarmEventData>;

export const EVENTS = {
  'alarm.raised': alarmEventData,
  'alarm.updated': alarmEventData,
  'alarm.escalated': alarmEventData,
  /** A responder was dispatched to an alarm (to that responder only). */
  'alarm.dispatch': z.object({ dispatchId: z.string(), alarmId: z.string(), status: z.string() }),
  'order.updated': z.object({
    id: z.string(),
    no: z.string(),
    status: z.enum(ORDER_STATUSES),
    from: z.enum(ORDER_STATUSES).nullable(),
    action: z.string(),
    elderId: z.string(),
    providerId: z.string().nullable(),
    workerId: z.string().nullable(),
    scheduledAt: iso,
    flags: z.array(z.string()),
    at: iso,
  }),
  /** From a low rating (`source: 'rating'`, with its order and score) or taken on a call (`'call'`). */
  'complaint.opened': z.object({
    id: z.string(),
    source: z.enum(['rating', 'call']),
    orderId: z.string().nullable(),
    callId: z.string().nullable(),
    score: z.number().nullable(),
    dueAt: iso,
  }),
  'assessment.signed': z.object({
    id: z.string(),
    elderId: z.string(),
    level: z.string(),
    total: z.number(),
    nextDue: z.string().nullable(),
    correctsId: z.string().nullable(),
  }),
  'elder.created': z.object({ id: z.string(), regionCode: z.string() }),
  /** `id` is the status change's id; the elder is `elderId`. */
  'elder.status-changed': z.object({
    id: z.string(),
    elderId: z.string(),
    from: z.string(),
    to: z.string(),
    date: z.string(),
    regionCode: z.string(),
  }),
  /** Something changed on an elder's safety page: the family's page re-reads its own view. */
  'family.safety': z.object({ elderId: z.string() }),
  /**
   * A user's role, region, organisation or status changed, or a session of theirs ended: the
   * realtime hub of every process re-reads (or closes) that user's sockets. No browser gets it.
   */
  'user.access-changed': z.object({ userId: z.string() }),
  /**
   * The `regions` table changed (any writer: a trigger sends it, migration 0007): every process
   * drops its in-memory region list (modules/regions/regions.cache.ts). No browser gets it.
   */
  'regions.changed': z.object({}),
  /**
   * The `elders` table changed (any writer: a trigger sends it, migration 0994): every process
   * drops the elder-list pages it keeps (modules/elders/elders.service.ts). No browser gets it.
   */
  'elders.changed': z.object({}),
  /** An agent's (坐席) state changed: the supervisor's live view and the agent's own console follow it. */
  'call.agent': z.object({
    /** The agent's user id (what a partial event carries: re-read GET /call-agents or /call-agents/me). */
    id: z.string(),
    userId: z.string(),
    extension: z.string(),
    state: z.enum(['offline', 'idle', 'ringing', 'talking', 'wrap_up', 'break']),
    from: z.string().nullable(),
    reason: z.string().nullable(),
    callId: z.string().nullable(),
    at: iso,
  }),
  /**
   * A call rings for this agent (or a terminal's green service key was pressed): the console opens
   * the caller's card (弹屏) before answer. `parties` are the records the number matched (none:
   * unknown caller; several: the agent chooses).
   */
  'call.ringing': z.object({
    /** The call's id (what a partial event carries: re-read the call by id). */
    id: z.string(),
    callId: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    terminalKey: z.enum(['sos', 'service']).nullable(),
    hotlineNumber: z.string().nullable(),
    callerMasked: z.string().nullable(),
    partyKind: z.enum(['elder', 'terminal', 'contact', 'unknown']),
    elderId: z.string().nullable(),
    parties: z.array(
      z.object({
        kind: z.enum(['elder', 'terminal', 'contact']),
        elderId: z.string(),
        elderName: z.string(),
        regionCode: z.string(),
        deviceId: z.string().nullable(),
        contactId: z.string().nullable(),
        contactName: z.string().nullable(),
        relationship: z.string().nullable(),
      }),
    ),
    at: iso,
  }),
  /** A downlink command for a device; the gateway process holding the connection publishes it. */
  'device.command': z.object({
    deviceId: z.string(),
    msgId: z.string(),
    command: z.enum(['test_call', 'configure', 'locate', 'silence_siren']),
    data: z.record(z.string(), z.unknown()),
  }),
  /** An institution's beds changed (admission, discharge, a bed's status or devices): its bed boards re-read. */
  'institution.beds-changed': z.object({ orgId: z.string() }),
  /** A care record was kept for a resident (to the institution's staff and the family page). */
  'institution.care-recorded': z.object({ id: z.string(), admissionId: z.string(), orgId: z.string() }),
  /**
   * The risk radar rescored elders of a community (an event about them, or the daily run: then
   * `elderIds` is empty); radar pages of staff over that community re-read their list.
   */
  'risk.updated': z.object({ day: z.string(), elderIds: z.array(z.string()), entered: z.number().int() }),
  /** A canteen served a meal (to its staff and the region's canteen readers); re-read GET /meals/{id}. */
  'meal.served': z.object({ id: z.string(), canteenId: z.string(), elderId: z.string(), subsidyFen: z.number(), at: iso }),
  /** A meal was refunded on its day. */
  'meal.refunded': z.object({ id: z.string(), canteenId: z.string(), elderId: z.string(), subsidyFen: z.number(), at: iso }),
  /** An elder who usually eats at a canteen has not come for some days (to the community's staff). */
  'meal.missed': z.object({ id: z.string(), elderId: z.string(), regionCode: z.string(), daysAbsent: z.number() }),
  /** An allowance application moved (approval step, 公示, suspension, stop); to staff of its region. */
  'allowance.updated': z.object({
    id: z.string(),
    elderId: z.string(),
    regionCode: z.string(),
    status: z.string(),
    action: z.string(),
    at: iso,
  }),
  /** A 优待证 application or card moved (checked, issued, rejected, reissued, revoked); to staff of its region. */
  'privilege-card.updated': z.object({ id: z.string(), elderId: z.string(), regionCode: z.string(), status: z.string() }),
  /** A district's payment roll was generated or approved. */
  'allowance.roll-updated': z.object({ id: z.string(), regionCode: z.string(), month: z.string(), status: z.string() }),
  /** A referral 转诊 moved (接收, 就诊, 完成, 拒绝); `followUpId` is the care follow-up it answers (closed with it). */
  'medical.referral.updated': z.object({
    id: z.string(),
    elderId: z.string(),
    regionCode: z.string(),
    status: z.string(),
    followUpId: z.string().nullable(),
  }),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof EVENTS;
export type EventData<N extends EventName> = z.output<(typeof EVENTS)[N]>;

/** The reference a too-large event travels as. */
export const partialEventData = z.object({ id: z.unknown(), partial: z.literal(true) });
export type PartialEventData = { id: unknown; partial: true };

/** What a consumer of event `N` receives: its data, or the reference to re-read it by. */
export type DeliveredEventData<N extends EventName> = EventData<N> | PartialEventData;

export function isPartialEvent(data: unknown): data is PartialEventData {
  return typeof data === 'object' && data !== null && (data as { partial?: unknown }).partial === true;
}
