import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { elders } from '../elders/elders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { allowanceVerifications } from './allowances.schema.ts';
import { allowanceSurvivalAttempts, allowanceSurvivalChallenges, allowanceVisitTasks } from './survival.schema.ts';

/** The queries of remote survival verification. */

export type ChallengeRow = typeof allowanceSurvivalChallenges.$inferSelect;
export type AttemptRow = typeof allowanceSurvivalAttempts.$inferSelect;

export async function insertChallenge(db: DbOrTx, c: typeof allowanceSurvivalChallenges.$inferInsert) {
  return (await db.insert(allowanceSurvivalChallenges).values(c).returning())[0];
}

/** The challenge, only for the account that started it (anyone else: undefined, a 404). */
export async function findOwnChallenge(db: DbOrTx, actorId: string, id: string) {
  return (
    await db
      .select()
      .from(allowanceSurvivalChallenges)
      .where(and(eq(allowanceSurvivalChallenges.id, id), eq(allowanceSurvivalChallenges.createdBy, actorId)))
      .limit(1)
  )[0];
}

/** Use the challenge once: true for the one caller that finds it unused and unexpired. */
export async function consumeChallenge(db: DbOrTx, id: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE allowance_survival_challenges SET used_at = now()
         WHERE id = ${id} AND used_at IS NULL AND expires_at > now() RETURNING id`,
  );
  return rows.length === 1;
}

export async function insertAttempt(db: DbOrTx, a: typeof allowanceSurvivalAttempts.$inferInsert) {
  return (await db.insert(allowanceSurvivalAttempts).values(a).returning())[0];
}

export async function failuresIn(db: DbOrTx, applicationId: string, period: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM allowance_survival_attempts
         WHERE application_id = ${applicationId} AND period = ${period} AND result = 'failed'`,
  );
  return r.n;
}

export const attemptsOf = (db: DbOrTx, applicationId: string, limit = 50) =>
  db
    .select()
    .from(allowanceSurvivalAttempts)
    .where(eq(allowanceSurvivalAttempts.applicationId, applicationId))
    .orderBy(desc(allowanceSurvivalAttempts.at))
    .limit(limit);

export const verificationsOf = (db: DbOrTx, elderId: string, limit = 36) =>
  db
    .select()
    .from(allowanceVerifications)
    .where(eq(allowanceVerifications.elderId, elderId))
    .orderBy(desc(allowanceVerifications.at))
    .limit(limit);

export async function passedIn(db: DbOrTx, elderId: string, period: string) {
  const rows = await db
    .select({ id: allowanceVerifications.id })
    .from(allowanceVerifications)
    .where(
      and(
        eq(allowanceVerifications.elderId, elderId),
        eq(allowanceVerifications.period, period),
        eq(allowanceVerifications.result, 'passed'),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The visit task of an application and period, created once (undefined when it already existed). */
export async function insertVisitTask(db: DbOrTx, t: typeof allowanceVisitTasks.$inferInsert) {
  return (await db.insert(allowanceVisitTasks).values(t).onConflictDoNothing().returning())[0];
}

function taskQuery(db: DbOrTx) {
  return db
    .select({
      task: allowanceVisitTasks,
      elderName: elders.name,
      regionName: regions.name,
      failures: sql<number>`(SELECT count(*)::int FROM allowance_survival_attempts a
        WHERE a.application_id = ${allowanceVisitTasks.applicationId} AND a.period = ${allowanceVisitTasks.period}
          AND a.result = 'failed')`,
    })
    .from(allowanceVisitTasks)
    .innerJoin(elders, eq(elders.id, allowanceVisitTasks.elderId))
    .leftJoin(regions, eq(regions.code, allowanceVisitTasks.regionCode));
}
export type VisitTaskRow = Awaited<ReturnType<typeof listVisitTasks>>[number];

/** Visit tasks whose elder the actor sees, open first and newest first. */
export function listVisitTasks(db: DbOrTx, actor: Actor, status?: 'open' | 'done') {
  return taskQuery(db)
    .where(and(elderVisibleTo(actor, elders.id, elders.regionCode), status ? eq(allowanceVisitTasks.status, status) : undefined))
    .orderBy(sql`${allowanceVisitTasks.status} = 'done'`, desc(allowanceVisitTasks.createdAt))
    .limit(500);
}

export const visitTasksOf = (db: DbOrTx, applicationId: string) =>
  taskQuery(db).where(eq(allowanceVisitTasks.applicationId, applicationId)).orderBy(desc(allowanceVisitTasks.createdAt));

export async function findVisitTask(db: DbOrTx, actor: Actor, id: string) {
  return (
    await taskQuery(db)
      .where(and(eq(allowanceVisitTasks.id, id), elderVisibleTo(actor, elders.id, elders.regionCode)))
      .limit(1)
  )[0];
}

export async function closeVisitTask(db: DbOrTx, id: string, by: Actor, note: string) {
  const rows = await db
    .update(allowanceVisitTasks)
    .set({ status: 'done', doneAt: new Date(), doneBy: by.id, doneByName: by.displayName, note })
    .where(and(eq(allowanceVisitTasks.id, id), eq(allowanceVisitTasks.status, 'open')))
    .returning({ id: allowanceVisitTasks.id });
  return rows.length === 1;
}
