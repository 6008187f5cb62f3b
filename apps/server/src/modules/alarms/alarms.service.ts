import {
  ALARM_ACTION_KINDS,
  ALARM_OUTCOME_LABELS_ZH,
  ALARM_OUTCOMES,
  type AlarmDetail,
  type AlarmOutcome,
} from '@zhiyang/shared';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { maskPhone } from '../../lib/http.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { devicesOfElder, latestEvents } from '../devices/devices.repo.ts';
import { presentEvent } from '../devices/devices.service.ts';
import { openElderRow } from '../elders/elders.private.ts';
import { findElder, listContacts } from '../elders/elders.repo.ts';
import { noticeContacts } from '../notifications/notifications.service.ts';
import { presentAlarm } from './alarms.present.ts';
import * as repo from './alarms.repo.ts';
import type { AlarmStatus, alarmDispatches } from './alarms.schema.ts';
import { publishAlarm } from './raise.service.ts';
import { ALARM_TYPE_ZH, type AlarmType } from './rules.ts';

export const OUTCOMES = ALARM_OUTCOMES;
export type Outcome = AlarmOutcome;

export const ACTION_KINDS = ALARM_ACTION_KINDS;

/** What the alarm-centre console needs: map tiles, outcome and action codes, the acknowledgement target. */
export function consoleConfig(ctx: AppContext) {
  return {
    mapTileUrl: ctx.config.mapTileUrl ?? null,
    outcomes: [...OUTCOMES],
    actionKinds: [...ACTION_KINDS],
    ackTargetSeconds: ctx.config.alarmAckSeconds ?? 60,
  };
}

const OPEN_HANDLED: AlarmStatus[] = ['acknowledged', 'responding', 'on_site'];

async function visibleAlarm(ctx: AppContext, actor: Actor, id: string) {
  const v = await repo.findAlarmView(ctx.db, id, actor);
  if (!v) throw notFound('Alarm');
  return v;
}

export async function listAlarms(ctx: AppContext, actor: Actor, f: repo.AlarmFilter, limit: number, page: number) {
  const r = await repo.listAlarms(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: r.items.map((v) => presentAlarm(ctx.cipher, v)), total: r.total };
}

/**
 * Phones in clear only for the operator holding the open alarm (the one who acknowledged it and
 * must call now). Everyone else — lists, other operators' alarms, closed alarms — sees them
 * masked and uses the elder module's reveal (POST /elders/{id}/reveal, reason required, audited).
 */
export function phonesVisibleTo(actor: Actor, a: { open: boolean; acknowledgedBy: string | null }): boolean {
  // The system (no id) never holds an alarm.
  if (actor.id === null) return false;
  return a.open && a.acknowledgedBy === actor.id && can(actor, 'alarm:handle');
}

/**
 * One alarm with the elder card the operator needs: profile, contacts in call order (key holder
 * marked; phones as `phonesVisibleTo` decides, `phonesMasked` says which), each device's last
 * events, the elder's previous alarms, the actions so far and the dispatches. Reading it is audited.
 */
export async function getAlarm(ctx: AppContext, actor: Actor, id: string) {
  const v = await visibleAlarm(ctx, actor, id);
  const a = v.alarm;
  const reveal = phonesVisibleTo(actor, a);
  let elder = null;
  let contacts: AlarmDetail['contacts'] = [];
  let deviceList: AlarmDetail['devices'] = [];
  let previous: ReturnType<typeof presentAlarm>[] = [];
  if (a.elderId) {
    const e = await findElder(ctx.db, a.elderId);
    if (e) {
      const phone = e.phoneEnc ? ctx.cipher.decrypt(e.phoneEnc) : null;
      elder = {
        id: e.id,
        name: e.name,
        sex: e.sex,
        birthDate: e.birthDate,
        phone: reveal ? phone : maskPhone(phone),
        address: openElderRow(ctx.cipher, e).address,
        lat: e.lat,
        lng: e.lng,
        livingSituation: e.livingSituation,
        categories: e.categories,
        abilityLevel: e.abilityLevel,
        status: e.status,
        regionCode: e.regionCode,
      };
    }
    const cs = await listContacts(ctx.db, a.elderId);
    contacts = cs.map((c) => {
      const p = ctx.cipher.decrypt(c.phoneEnc);
      return {
        id: c.id,
        name: c.name,
        relationship: c.relationship,
        phone: reveal ? p : maskPhone(p),
        callOrder: c.callOrder,
        holdsKey: c.holdsKey,
        isGuardian: c.isGuardian,
      };
    });
    const devs = await devicesOfElder(ctx.db, a.elderId);
    deviceList = await Promise.all(
      devs.map(async (d) => ({
        id: d.id,
        type: d.type,
        online: d.online,
        battery: d.battery,
        lastSeenAt: d.lastSeenAt?.toISOString() ?? null,
        lastEvents: (await latestEvents(ctx.db, d.id, 5)).map(presentEvent),
      })),
    );
    previous = (await repo.listAlarms(ctx.db, actor, { elderId: a.elderId }, 11, 0)).items
      .filter((p) => p.alarm.id !== a.id)
      .slice(0, 10)
      .map((v) => presentAlarm(ctx.cipher, v));
  }
  const [actions, dispatches] = await Promise.all([repo.listActions(ctx.db, id), repo.listDispatches(ctx.db, id)]);
  if (a.elderId) {
    await recordReadAudit(ctx.db, {
      actor,
      action: 'elder.read',
      targetType: 'elder',
      targetId: a.elderId,
      regionCode: a.regionCode,
      detail: { via: 'alarm', alarmId: id },
    });
  }
  return {
    ...presentAlarm(ctx.cipher, v),
    phonesMasked: !reveal,
    elder,
    contacts,
    devices: deviceList,
    previousAlarms: previous,
    actions: actions.map((x) => ({
      id: x.id,
      at: x.at.toISOString(),
      actorName: x.actorName,
      kind: x.kind,
      contactId: x.contactId,
      result: x.result,
      note: x.note,
    })),
    dispatches: dispatches.map(presentDispatch),
  };
}

export function presentDispatch(x: { d: typeof alarmDispatches.$inferSelect; name: string | null }) {
  return {
    id: x.d.id,
    alarmId: x.d.alarmId,
    responderId: x.d.responderId,
    responderName: x.name,
    status: x.d.status,
    distanceM: x.d.distanceM,
    offeredAt: x.d.offeredAt.toISOString(),
    updatedAt: x.d.updatedAt.toISOString(),
  };
}

/** Take the alarm. Exactly one operator wins; the other gets 409 naming who holds it. */
export async function acknowledgeAlarm(ctx: AppContext, actor: Actor, id: string) {
  await visibleAlarm(ctx, actor, id);
  const ok = await ctx.db.transaction(async (tx) => {
    const row = await repo.acknowledge(tx, id, actor.id as string, new Date());
    if (!row) return false;
    await repo.insertAction(tx, { alarmId: id, actorId: actor.id, actorName: actor.displayName, kind: 'acknowledged' });
    await recordAudit(tx, { actor, action: 'alarm.acknowledge', targetType: 'alarm', targetId: id, regionCode: row.regionCode });
    await publishAlarm(ctx, tx, id, 'alarm.updated');
    return true;
  });
  const v = await visibleAlarm(ctx, actor, id);
  if (!ok) {
    if (v.alarm.acknowledgedBy === actor.id) return presentAlarm(ctx.cipher, v);
    throw conflict(
      v.alarm.acknowledgedBy
        ? `${v.holderName ?? 'Another operator'} already holds this alarm.`
        : `The alarm is ${v.alarm.status}.`,
    );
  }
  return presentAlarm(ctx.cipher, v);
}

export async function addAction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { kind: (typeof ACTION_KINDS)[number]; contactId?: string; result?: string; note?: string },
) {
  const v = await visibleAlarm(ctx, actor, id);
  if (!v.alarm.open) throw conflict('The alarm is closed; add a review note instead.');
  if (v.alarm.status === 'raised') throw conflict('Acknowledge the alarm first.');
  return ctx.db.transaction(async (tx) => {
    const row = await repo.insertAction(tx, {
      alarmId: id,
      actorId: actor.id,
      actorName: actor.displayName,
      kind: input.kind,
      contactId: input.contactId ?? null,
      result: input.result ?? null,
      note: input.note ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: 'alarm.action',
      targetType: 'alarm',
      targetId: id,
      regionCode: v.alarm.regionCode,
      detail: { kind: input.kind },
    });
    await publishAlarm(ctx, tx, id, 'alarm.updated');
    return {
      id: row.id,
      at: row.at.toISOString(),
      actorName: row.actorName,
      kind: row.kind,
      contactId: row.contactId,
      result: row.result,
      note: row.note,
    };
  });
}

/** Close with an outcome (required), and tell the family what happened. */
export async function resolveAlarm(ctx: AppContext, actor: Actor, id: string, input: { outcome: Outcome; note?: string }) {
  const v = await visibleAlarm(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.setStatus(tx, id, OPEN_HANDLED, {
      status: 'resolved',
      open: false,
      resolvedAt: new Date(),
      resolvedBy: actor.id,
      outcome: input.outcome,
      resolutionNote: input.note ?? null,
    });
    if (!row) {
      if (v.alarm.status === 'raised') throw conflict('Acknowledge the alarm before resolving it.');
      throw conflict(`The alarm is already ${v.alarm.status}.`, undefined, 'already-handled');
    }
    await repo.withdrawOffers(tx, id);
    await repo.insertAction(tx, {
      alarmId: id,
      actorId: actor.id,
      actorName: actor.displayName,
      kind: 'resolved',
      result: input.outcome,
      note: input.note ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: 'alarm.resolve',
      targetType: 'alarm',
      targetId: id,
      regionCode: row.regionCode,
      detail: { outcome: input.outcome },
    });
    if (row.elderId && row.raisedPriority !== 'P3' && input.outcome !== 'false_alarm') {
      await noticeContacts(ctx, tx, {
        alarmId: id,
        elderId: row.elderId,
        regionCode: row.regionCode,
        reason: 'resolved',
        body: `【智养】${v.elderName ?? ''}的${ALARM_TYPE_ZH[row.type as AlarmType] ?? row.type}告警已处理完毕（${ALARM_OUTCOME_LABELS_ZH[input.outcome]}）。如有疑问请致电服务中心。`,
      });
    }
    await publishAlarm(ctx, tx, id, 'alarm.updated');
    return presentAlarm(ctx.cipher, { ...v, alarm: row });
  });
}

export async function reviewAlarm(ctx: AppContext, actor: Actor, id: string, input: { note?: string }) {
  const v = await visibleAlarm(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.setStatus(tx, id, ['resolved'], {
      status: 'reviewed',
      reviewedAt: new Date(),
      reviewedBy: actor.id,
      reviewNote: input.note ?? null,
    });
    if (!row) throw conflict('Only a resolved alarm can be reviewed.');
    await repo.insertAction(tx, {
      alarmId: id,
      actorId: actor.id,
      actorName: actor.displayName,
      kind: 'reviewed',
      note: input.note ?? null,
    });
    await recordAudit(tx, { actor, action: 'alarm.review', targetType: 'alarm', targetId: id, regionCode: row.regionCode });
    await publishAlarm(ctx, tx, id, 'alarm.updated');
    return presentAlarm(ctx.cipher, { ...v, alarm: row });
  });
}

/** Offer the alarm to a responder; they get it on the phone over the WebSocket. */
export async function dispatchResponder(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { responderId: string; distanceM?: number },
) {
  const v = await visibleAlarm(ctx, actor, id);
  if (!v.alarm.open) throw conflict('The alarm is closed.');
  if (v.alarm.status === 'raised') throw conflict('Acknowledge the alarm before dispatching.');
  return ctx.db.transaction(async (tx) => {
    if (await repo.hasLiveDispatch(tx, id, input.responderId))
      throw conflict('This responder already has this alarm.', undefined, 'duplicate');
    const d = await repo.insertDispatch(tx, {
      alarmId: id,
      responderId: input.responderId,
      offeredBy: actor.id,
      distanceM: input.distanceM ?? null,
    });
    await repo.insertAction(tx, {
      alarmId: id,
      actorId: actor.id,
      actorName: actor.displayName,
      kind: 'dispatched_responder',
      note: input.responderId,
    });
    await recordAudit(tx, {
      actor,
      action: 'alarm.dispatch',
      targetType: 'alarm',
      targetId: id,
      regionCode: v.alarm.regionCode,
      detail: { responderId: input.responderId },
    });
    await publishAlarm(ctx, tx, id, 'alarm.updated', [input.responderId]);
    await ctx.events.publish(tx, {
      type: 'alarm.dispatch',
      data: { dispatchId: d.id, alarmId: id, status: d.status },
      audience: { userIds: [input.responderId] },
    });
    return { id: d.id, status: d.status };
  });
}

const NEXT: Record<string, { from: string[]; alarm?: AlarmStatus }> = {
  accepted: { from: ['offered'], alarm: 'responding' },
  declined: { from: ['offered'] },
  en_route: { from: ['accepted'] },
  on_site: { from: ['accepted', 'en_route'], alarm: 'on_site' },
  done: { from: ['on_site'] },
};

/** The responder's answer and progress: accepted / declined / en route / on site / done. */
export async function updateDispatch(
  ctx: AppContext,
  actor: Actor,
  dispatchId: string,
  status: 'accepted' | 'declined' | 'en_route' | 'on_site' | 'done',
) {
  const d = await repo.findDispatchOf(ctx.db, dispatchId, actor.id ?? '');
  if (!d) throw notFound('Dispatch');
  const rule = NEXT[status];
  if (!rule.from.includes(d.status)) throw unprocessable(`A dispatch that is ${d.status} cannot become ${status}.`);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.moveDispatch(tx, dispatchId, d.status, status);
    if (!row) throw conflict('The dispatch changed meanwhile; reload.', undefined, 'changed-meanwhile');
    if (rule.alarm) {
      await repo.setStatus(tx, d.alarmId, rule.alarm === 'responding' ? ['acknowledged'] : ['acknowledged', 'responding'], {
        status: rule.alarm,
      });
    }
    const a = await repo.findAlarm(tx, d.alarmId);
    await repo.insertAction(tx, {
      alarmId: d.alarmId,
      actorId: actor.id,
      actorName: actor.displayName,
      kind: `responder_${status}`,
    });
    await recordAudit(tx, {
      actor,
      action: 'alarm.respond',
      targetType: 'alarm',
      targetId: d.alarmId,
      regionCode: a?.regionCode,
      detail: { status },
    });
    await publishAlarm(ctx, tx, d.alarmId, 'alarm.updated', [actor.id as string]);
    return { id: row.id, status: row.status };
  });
}
