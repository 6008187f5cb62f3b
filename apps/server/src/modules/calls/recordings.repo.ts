import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, gte, isNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { users } from '../users/users.schema.ts';
import { callRecordings, calls } from './calls.schema.ts';

/** Call recordings: SQL only. A call is reached by the staff of its region subtree (else 404). */

const recordingColumns = {
  id: calls.id,
  regionCode: calls.regionCode,
  agentUserId: calls.agentUserId,
  recordingRef: calls.recordingRef,
};

/** The call's recording reference and who may hear it, if the call lies in the actor's region subtree. */
export async function findCallRecording(db: DbOrTx, actor: Actor, id: string) {
  const rows = await db
    .select(recordingColumns)
    .from(calls)
    .where(and(eq(calls.id, id), regionScope(calls.regionCode, actor)))
    .limit(1);
  return rows[0];
}

const agents = alias(users, 'recording_agent_user');

/** The call's recordings in the order they started (ties: the order they were reported), with each part's agent. */
export async function partsOf(db: DbOrTx, callId: string) {
  return db
    .select({
      id: callRecordings.id,
      ref: callRecordings.ref,
      agentUserId: callRecordings.agentUserId,
      agentName: agents.displayName,
      startedAt: callRecordings.startedAt,
      seconds: callRecordings.seconds,
    })
    .from(callRecordings)
    .leftJoin(agents, eq(agents.id, callRecordings.agentUserId))
    .where(eq(callRecordings.callId, callId))
    .orderBy(asc(callRecordings.startedAt), asc(callRecordings.createdAt), asc(callRecordings.id));
}
export type RecordingPart = Awaited<ReturnType<typeof partsOf>>[number];

/** A recording of the call, once: its part id, or null when the same reference was reported before. */
export async function addPart(
  db: DbOrTx,
  p: { callId: string; ref: string; agentUserId: string | null; startedAt: Date; seconds: number | null; eventId: string },
) {
  const rows = await db
    .insert(callRecordings)
    .values({ id: randomUUID(), ...p })
    .onConflictDoNothing({ target: [callRecordings.callId, callRecordings.ref] })
    .returning({ id: callRecordings.id });
  return rows[0]?.id ?? null;
}

/** calls.recording_ref follows the first part (null once none is left): the single-recording API reads it. */
export async function syncFirstRef(db: DbOrTx, callId: string) {
  await db
    .update(calls)
    .set({
      recordingRef: sql`(select r.ref from ${callRecordings} r where r.call_id = ${callId}
        order by r.started_at, r.created_at, r.id limit 1)`,
      updatedAt: new Date(),
    })
    .where(eq(calls.id, callId));
}

/**
 * Recordings past retention — their call ended (or, never ended, was offered) before `cutoff` —
 * every part of such a call, in part id order after `after`. References that are URLs belong to
 * another recorder's store and its own retention, so they are left out.
 */
export async function recordingsDue(db: DbOrTx, cutoff: Date, after: string | null, limit: number) {
  return db
    .select({
      partId: callRecordings.id,
      id: calls.id,
      regionCode: calls.regionCode,
      recordingRef: callRecordings.ref,
    })
    .from(callRecordings)
    .innerJoin(calls, eq(calls.id, callRecordings.callId))
    .where(
      and(
        sql`${callRecordings.ref} !~* '^[a-z][a-z0-9+.-]*://'`,
        lt(sql`coalesce(${calls.endedAt}, ${calls.offeredAt})`, cutoff),
        after ? gt(callRecordings.id, after) : undefined,
      ),
    )
    .orderBy(asc(callRecordings.id))
    .limit(limit);
}

/**
 * Recordings whose file is not sealed yet, in part id order after `after` (or just `partId`), of
 * calls that ended (or, never ended, were offered) at or after `since`: older ones are the
 * retention job's, which must not find a file it deleted put back by a sealer's rename. URLs are
 * another recorder's store: never sealed here.
 */
export async function partsToSeal(db: DbOrTx, o: { after: string | null; partId?: string; since: Date; limit: number }) {
  return db
    .select({ partId: callRecordings.id, callId: callRecordings.callId, ref: callRecordings.ref })
    .from(callRecordings)
    .innerJoin(calls, eq(calls.id, callRecordings.callId))
    .where(
      and(
        isNull(callRecordings.sealedAt),
        sql`${callRecordings.ref} !~* '^[a-z][a-z0-9+.-]*://'`,
        gte(sql`coalesce(${calls.endedAt}, ${calls.offeredAt})`, o.since),
        o.partId ? eq(callRecordings.id, o.partId) : undefined,
        o.after ? gt(callRecordings.id, o.after) : undefined,
      ),
    )
    .orderBy(asc(callRecordings.id))
    .limit(o.limit);
}

/** The part's file is sealed now. */
export async function markSealed(db: DbOrTx, partId: string) {
  await db
    .update(callRecordings)
    .set({ sealedAt: new Date() })
    .where(and(eq(callRecordings.id, partId), isNull(callRecordings.sealedAt)));
}

/** Forget one recording of the call (a second run changes nothing); the call's first reference follows. */
export async function clearRecording(db: DbOrTx, id: string, partId: string) {
  const rows = await db
    .delete(callRecordings)
    .where(and(eq(callRecordings.id, partId), eq(callRecordings.callId, id)))
    .returning({ id: callRecordings.id });
  if (rows.length === 0) return false;
  await syncFirstRef(db, id);
  return true;
}
