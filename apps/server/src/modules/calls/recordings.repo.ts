import { and, asc, eq, gt, isNotNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { calls } from './calls.schema.ts';

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

/**
 * Calls whose recording is past retention — the call ended (or, never ended, was offered) before
 * `cutoff` — in id order after `after`. References that are URLs belong to another recorder's
 * store and its own retention, so they are left out.
 */
export async function recordingsDue(db: DbOrTx, cutoff: Date, after: string | null, limit: number) {
  return db
    .select(recordingColumns)
    .from(calls)
    .where(
      and(
        isNotNull(calls.recordingRef),
        sql`${calls.recordingRef} !~* '^[a-z][a-z0-9+.-]*://'`,
        lt(sql`coalesce(${calls.endedAt}, ${calls.offeredAt})`, cutoff),
        after ? gt(calls.id, after) : undefined,
      ),
    )
    .orderBy(asc(calls.id))
    .limit(limit);
}

/** Forget the call's recording, if it still names `ref` (a second run, or a newer recording, changes nothing). */
export async function clearRecording(db: DbOrTx, id: string, ref: string) {
  const rows = await db
    .update(calls)
    .set({ recordingRef: null, updatedAt: new Date() })
    .where(and(eq(calls.id, id), eq(calls.recordingRef, ref)))
    .returning({ id: calls.id });
  return rows.length > 0;
}
