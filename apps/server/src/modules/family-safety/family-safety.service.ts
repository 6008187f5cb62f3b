import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { normalisePhone } from '../../lib/http.ts';
import { rulesFor } from '../alarms/event-rules.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { DEVICE_TYPE_INFO, type DeviceType } from '../devices/device-types.ts';
import * as repo from './family-safety.repo.ts';

/**
 * The family member's link: their elder (the only one they may see) and the blind index of their
 * phone, which addresses notices to them. Anything else is a 404, never a 403.
 */
async function linkOf(ctx: AppContext, actor: Actor, elderId?: string) {
  const link = actor.id && can(actor, 'family:bind') ? await repo.familyLink(ctx.db, actor.id) : null;
  if (!link?.elder_id || (elderId !== undefined && link.elder_id !== elderId)) throw notFound('Elder');
  const phoneHash =
    link.phone_hash ?? (link.plain_phone ? ctx.cipher.blindIndex(normalisePhone(link.plain_phone), 'phone') : null);
  return { elderId: link.elder_id, phoneHash };
}

/** The family's elders (today one: the account is bound to one elder by an invite code). */
export async function listFamilyElders(ctx: AppContext, actor: Actor) {
  const link = actor.id && can(actor, 'family:bind') ? await repo.familyLink(ctx.db, actor.id) : null;
  const e = link?.elder_id ? await repo.elderBrief(ctx.db, link.elder_id) : null;
  return { items: e ? [{ id: e.id, name: e.name }] : [] };
}

/**
 * What a family member needs to know about their elder's safety, in one read: open alarms (what,
 * who is handling, responder on the way), alarms closed in the last 30 days with their outcome,
 * each device's state, and the notices sent to this member. The read is audited.
 */
export async function familySafety(ctx: AppContext, actor: Actor, elderId: string) {
  const { phoneHash } = await linkOf(ctx, actor, elderId);
  const e = await repo.elderBrief(ctx.db, elderId);
  if (!e) throw notFound('Elder');
  const [open, closed, devices, notices, rules] = await Promise.all([
    repo.openAlarms(ctx.db, elderId),
    repo.closedAlarms(ctx.db, elderId, 5),
    repo.elderDevices(ctx.db, elderId),
    phoneHash ? repo.noticesTo(ctx.db, elderId, phoneHash, 20) : Promise.resolve([]),
    rulesFor(ctx.db, elderId),
  ]);
  await recordAudit(ctx.db, {
    actor,
    action: 'family.safety.read',
    targetType: 'elder',
    targetId: elderId,
    regionCode: e.region_code,
  });
  return {
    elder: { id: e.id, name: e.name },
    openAlarms: open.map((a) => ({
      id: a.id,
      type: a.type,
      priority: a.priority,
      status: a.status,
      raisedAt: new Date(a.raised_at).toISOString(),
      acknowledgedAt: a.acknowledged_at ? new Date(a.acknowledged_at).toISOString() : null,
      handledBy: a.holder_name,
      responder: a.responder_name ? { name: a.responder_name, status: a.responder_status } : null,
    })),
    recentAlarms: closed.map((a) => ({
      id: a.id,
      type: a.type,
      priority: a.priority,
      raisedAt: new Date(a.raised_at).toISOString(),
      resolvedAt: a.resolved_at ? new Date(a.resolved_at).toISOString() : null,
      outcome: a.outcome,
    })),
    devices: devices.map((d) => {
      const wearable = DEVICE_TYPE_INFO[d.type as DeviceType]?.wearable ?? false;
      const state: 'offline' | 'low_battery' | 'not_worn' | 'ok' = !d.online
        ? 'offline'
        : d.battery !== null && d.battery < rules.batteryLowPercent
          ? 'low_battery'
          : wearable && d.worn === false
            ? 'not_worn'
            : 'ok';
      return {
        id: d.id,
        type: d.type,
        state,
        battery: d.battery,
        lastSeenAt: d.last_seen_at ? new Date(d.last_seen_at).toISOString() : null,
        notWornSince: wearable && d.worn === false && d.worn_changed_at ? new Date(d.worn_changed_at).toISOString() : null,
      };
    }),
    notices: notices.map((n) => ({
      id: n.id,
      reason: n.reason,
      body: n.body,
      createdAt: new Date(n.created_at).toISOString(),
      readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
    })),
    noticesNeedPhone: !phoneHash,
  };
}

/** The member marks a notice read; only a notice addressed to them (else 404). Audited. */
export async function markFamilyNoticeRead(ctx: AppContext, actor: Actor, id: string) {
  const { elderId, phoneHash } = await linkOf(ctx, actor);
  if (!phoneHash) throw notFound('Notice');
  await ctx.db.transaction(async (tx) => {
    const n = await repo.markNoticeRead(tx, id, elderId, phoneHash);
    if (!n) throw notFound('Notice');
    await recordAudit(tx, {
      actor,
      action: 'notification.read',
      targetType: 'notification',
      targetId: id,
      regionCode: n.region_code,
    });
  });
}
