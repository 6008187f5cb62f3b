import type { FreeSlots } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstDayStart } from '../../lib/dates.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { findElderFor } from '../elders/service-elders.repo.ts';
import { bookedStarts, slotProviders } from '../providers/providers.repo.ts';

/** Days ahead the elder may book (today included). */
export const SLOT_DAYS = 7;
/** Visits start within these hours, China time (the elder page offers day-time visits only). */
export const SLOT_HOURS = { from: 8, to: 18 } as const;
/** A slot starting sooner than this is no longer offered: the provider needs time to accept and travel. */
export const SLOT_LEAD_MINUTES = 120;

/**
 * The free time slots of the next 7 days for one item at one elder's home, counted the way
 * dispatch counts them: a provider that serves the elder's community and offers the item has a
 * place in a slot when its orders that day are under its daily capacity and its orders in the
 * slot under its slot capacity (no slot limit when unset). Slots of all such providers that
 * start at the same instant are merged; `free` is the number of places left across them.
 */
export async function freeSlots(
  ctx: AppContext,
  actor: Actor,
  q: { elderId: string; itemId: string },
  now = new Date(),
): Promise<FreeSlots> {
  const elder = await findElderFor(ctx.db, actor, q.elderId);
  if (!elder) throw notFound('Elder');
  if (elder.regionCode.length !== 12) throw conflict("The elder's archive has no community; complete the address first.");
  const firstDay = cstDate(now);
  const from = cstDayStart(firstDay);
  const to = cstDayStart(addDays(firstDay, SLOT_DAYS));
  const providers = await slotProviders(ctx.db, { itemId: q.itemId, regionCode: elder.regionCode, firstDay });
  const booked = await bookedStarts(
    ctx.db,
    providers.map((p) => p.id),
    from.toISOString(),
    to.toISOString(),
  );
  const earliest = now.getTime() + SLOT_LEAD_MINUTES * 60_000;
  const places = new Map<number, { end: number; free: number }>();
  for (const p of providers) {
    const mine = booked.filter((b) => b.provider_id === p.id).map((b) => new Date(b.scheduled_at).getTime());
    const certsUntil = p.certs_until ? cstDate(new Date(p.certs_until)) : firstDay;
    const slotMs = p.slot_minutes * 60_000;
    for (let d = 0; d < SLOT_DAYS; d++) {
      const day = addDays(firstDay, d);
      if (day > certsUntil) break;
      const dayStart = cstDayStart(day).getTime();
      const dayEnd = cstDayStart(addDays(day, 1)).getTime();
      const dayLoad = mine.filter((t) => t >= dayStart && t < dayEnd).length;
      if (dayLoad >= p.daily_capacity) continue;
      for (let start = dayStart; start < dayStart + SLOT_HOURS.to * 3600_000; start += slotMs) {
        if (start < dayStart + SLOT_HOURS.from * 3600_000 || start < earliest) continue;
        const inSlot = mine.filter((t) => t >= start && t < start + slotMs).length;
        const room = Math.min(
          p.daily_capacity - dayLoad,
          p.slot_capacity === null ? p.daily_capacity - dayLoad : p.slot_capacity - inSlot,
        );
        if (room <= 0) continue;
        const prev = places.get(start);
        places.set(start, { end: Math.max(prev?.end ?? 0, start + slotMs), free: (prev?.free ?? 0) + room });
      }
    }
  }
  const slots = [...places.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, s]) => ({
      start: new Date(start).toISOString(),
      end: new Date(s.end).toISOString(),
      day: cstDate(new Date(start)),
      free: s.free,
    }));
  return { elderId: elder.id, itemId: q.itemId, days: SLOT_DAYS, slots };
}
