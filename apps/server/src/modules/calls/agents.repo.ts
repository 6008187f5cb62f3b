import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { users } from '../users/users.schema.ts';
import { type AgentState, callAgentStates, callAgents, callHotlines, callQueues, calls } from './calls.schema.ts';

/** Agents (坐席) and their state history: SQL only. */

const agentColumns = {
  userId: callAgents.userId,
  extension: callAgents.extension,
  skills: callAgents.skills,
  state: callAgents.state,
  breakReason: callAgents.breakReason,
  stateSince: callAgents.stateSince,
  idleSince: callAgents.idleSince,
  currentCallId: callAgents.currentCallId,
  regionCode: callAgents.regionCode,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
};
export type AgentRow = {
  userId: string;
  extension: string;
  skills: string[];
  state: AgentState;
  breakReason: string | null;
  stateSince: Date;
  idleSince: Date | null;
  currentCallId: string | null;
  regionCode: string;
  username: string;
  displayName: string;
  role: string;
};

const agentQuery = (db: DbOrTx) => db.select(agentColumns).from(callAgents).innerJoin(users, eq(users.id, callAgents.userId));

export async function listAgents(db: DbOrTx, actor: Actor): Promise<AgentRow[]> {
  return agentQuery(db).where(regionScope(callAgents.regionCode, actor)).orderBy(asc(callAgents.extension));
}

export async function findAgent(db: DbOrTx, userId: string, opts: { lock?: boolean } = {}): Promise<AgentRow | undefined> {
  const q = agentQuery(db).where(eq(callAgents.userId, userId));
  return (opts.lock ? await q.for('update', { of: callAgents }) : await q)[0];
}

export async function findAgentByExtension(db: DbOrTx, extension: string, opts: { lock?: boolean } = {}) {
  const q = agentQuery(db).where(eq(callAgents.extension, extension));
  return (opts.lock ? await q.for('update', { of: callAgents }) : await q)[0];
}

export async function findUser(db: DbOrTx, userId: string) {
  return (
    await db
      .select({ id: users.id, role: users.role, regionCode: users.regionCode, status: users.status })
      .from(users)
      .where(eq(users.id, userId))
  )[0];
}

export async function insertAgent(db: DbOrTx, v: typeof callAgents.$inferInsert) {
  await db.insert(callAgents).values(v);
  await db
    .insert(callAgentStates)
    .values({ userId: v.userId, state: v.state ?? 'offline', startedAt: v.stateSince ?? new Date() });
}

export async function updateAgent(db: DbOrTx, userId: string, patch: Partial<typeof callAgents.$inferInsert>) {
  await db.update(callAgents).set(patch).where(eq(callAgents.userId, userId));
}

/** Close the open state span and open the next one; move the agent's row to the new state. */
export async function moveState(
  db: DbOrTx,
  userId: string,
  s: { state: AgentState; reason: string | null; at: Date; callId: string | null; idleSince?: Date | null },
) {
  await db
    .update(callAgentStates)
    .set({ endedAt: s.at })
    .where(and(eq(callAgentStates.userId, userId), isNull(callAgentStates.endedAt)));
  await db.insert(callAgentStates).values({ userId, state: s.state, reason: s.reason, startedAt: s.at });
  await db
    .update(callAgents)
    .set({
      state: s.state,
      breakReason: s.state === 'break' ? s.reason : null,
      stateSince: s.at,
      currentCallId: s.callId,
      ...(s.idleSince !== undefined ? { idleSince: s.idleSince } : {}),
      // A routing hold ends with any change of state (the ring came, or the agent left).
      offeredUntil: null,
      offeredTo: null,
    })
    .where(eq(callAgents.userId, userId));
}

export async function stateHistory(db: DbOrTx, userId: string) {
  return db.select().from(callAgentStates).where(eq(callAgentStates.userId, userId)).orderBy(asc(callAgentStates.id));
}

/** Agents whose after-call work has run past the maximum (the sweep settles them). */
export async function expiredWrapUps(db: DbOrTx, maxSeconds: number) {
  return db
    .select({ userId: callAgents.userId })
    .from(callAgents)
    .where(and(eq(callAgents.state, 'wrap_up'), sql`${callAgents.stateSince} <= now() - make_interval(secs => ${maxSeconds})`));
}

export async function endWrapUpOfCall(db: DbOrTx, callId: string, at: Date) {
  await db
    .update(calls)
    .set({ wrapUpEndedAt: at, updatedAt: new Date() })
    .where(and(eq(calls.id, callId), isNull(calls.wrapUpEndedAt)));
}

/** Calls waiting (offered, not answered, not ended) per active queue in the actor's scope. */
export async function waitingPerQueue(db: DbOrTx, actor: Actor) {
  return db
    .select({
      queueId: callQueues.id,
      queueName: callQueues.name,
      hotlineId: callHotlines.id,
      hotlineNumber: callHotlines.number,
      skill: callQueues.skill,
      waiting: sql<number>`count(${calls.id})::int`,
      oldest: sql<Date | string | null>`min(${calls.offeredAt})`,
    })
    .from(callQueues)
    .innerJoin(callHotlines, eq(callHotlines.id, callQueues.hotlineId))
    .leftJoin(calls, and(eq(calls.queueId, callQueues.id), isNull(calls.answeredAt), isNull(calls.endedAt)))
    .where(and(eq(callQueues.active, true), eq(callHotlines.active, true), regionScope(callHotlines.regionCode, actor)))
    .groupBy(callQueues.id, callQueues.name, callHotlines.id, callHotlines.number, callQueues.skill)
    .orderBy(asc(callHotlines.number), asc(callQueues.name));
}

// ── Hotlines and queues ─────────────────────────────────────────────────────────────────────

export type HotlineRow = typeof callHotlines.$inferSelect;
export type QueueRow = typeof callQueues.$inferSelect;

export async function listHotlines(db: DbOrTx, actor: Actor) {
  const hotlines = await db
    .select()
    .from(callHotlines)
    .where(regionScope(callHotlines.regionCode, actor))
    .orderBy(asc(callHotlines.number));
  const queues = hotlines.length
    ? await db
        .select()
        .from(callQueues)
        .where(
          inArray(
            callQueues.hotlineId,
            hotlines.map((h) => h.id),
          ),
        )
        .orderBy(asc(callQueues.createdAt))
    : [];
  return { hotlines, queues };
}

export async function findHotline(db: DbOrTx, id: string): Promise<HotlineRow | undefined> {
  return (await db.select().from(callHotlines).where(eq(callHotlines.id, id)))[0];
}

export async function queuesOf(db: DbOrTx, hotlineId: string): Promise<QueueRow[]> {
  return db.select().from(callQueues).where(eq(callQueues.hotlineId, hotlineId)).orderBy(asc(callQueues.createdAt));
}

export async function insertHotline(db: DbOrTx, v: typeof callHotlines.$inferInsert) {
  return (await db.insert(callHotlines).values(v).returning())[0];
}

export async function updateHotline(db: DbOrTx, id: string, patch: Partial<typeof callHotlines.$inferInsert>) {
  return (
    await db
      .update(callHotlines)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(callHotlines.id, id))
      .returning()
  )[0];
}

export async function findQueue(db: DbOrTx, id: string) {
  return (
    await db
      .select({ queue: callQueues, regionCode: callHotlines.regionCode })
      .from(callQueues)
      .innerJoin(callHotlines, eq(callHotlines.id, callQueues.hotlineId))
      .where(eq(callQueues.id, id))
  )[0];
}

export async function insertQueue(db: DbOrTx, v: typeof callQueues.$inferInsert) {
  return (await db.insert(callQueues).values(v).returning())[0];
}

export async function updateQueue(db: DbOrTx, id: string, patch: Partial<typeof callQueues.$inferInsert>) {
  return (await db.update(callQueues).set(patch).where(eq(callQueues.id, id)).returning())[0];
}
