import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { isMobile, normalisePhone } from '../../lib/http.ts';
import { ageOnDay } from '../allowances/allowances.rules.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { visibleCanteen } from './canteens.service.ts';
import * as repo from './kiosk.repo.ts';
import { asDay } from './meals.repo.ts';

/**
 * The kiosk's fallback when the face is not enough (docs/meals.md, Kiosk): the elder's QR card,
 * the ID card number, its last 4 characters, the phone or its last 4 digits, or staff searching by name — always only
 * among the elders this canteen serves (its communities and delivery area). What was typed is
 * matched on the archive's blind indexes and never stored; the answer carries no number.
 */
export function kioskKey(
  ctx: AppContext,
  raw: string,
  qrIds: () => Promise<string[]>,
  by?: 'idTail4' | 'phoneTail4',
): Promise<repo.KioskKey> | repo.KioskKey {
  const q = raw.trim().replace(/\s+/g, '');
  if (/^ZYQR1\.[0-9a-f]{8,}$/i.test(q)) {
    return qrIds().then((ids) => ({ kind: 'ids' as const, ids: ids.filter((id) => elderQrToken(ctx, id) === q) }));
  }
  if (/^\d{17}[\dXx]$/.test(q)) return { kind: 'idHash', hash: ctx.cipher.blindIndex(q.toUpperCase(), 'id_number') };
  if (isMobile(q)) return { kind: 'phoneHash', hash: ctx.cipher.blindIndex(normalisePhone(q), 'phone') };
  // Four digits are the last 4 of the ID number or of the phone: the kiosk says which (`by`);
  // without it both indexes are searched. An X ends only an ID number.
  if (/^\d{4}$/.test(q) && by !== 'idTail4') {
    const phoneHash = ctx.cipher.blindIndex(q, 'phone');
    if (by === 'phoneTail4') return { kind: 'phoneTail4', hash: phoneHash };
    return { kind: 'tail4', idHash: ctx.cipher.blindIndex(q, 'id_number'), phoneHash };
  }
  if (/^\d{3}[\dXx]$/.test(q)) return { kind: 'idTail4', hash: ctx.cipher.blindIndex(q.toUpperCase(), 'id_number') };
  return { kind: 'name', text: /^[A-Za-z]+$/.test(q) ? q.toLowerCase() : q };
}

export async function findKioskElders(
  ctx: AppContext,
  actor: Actor,
  canteenId: string,
  q: string,
  by?: 'idTail4' | 'phoneTail4',
) {
  const c = await visibleCanteen(ctx, actor, canteenId);
  if (!can(actor, 'meal:serve', { orgId: c.id, regionCode: c.region_code })) throw notFound('Canteen');
  const key = await kioskKey(ctx, q, () => repo.servedElderIds(ctx.db, actor, c.id), by);
  const rows = await repo.findServedElders(ctx.db, actor, c.id, key);
  const today = cstDate();
  // The trail says how the elder was looked for and how many were found, never what was typed.
  await recordAudit(ctx.db, {
    actor,
    action: 'meal.elder-lookup',
    targetType: 'organization',
    targetId: c.id,
    regionCode: c.region_code,
    detail: { by: key.kind, found: rows.length },
  });
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    sex: r.sex,
    age: ageOnDay(asDay(r.birth_date), today),
    communityName: r.community_name,
  }));
  return { items, total: items.length };
}
