import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../db/client.ts';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import * as bank from './timebank.repo.ts';
import { creditFor, creditTask, returnRedemption, rulesFor } from './timebank.service.ts';
import { presentTask } from './volunteers.present.ts';
import * as repo from './volunteers.repo.ts';
import { ownVolunteer } from './volunteers.service.ts';

type Kind = 'call' | 'visit' | 'shopping' | 'hospital';
const STARTED = ['checked_in', 'done', 'confirmed'];

/** An approved volunteer in the actor's reach, or a 400 naming the field. */
async function assignable(ctx: AppContext, actor: Actor, volunteerId: string, path: string) {
  const v = await repo.findVolunteer(ctx.db, actor, volunteerId);
  if (!v || v.user_id === actor.id) throw validationError(path, 'no such volunteer in your area');
  if (v.status !== 'approved') throw conflict('Only an approved volunteer can be given tasks.', undefined, 'invalid-state');
  return v;
}

export async function listTasks(
  ctx: AppContext,
  actor: Actor,
  q: repo.TaskFilter & { limit: number; page: number; count?: boolean },
) {
  if (q.from && q.to && q.from > q.to) throw validationError('query.to', 'must not be before from');
  const rows = await repo.listTasks(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentTask(ctx.cipher, r, false)),
    ...(q.count ? { total: await repo.countTasks(ctx.db, actor, q) } : {}),
  };
}

async function auditedRead(ctx: AppContext, actor: Actor, row: repo.TaskRow) {
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: row.elder_id,
    regionCode: row.region_code,
    detail: { part: 'volunteer_task', taskId: row.id },
  });
  return presentTask(ctx.cipher, row);
}

export async function getTask(ctx: AppContext, actor: Actor, id: string) {
  const row = await repo.findTask(ctx.db, actor, id);
  if (!row) throw notFound('Volunteer task');
  return auditedRead(ctx, actor, row);
}

export async function createTask(
  ctx: AppContext,
  actor: Actor,
  b: {
    elderId: string;
    kind: Kind;
    scheduledOn: string;
    plannedMinutes: number;
    notes?: string;
    volunteerId?: string;
    careVisitId?: string;
  },
) {
  const [elder] = await repo.visibleElders(ctx.db, actor, [b.elderId]);
  if (!elder || !actorCoversRegion(actor, elder.region_code)) throw validationError('body.elderId', 'no such elder in your area');
  const v = b.volunteerId ? await assignable(ctx, actor, b.volunteerId, 'body.volunteerId') : null;
  const id = await ctx.db.transaction(async (tx) => {
    const t = await repo.insertTask(tx, {
      regionCode: elder.region_code,
      elderId: elder.id,
      kind: b.kind,
      scheduledOn: b.scheduledOn,
      plannedMinutes: b.plannedMinutes,
      notes: b.notes ?? null,
      source: b.careVisitId ? 'care_visit' : 'staff',
      careVisitId: b.careVisitId ?? null,
      status: v ? 'assigned' : 'open',
      volunteerId: v?.id ?? null,
      assignedAt: v ? new Date() : null,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      actor,
      action: 'volunteer.task.create',
      targetType: 'volunteer_task',
      targetId: t.id,
      regionCode: elder.region_code,
      detail: { elderId: elder.id, kind: b.kind, scheduledOn: b.scheduledOn, volunteerId: v?.id ?? null },
    });
    return t.id;
  });
  return presentTask(ctx.cipher, (await repo.findTask(ctx.db, actor, id)) as repo.TaskRow);
}

export async function assignTask(ctx: AppContext, actor: Actor, id: string, volunteerId: string) {
  const row = await repo.findTask(ctx.db, actor, id);
  if (!row) throw notFound('Volunteer task');
  const v = await assignable(ctx, actor, volunteerId, 'body.volunteerId');
  if (row.volunteer_id === v.id && row.status !== 'open') {
    markUnchanged();
    return presentTask(ctx.cipher, row);
  }
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.moveTask(tx, id, ['open', 'assigned', 'accepted'], {
      status: 'assigned',
      volunteerId: v.id,
      assignedAt: new Date(),
      acceptedAt: null,
    });
    if (!ok) throw conflict('The task has already started, finished or been cancelled.', undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: 'volunteer.task.assign',
      targetType: 'volunteer_task',
      targetId: id,
      regionCode: row.region_code,
      detail: { volunteerId: v.id, from: row.volunteer_id },
    });
  });
  return presentTask(ctx.cipher, (await repo.findTask(ctx.db, actor, id)) as repo.TaskRow);
}

/**
 * Confirm a done task's hours and credit them. The task row is locked, so concurrent
 * confirmations run one after the other: the first moves it to 已确认 and credits (the posting
 * key makes the credit once in any case); the others find it confirmed and answer it unchanged.
 */
export async function confirmTask(ctx: AppContext, actor: Actor, id: string, minutes: number) {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await repo.findTask(tx, actor, id, true);
    if (!row) throw notFound('Volunteer task');
    if (row.status === 'confirmed') return 'unchanged' as const;
    if (row.status !== 'done' || !row.volunteer_id)
      throw conflict('Only a task the volunteer has finished can be confirmed.', undefined, 'invalid-state');
    const rules = await rulesFor(tx, row.volunteer_region_code ?? row.region_code);
    const credited = creditFor(rules, minutes);
    const txId = await creditTask(tx, { taskId: id, volunteerId: row.volunteer_id, minutes: credited, actorId: actor.id });
    await repo.moveTask(tx, id, ['done'], {
      status: 'confirmed',
      confirmedMinutes: minutes,
      creditedMinutes: credited,
      confirmedBy: actor.id,
      confirmedAt: new Date(),
      creditTxId: txId,
    });
    await recordAudit(tx, {
      actor,
      action: 'volunteer.task.confirm',
      targetType: 'volunteer_task',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        volunteerId: row.volunteer_id,
        reported: row.reported_minutes,
        confirmed: minutes,
        credited,
        transactionId: txId,
      },
    });
    return 'confirmed' as const;
  });
  if (result === 'unchanged') markUnchanged();
  return presentTask(ctx.cipher, (await repo.findTask(ctx.db, actor, id)) as repo.TaskRow);
}

export async function cancelTask(ctx: AppContext, actor: Actor, id: string, reason: string) {
  await ctx.db.transaction(async (tx) => {
    const row = await repo.findTask(tx, actor, id, true);
    if (!row) throw notFound('Volunteer task');
    if (row.status === 'cancelled') throw conflict('The task is already cancelled.', undefined, 'already-handled');
    if (STARTED.includes(row.status))
      throw conflict('A task that has started or finished cannot be cancelled.', undefined, 'invalid-state');
    await repo.moveTask(tx, id, [row.status], { status: 'cancelled', cancelReason: reason });
    let returned: string | null = null;
    if (row.source === 'redemption' && row.redemption_id) {
      const [r] = await bank.redemptionsOfId(tx, row.redemption_id);
      if (r)
        returned = await returnRedemption(tx, {
          redemptionId: r.id,
          volunteerId: r.volunteer_id,
          minutes: r.minutes,
          actorId: actor.id,
        });
    }
    await recordAudit(tx, {
      actor,
      action: 'volunteer.task.cancel',
      targetType: 'volunteer_task',
      targetId: id,
      regionCode: row.region_code,
      detail: { reason, from: row.status, returnedTransactionId: returned },
    });
  });
  return presentTask(ctx.cipher, (await repo.findTask(ctx.db, actor, id)) as repo.TaskRow);
}

// ---------------------------------------------------------------------------------------------
// The volunteer's phone page

export async function myTasks(ctx: AppContext, actor: Actor) {
  const v = await ownVolunteer(ctx, actor);
  return { items: (await repo.ownTasks(ctx.db, v.id, addDays(cstDate(), -30))).map((r) => presentTask(ctx.cipher, r)) };
}

async function own(ctx: AppContext, actor: Actor, id: string) {
  const row = actor.id ? await repo.findOwnTask(ctx.db, actor.id, id) : undefined;
  if (!row) throw notFound('Volunteer task');
  return row;
}

export async function myTask(ctx: AppContext, actor: Actor, id: string) {
  return auditedRead(ctx, actor, await own(ctx, actor, id));
}

async function step(
  ctx: AppContext,
  actor: Actor,
  id: string,
  p: {
    from: string[];
    to: repo.TaskRow['status'];
    action: string;
    set: Parameters<typeof repo.moveTask>[3];
    detail: Record<string, unknown>;
  },
) {
  const row = await own(ctx, actor, id);
  // The same step again (a retry, a second tap, a replayed offline send): the same answer.
  if (row.status === p.to || (p.to === 'done' && row.status === 'confirmed')) {
    markUnchanged();
    return presentTask(ctx.cipher, row);
  }
  const v = await ownVolunteer(ctx, actor);
  if (v.status !== 'approved') throw conflict('Your registration is not approved (or is disabled).', undefined, 'invalid-state');
  await ctx.db.transaction(async (tx) => {
    const ok = await repo.moveTask(tx, id, p.from, { ...p.set, status: p.to });
    if (!ok) throw conflict('The task is not at this step (reload it).', undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: p.action,
      targetType: 'volunteer_task',
      targetId: id,
      regionCode: row.region_code,
      detail: { elderId: row.elder_id, ...p.detail },
    });
  });
  return presentTask(ctx.cipher, await own(ctx, actor, id));
}

export function acceptTask(ctx: AppContext, actor: Actor, id: string) {
  return step(ctx, actor, id, {
    from: ['assigned'],
    to: 'accepted',
    action: 'volunteer.task.accept',
    set: { acceptedAt: new Date() },
    detail: {},
  });
}

/**
 * Check in like a visit: by the phone's position (the distance to the archive's address is kept)
 * or the code on the elder's card; a call task checks in by calling (no place).
 */
export async function checkIn(
  ctx: AppContext,
  actor: Actor,
  _req: FastifyRequest,
  id: string,
  b: { method: 'gps' | 'qr' | 'call'; lat?: number; lng?: number; qr?: string },
) {
  const row = await own(ctx, actor, id);
  if (row.status === 'checked_in') {
    markUnchanged();
    return presentTask(ctx.cipher, row);
  }
  let distanceM: number | null = null;
  if (b.method === 'qr') {
    if (b.qr !== elderQrToken(ctx, row.elder_id)) throw validationError('body.qr', 'not this elder’s code');
  } else if (b.method === 'gps') {
    if (b.lat === undefined || b.lng === undefined) throw validationError('body.lat', 'a position is needed');
    if (row.elder_lat !== null && row.elder_lng !== null)
      distanceM = Math.round(distanceMeters({ lat: b.lat, lng: b.lng }, { lat: row.elder_lat, lng: row.elder_lng }));
  } else if (row.kind !== 'call') throw validationError('body.method', 'only a call task checks in by calling');
  return step(ctx, actor, id, {
    from: ['accepted', 'assigned'],
    to: 'checked_in',
    action: 'volunteer.task.check-in',
    set: {
      checkedInAt: new Date(),
      acceptedAt: row.status === 'assigned' ? new Date() : undefined,
      checkInMethod: b.method,
      checkInLat: b.method === 'gps' ? (b.lat ?? null) : null,
      checkInLng: b.method === 'gps' ? (b.lng ?? null) : null,
      checkInDistanceM: distanceM,
    },
    detail: { method: b.method, distanceM },
  });
}

export async function doneTask(
  ctx: AppContext,
  actor: Actor,
  _req: FastifyRequest,
  id: string,
  b: { minutes: number; note?: string },
) {
  return step(ctx, actor, id, {
    from: ['checked_in'],
    to: 'done',
    action: 'volunteer.task.done',
    set: { doneAt: new Date(), reportedMinutes: b.minutes, doneNote: b.note ?? null },
    detail: { minutes: b.minutes },
  });
}

/**
 * A volunteer's recorded care visit (关爱巡访) counts as a finished 上门探访 task: it is written,
 * in the care visit's transaction, as a task already 待确认 with the minutes the volunteer gave
 * (source `care_visit_record`, one per care visit — a unique index), so staff or the elder confirm
 * it like any task and the time bank credits it once (the task's posting key). A volunteer account
 * without an approved volunteer record gets no task (nothing to credit).
 */
export async function recordCareVisitTask(
  tx: DbOrTx,
  actor: Actor,
  v: {
    careVisitId: string;
    elderId: string;
    regionCode: string;
    minutes: number;
    at: Date;
    method: 'gps' | 'qr';
    lat: number | null;
    lng: number | null;
    distanceM: number | null;
    isDemo: boolean;
  },
) {
  if (actor.role !== 'volunteer' || !actor.id) return null;
  const vol = await repo.findVolunteerOfUser(tx, actor.id);
  if (!vol || vol.status !== 'approved') return null;
  const t = await repo.insertTask(tx, {
    regionCode: v.regionCode,
    elderId: v.elderId,
    kind: 'visit',
    scheduledOn: cstDate(v.at),
    plannedMinutes: Math.min(720, Math.max(10, v.minutes)),
    notes: '关爱巡访',
    source: 'care_visit_record',
    careVisitId: v.careVisitId,
    status: 'done',
    volunteerId: vol.id,
    assignedAt: v.at,
    acceptedAt: v.at,
    checkedInAt: v.at,
    checkInMethod: v.method,
    checkInLat: v.lat,
    checkInLng: v.lng,
    checkInDistanceM: v.distanceM,
    doneAt: v.at,
    reportedMinutes: v.minutes,
    createdBy: actor.id,
    isDemo: v.isDemo,
  });
  await recordAudit(tx, {
    actor,
    action: 'volunteer.task.done',
    targetType: 'volunteer_task',
    targetId: t.id,
    regionCode: v.regionCode,
    detail: { careVisitId: v.careVisitId, minutes: v.minutes, method: v.method },
  });
  return t.id;
}
