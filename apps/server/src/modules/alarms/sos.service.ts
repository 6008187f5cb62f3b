import type { SosAnswer } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { boundElderId, findElder } from '../elders/service-elders.repo.ts';
import { findOpenByMergeKey, insertAction, updateAlarm } from './alarms.repo.ts';
import { rulesFor } from './event-rules.service.ts';
import { publishAlarm, raiseAlarm } from './raise.service.ts';
import { priorityOf } from './rules.ts';

/** One open SOS per elder from the phone page: pressing again merges into it, as a pendant's does. */
const mergeKeyOf = (elderId: string) => `elder:${elderId}:sos`;

async function ownElder(ctx: AppContext, actor: Actor) {
  const elderId = await boundElderId(ctx.db, actor);
  const elder = elderId ? await findElder(ctx.db, elderId) : undefined;
  if (!elder) throw notFound('Elder');
  return elder;
}

/**
 * The elder's SOS button: raise (or merge into) a P1 `sos` alarm on the elder's own archive
 * through raiseAlarm, the path a pendant's SOS takes (rules, merge, the operator's queue, the
 * escalation timer, the family's page), audited in the same transaction.
 */
export async function raiseOwnSos(ctx: AppContext, actor: Actor, now = new Date()): Promise<SosAnswer> {
  const elder = await ownElder(ctx, actor);
  return ctx.db.transaction(async (tx) => {
    const rules = await rulesFor(tx, elder.id);
    // The elder's rules may switch SOS off for a device; a button pressed by the elder is never dropped.
    const r = await raiseAlarm(ctx, tx, {
      type: 'sos',
      priority: priorityOf('sos'),
      mergeKey: mergeKeyOf(elder.id),
      elderId: elder.id,
      deviceId: null,
      regionCode: elder.regionCode,
      data: { source: 'elder_page' },
      at: now,
    });
    const open = await findOpenByMergeKey(tx, mergeKeyOf(elder.id));
    await recordAudit(tx, {
      actor,
      action: 'alarm.sos',
      targetType: 'alarm',
      targetId: r.id,
      regionCode: elder.regionCode,
      detail: { elderId: elder.id, merged: !r.created },
    });
    const raisedAt = open?.raisedAt ?? now;
    return {
      alarmId: r.id,
      priority: open?.priority ?? 'P1',
      status: open?.status ?? 'raised',
      cancelUntil: new Date(raisedAt.getTime() + rules.sosCancelSeconds * 1000).toISOString(),
      cancelled: false,
    };
  });
}

/**
 * The elder cancels the SOS: within the elder's SOS cancel window (the pendant's, default 30 s)
 * the alarm becomes a cancelled SOS at P3; later the cancel is only noted and the operator
 * still calls back — as for a pendant's cancel key.
 */
export async function cancelOwnSos(ctx: AppContext, actor: Actor, now = new Date()): Promise<SosAnswer> {
  const elder = await ownElder(ctx, actor);
  return ctx.db.transaction(async (tx) => {
    const open = await findOpenByMergeKey(tx, mergeKeyOf(elder.id));
    // A cancelled SOS stays open (at P3) until the operator closes it; it cannot be cancelled twice.
    if (!open || open.type !== 'sos') throw conflict('There is no open SOS to cancel.');
    const rules = await rulesFor(tx, elder.id);
    const cancelUntil = new Date(open.raisedAt.getTime() + rules.sosCancelSeconds * 1000);
    const within = now.getTime() <= cancelUntil.getTime() && open.status === 'raised';
    if (within) await updateAlarm(tx, open.id, { type: 'sos_cancelled', priority: 'P3', cancelledAt: now });
    await insertAction(tx, {
      alarmId: open.id,
      actorId: actor.id ?? null,
      actorName: elder.name,
      kind: within ? 'sos_cancelled' : 'late_cancel',
      note: within ? null : `cancel pressed after the ${rules.sosCancelSeconds} s window`,
    });
    await publishAlarm(ctx, tx, open.id, 'alarm.updated');
    await recordAudit(tx, {
      actor,
      action: 'alarm.sos-cancel',
      targetType: 'alarm',
      targetId: open.id,
      regionCode: elder.regionCode,
      detail: { elderId: elder.id, withinWindow: within },
    });
    return {
      alarmId: open.id,
      priority: within ? 'P3' : open.priority,
      status: open.status,
      cancelUntil: cancelUntil.toISOString(),
      cancelled: within,
    };
  });
}
