import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { findAlarmView } from '../alarms/alarms.repo.ts';
import { alarmDispatches, alarms, responderStatus } from '../alarms/alarms.schema.ts';
import { distanceM } from '../alarms/rules.ts';
import { elders } from '../elders/elders.schema.ts';
import { users } from '../users/users.schema.ts';

/** A position older than this does not count as "available". */
const FRESH_MINUTES = 30;

export async function reportStatus(
  ctx: AppContext,
  actor: Actor,
  input: { onDuty: boolean; lat?: number; lng?: number; accuracy?: number },
) {
  const values = {
    userId: actor.id as string,
    onDuty: input.onDuty,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    accuracy: input.accuracy ?? null,
    seenAt: new Date(),
  };
  await ctx.db.insert(responderStatus).values(values).onConflictDoUpdate({ target: responderStatus.userId, set: values });
  return { onDuty: values.onDuty, lat: values.lat, lng: values.lng, seenAt: values.seenAt.toISOString() };
}

/**
 * Responders for an alarm, nearest first: on duty, position fresh, not busy on another alarm,
 * and responsible for the alarm's area (a region-scoped account whose subtree holds it; provider
 * staff on duty are included too).
 */
export async function nearestResponders(ctx: AppContext, actor: Actor, alarmId: string, limit: number) {
  const v = await findAlarmView(ctx.db, alarmId, actor);
  if (!v) throw notFound('Alarm');
  const here = v.elderLat != null && v.elderLng != null ? { lat: v.elderLat, lng: v.elderLng } : null;
  const candidates = await queryRows<{
    id: string;
    display_name: string;
    role: string;
    region_code: string | null;
    lat: number | null;
    lng: number | null;
    seen_at: Date;
    busy: boolean;
  }>(
    ctx.db,
    sql`
    SELECT u.id, u.display_name, u.role, u.region_code, s.lat, s.lng, s.seen_at,
      EXISTS (SELECT 1 FROM alarm_dispatches d WHERE d.responder_id = u.id AND d.status IN ('accepted', 'en_route', 'on_site')) AS busy
    FROM responder_status s JOIN users u ON u.id = s.user_id
    WHERE s.on_duty AND u.status = 'active' AND s.seen_at > now() - make_interval(mins => ${FRESH_MINUTES})
      AND u.role IN ('responder', 'community_staff', 'service_worker')
      AND (u.region_code IS NULL OR ${v.alarm.regionCode} LIKE u.region_code || '%')`,
  );
  const items = candidates
    .map((c) => ({
      userId: c.id,
      name: c.display_name,
      role: c.role,
      busy: c.busy,
      lastSeenAt: new Date(c.seen_at).toISOString(),
      distanceM: here && c.lat != null && c.lng != null ? Math.round(distanceM(here, { lat: c.lat, lng: c.lng })) : null,
    }))
    .sort(
      (a, b) =>
        Number(a.busy) - Number(b.busy) || (a.distanceM ?? Number.MAX_SAFE_INTEGER) - (b.distanceM ?? Number.MAX_SAFE_INTEGER),
    );
  return { items: items.slice(0, limit) };
}

/** The responder's own active tasks, with the address and a navigation link. */
export async function myTasks(ctx: AppContext, actor: Actor) {
  const list = await ctx.db
    .select({ d: alarmDispatches, a: alarms, elderName: elders.name, address: elders.address, lat: elders.lat, lng: elders.lng })
    .from(alarmDispatches)
    .innerJoin(alarms, eq(alarms.id, alarmDispatches.alarmId))
    .leftJoin(elders, eq(elders.id, alarms.elderId))
    .where(
      and(
        eq(alarmDispatches.responderId, actor.id ?? ''),
        inArray(alarmDispatches.status, ['offered', 'accepted', 'en_route', 'on_site']),
      ),
    )
    .orderBy(alarmDispatches.offeredAt);
  const [me] = await ctx.db
    .select()
    .from(responderStatus)
    .where(eq(responderStatus.userId, actor.id ?? ''))
    .limit(1);
  return {
    status: me ? { onDuty: me.onDuty, lat: me.lat, lng: me.lng, seenAt: me.seenAt.toISOString() } : null,
    items: list.map((x) => ({
      dispatchId: x.d.id,
      status: x.d.status,
      alarmId: x.a.id,
      alarmType: x.a.type,
      priority: x.a.priority,
      raisedAt: x.a.raisedAt.toISOString(),
      elderName: x.elderName,
      address: x.address,
      lat: x.lat,
      lng: x.lng,
      navigationUrl:
        x.lat != null && x.lng != null ? `https://uri.amap.com/marker?position=${x.lng},${x.lat}&coordinate=wgs84` : null,
    })),
  };
}

export async function responderName(ctx: AppContext, id: string) {
  const [u] = await ctx.db.select({ name: users.displayName }).from(users).where(eq(users.id, id)).limit(1);
  return u?.name ?? null;
}
