import { and, asc, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { elderContacts, elders } from '../elders/elders.schema.ts';
import { users } from '../users/users.schema.ts';
import { callAgents, callHotlines, callQueues, calls, ctiEvents } from './calls.schema.ts';

/** The CTI side's SQL: events kept once, the call they build, hotlines by number, routing candidates. */

export type CallRow = typeof calls.$inferSelect;
export type CtiEventRow = typeof ctiEvents.$inferSelect;

/** Keep an event once: false when its id was seen before (nothing written). */
export async function insertEventOnce(
  db: DbOrTx,
  v: { eventId: string; externalId: string; type: string; occurredAt: Date; payload: Record<string, unknown> },
): Promise<boolean> {
  const rows = await db
    .insert(ctiEvents)
    .values(v)
    .onConflictDoNothing({ target: ctiEvents.eventId })
    .returning({ id: ctiEvents.eventId });
  return rows.length > 0;
}

export async function findEvent(db: DbOrTx, eventId: string) {
  return (await db.select().from(ctiEvents).where(eq(ctiEvents.eventId, eventId)))[0];
}

export async function linkEvent(db: DbOrTx, eventId: string, callId: string) {
  await db.update(ctiEvents).set({ callId }).where(eq(ctiEvents.eventId, eventId));
}

/** Every event of a call in the order they happened (receive order breaks ties). */
export async function eventsOf(db: DbOrTx, externalId: string): Promise<CtiEventRow[]> {
  return db
    .select()
    .from(ctiEvents)
    .where(eq(ctiEvents.externalId, externalId))
    .orderBy(asc(ctiEvents.occurredAt), asc(ctiEvents.receivedAt));
}

export async function findCallByExternalId(db: DbOrTx, externalId: string, lock = false): Promise<CallRow | undefined> {
  const q = db.select().from(calls).where(eq(calls.externalId, externalId));
  return (lock ? await q.for('update') : await q)[0];
}

export async function findCall(db: DbOrTx, id: string): Promise<CallRow | undefined> {
  return (await db.select().from(calls).where(eq(calls.id, id)))[0];
}

export async function insertCall(db: DbOrTx, v: typeof calls.$inferInsert): Promise<CallRow> {
  return (await db.insert(calls).values(v).returning())[0];
}

export async function updateCall(db: DbOrTx, id: string, patch: Partial<typeof calls.$inferInsert>) {
  await db
    .update(calls)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(calls.id, id));
}

/** An active hotline by its number and its active queues (first created first). */
export async function hotlineByNumber(db: DbOrTx, number: string) {
  return db
    .select({
      hotlineId: callHotlines.id,
      number: callHotlines.number,
      regionCode: callHotlines.regionCode,
      queueId: callQueues.id,
      skill: callQueues.skill,
      overflowSeconds: callQueues.overflowSeconds,
    })
    .from(callHotlines)
    .leftJoin(callQueues, and(eq(callQueues.hotlineId, callHotlines.id), eq(callQueues.active, true)))
    .where(and(eq(callHotlines.number, number), eq(callHotlines.active, true)))
    .orderBy(asc(callQueues.createdAt));
}

/** The agent id of an extension (CTI events name agents by extension). */
export async function agentIdByExtension(db: DbOrTx, extension: string): Promise<string | undefined> {
  return (await db.select({ userId: callAgents.userId }).from(callAgents).where(eq(callAgents.extension, extension)))[0]?.userId;
}

export interface RouteCandidate {
  user_id: string;
  extension: string;
  skills: string[];
  role: string;
  /** When the agent became free: idle_since, or when an overdue after-call work ran out. */
  free_since: Date | string;
  previous: boolean;
}

/**
 * The routing question's one query: the free agents (idle, or in after-call work past its
 * maximum) whose region contains the hotline's or lies inside it, and which of them last took a
 * call from this number (the caller's previous agent, by the number's blind index).
 */
export async function routeCandidates(db: DbOrTx, regionCode: string, callerHash: string | null, wrapUpMaxSeconds: number) {
  return queryRows<RouteCandidate>(
    db,
    sql`WITH prev AS (
          SELECT agent_user_id FROM ${calls}
           WHERE ${callerHash === null ? sql`false` : sql`caller_hash = ${callerHash}`} AND agent_user_id IS NOT NULL
           ORDER BY offered_at DESC LIMIT 1
        )
        SELECT a.user_id, a.extension, a.skills, u.role,
               CASE WHEN a.state = 'idle' THEN coalesce(a.idle_since, a.state_since)
                    ELSE a.state_since + make_interval(secs => ${wrapUpMaxSeconds}) END AS free_since,
               coalesce(a.user_id = (SELECT agent_user_id FROM prev), false) AS previous
          FROM ${callAgents} a JOIN ${users} u ON u.id = a.user_id
         WHERE (a.state = 'idle' OR (a.state = 'wrap_up' AND a.state_since <= now() - make_interval(secs => ${wrapUpMaxSeconds})))
           AND (a.offered_until IS NULL OR a.offered_until <= now()
                OR ${callerHash === null ? sql`false` : sql`a.offered_to = ${callerHash}`})
           AND u.status = 'active'
           AND (starts_with(${regionCode}, a.region_code) OR starts_with(a.region_code, ${regionCode}))
         ORDER BY free_since ASC
         LIMIT 200`,
  );
}

/**
 * Hold an agent for a routing answer: true when the agent was free of any other caller's hold
 * and is now held for this caller for `seconds` (a conditional update, so two answers at the same
 * moment never name the same agent).
 */
export async function holdAgent(db: DbOrTx, userId: string, callerHash: string, seconds: number): Promise<boolean> {
  const rows = await queryRows<{ user_id: string }>(
    db,
    sql`UPDATE ${callAgents} SET offered_until = now() + make_interval(secs => ${seconds}), offered_to = ${callerHash}
         WHERE user_id = ${userId}
           AND (offered_until IS NULL OR offered_until <= now() OR offered_to = ${callerHash})
        RETURNING user_id`,
  );
  return rows.length === 1;
}

/** The agent who last took a call about this elder (affinity for a terminal's service key). */
export async function previousAgentOfElder(db: DbOrTx, elderId: string): Promise<string | null> {
  const rows = await queryRows<{ agent_user_id: string }>(
    db,
    sql`SELECT agent_user_id FROM ${calls} WHERE elder_id = ${elderId} AND agent_user_id IS NOT NULL ORDER BY offered_at DESC LIMIT 1`,
  );
  return rows[0]?.agent_user_id ?? null;
}

/** Agents of a region who are at work (not offline). */
export async function agentsAtWork(db: DbOrTx, regionCode: string) {
  return queryRows<{ user_id: string }>(
    db,
    sql`SELECT a.user_id FROM ${callAgents} a
         WHERE a.state <> 'offline' AND (starts_with(${regionCode}, a.region_code) OR starts_with(a.region_code, ${regionCode}))`,
  );
}

export async function elderBrief(db: DbOrTx, elderId: string) {
  return (
    await db
      .select({ id: elders.id, name: elders.name, regionCode: elders.regionCode })
      .from(elders)
      .where(eq(elders.id, elderId))
  )[0];
}

export async function hotlineNumberOf(db: DbOrTx, hotlineId: string): Promise<string | null> {
  return (
    (await db.select({ number: callHotlines.number }).from(callHotlines).where(eq(callHotlines.id, hotlineId)))[0]?.number ?? null
  );
}

// Commands out (click to dial, answer, hang up, transfer)

/** The encrypted phone of one of the elder's contacts (undefined: no such contact of this elder). */
export async function contactNumber(db: DbOrTx, elderId: string, contactId: string): Promise<string | undefined> {
  return (
    await db
      .select({ enc: elderContacts.phoneEnc })
      .from(elderContacts)
      .where(and(eq(elderContacts.id, contactId), eq(elderContacts.elderId, elderId)))
      .limit(1)
  )[0]?.enc;
}

/**
 * The number an outbound call shows: an active hotline of the agent's region or the nearest one
 * above it, else one of a region below it (a district agent with street hotlines).
 */
export async function outboundHotline(db: DbOrTx, regionCode: string): Promise<string | null> {
  const above = sql`${regionCode} LIKE ${callHotlines.regionCode} || '%'`;
  const rows = await db
    .select({ number: callHotlines.number })
    .from(callHotlines)
    .where(and(eq(callHotlines.active, true), or(above, sql`${callHotlines.regionCode} LIKE ${regionCode} || '%'`)))
    .orderBy(sql`CASE WHEN ${above} THEN 0 ELSE 1 END`, sql`length(${callHotlines.regionCode}) DESC`, asc(callHotlines.number))
    .limit(1);
  return rows[0]?.number ?? null;
}

// Calls whose end never came (a lost `call.ended`)

/**
 * Telephony calls still open whose last event is older than the limits: ringing (never answered)
 * since `ringingBefore`, or answered since `talkingBefore`. Calls logged by hand are never here.
 */
export async function staleCalls(db: DbOrTx, ringingBefore: Date, talkingBefore: Date) {
  return db
    .select({ id: calls.id })
    .from(calls)
    .where(
      and(
        isNotNull(calls.externalId),
        isNull(calls.endedAt),
        or(
          and(isNull(calls.answeredAt), lt(calls.lastEventAt, ringingBefore)),
          and(isNotNull(calls.answeredAt), lt(calls.lastEventAt, talkingBefore)),
        ),
      ),
    )
    .limit(500);
}

export async function lockCallById(db: DbOrTx, id: string): Promise<CallRow | undefined> {
  return (await db.select().from(calls).where(eq(calls.id, id)).for('update'))[0];
}

/** The agents a call still holds on the line (ringing or talking with it as their current call). */
export async function agentsHeldBy(db: DbOrTx, callId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: callAgents.userId })
    .from(callAgents)
    .where(and(eq(callAgents.currentCallId, callId), inArray(callAgents.state, ['ringing', 'talking'])));
  return rows.map((r) => r.userId);
}
