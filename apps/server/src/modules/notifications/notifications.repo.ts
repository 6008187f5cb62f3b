import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { notificationAttempts, notifications } from '../alarms/alarms.schema.ts';

export type NoticeRow = typeof notifications.$inferSelect;

/** Insert a notice; undefined when one for the same (alarm, contact, reason) exists already. */
export async function insertNotice(db: DbOrTx, row: typeof notifications.$inferInsert): Promise<string | undefined> {
  const [n] = await db.insert(notifications).values(row).onConflictDoNothing().returning({ id: notifications.id });
  return n?.id;
}

export async function findNotice(db: DbOrTx, id: string): Promise<NoticeRow | undefined> {
  return (await db.select().from(notifications).where(eq(notifications.id, id)).limit(1))[0];
}

/** Record one delivery attempt and count it on the notice. */
export async function recordAttempt(
  db: DbOrTx,
  id: string,
  attempt: { provider: string; ok: boolean; error?: string },
  patch: Pick<Partial<NoticeRow>, 'status' | 'lastError' | 'sentAt'>,
) {
  await db.insert(notificationAttempts).values({ notificationId: id, ...attempt });
  await db
    .update(notifications)
    .set({ ...patch, attempts: sql`${notifications.attempts} + 1` })
    .where(eq(notifications.id, id));
}

/** Notices of one elder (`elderId`, null for none) or, for staff, in the actor's region. */
export async function listNotices(
  db: DbOrTx,
  scope: { elderId: string | null } | { actor: Actor },
  f: { alarmId?: string; status?: NoticeRow['status'] },
  limit: number,
  offset: number,
) {
  const visible =
    'elderId' in scope
      ? scope.elderId
        ? eq(notifications.elderId, scope.elderId)
        : sql`false`
      : regionScope(notifications.regionCode, scope.actor);
  return db
    .select()
    .from(notifications)
    .where(
      and(
        visible,
        f.alarmId ? eq(notifications.alarmId, f.alarmId) : undefined,
        f.status ? eq(notifications.status, f.status) : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt))
    .limit(limit)
    .offset(offset);
}
