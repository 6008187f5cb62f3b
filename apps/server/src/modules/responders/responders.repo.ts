import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { alarmDispatches, alarms, responderStatus } from '../alarms/alarms.schema.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';

export type ResponderStatusRow = typeof responderStatus.$inferSelect;

export async function upsertStatus(db: DbOrTx, values: typeof responderStatus.$inferInsert) {
  await db.insert(responderStatus).values(values).onConflictDoUpdate({ target: responderStatus.userId, set: values });
}

export async function findStatus(db: DbOrTx, userId: string): Promise<ResponderStatusRow | undefined> {
  return (await db.select().from(responderStatus).where(eq(responderStatus.userId, userId)).limit(1))[0];
}

/**
 * Active accounts on duty with a position newer than `freshMinutes`, responsible for `regionCode`
 * (no region, or a region whose subtree holds it); `busy` when on another alarm.
 */
export async function respondersOnDuty(db: DbOrTx, regionCode: string, freshMinutes: number) {
  return queryRows<{
    id: string;
    display_name: string;
    role: string;
    region_code: string | null;
    lat: number | null;
    lng: number | null;
    seen_at: Date;
    busy: boolean;
  }>(
    db,
    sql`
    SELECT u.id, u.display_name, u.role, u.region_code, s.lat, s.lng, s.seen_at,
      EXISTS (SELECT 1 FROM alarm_dispatches d WHERE d.responder_id = u.id AND d.status IN ('accepted', 'en_route', 'on_site')) AS busy
    FROM responder_status s JOIN users u ON u.id = s.user_id
    WHERE s.on_duty AND u.status = 'active' AND s.seen_at > now() - make_interval(mins => ${freshMinutes})
      AND u.role IN ('responder', 'community_staff', 'service_worker')
      AND (u.region_code IS NULL OR ${regionCode} LIKE u.region_code || '%')`,
  );
}

/** A responder's dispatches still to do, oldest offer first, with the alarm and the elder's address. */
export async function activeDispatchesOf(db: DbOrTx, responderId: string) {
  return db
    .select({
      d: alarmDispatches,
      a: alarms,
      elderName: elders.name,
      elderPrivate: privateBox('elders'),
      lat: elders.lat,
      lng: elders.lng,
    })
    .from(alarmDispatches)
    .innerJoin(alarms, eq(alarms.id, alarmDispatches.alarmId))
    .leftJoin(elders, eq(elders.id, alarms.elderId))
    .where(
      and(
        eq(alarmDispatches.responderId, responderId),
        inArray(alarmDispatches.status, ['offered', 'accepted', 'en_route', 'on_site']),
      ),
    )
    .orderBy(alarmDispatches.offeredAt);
}
