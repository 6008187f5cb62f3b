import type { CareVisitForm } from '@zhiyang/shared';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { idempotencyKeyOf } from '../../lib/idempotency.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { recordCareVisitTask } from '../volunteers/tasks.service.ts';
import { presentFinding, presentFollowUp, presentVisit } from './care-visits.present.ts';
import * as repo from './care-visits.repo.ts';
import { decodePhoto, findingsOf } from './care-visits.rules.ts';
import * as followUps from './follow-ups.repo.ts';
import * as visits from './visits.repo.ts';

/** Minutes a volunteer's care visit counts when the phone sends none. */
export const VOLUNTEER_VISIT_MINUTES = 30;

export async function listVisits(
  ctx: AppContext,
  actor: Actor,
  q: {
    assignee?: string;
    from?: string;
    to?: string;
    status?: 'scheduled' | 'done' | 'cancelled';
    overdue?: 'true' | 'false';
    escalated?: 'true' | 'false';
    elderId?: string;
    regionCode?: string;
    limit: number;
    page: number;
    count?: boolean;
  },
) {
  const today = cstDate();
  const f: visits.VisitFilter = {
    assignee: q.assignee === 'me' ? (actor.id ?? undefined) : q.assignee,
    from: q.from,
    to: q.to,
    status: q.status,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    escalated: q.escalated === undefined ? undefined : q.escalated === 'true',
    elderId: q.elderId,
    regionCode: q.regionCode,
  };
  if (f.from && f.to && f.from > f.to) throw validationError('query.to', 'must not be before from');
  const rows = await visits.listVisits(ctx.db, actor, f, today, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentVisit(ctx.cipher, r, today)),
    ...(q.count ? { total: await visits.countVisits(ctx.db, actor, f, today) } : {}),
  };
}

async function detail(ctx: AppContext, actor: Actor, row: visits.VisitRow) {
  const today = cstDate();
  const [findings, fus, photos] = await Promise.all([
    visits.findingsOf(ctx.db, row.id),
    followUps.listFollowUps(ctx.db, actor, { visitId: row.id }, today, 100, 0),
    visits.photosOf(ctx.db, row.id),
  ]);
  return {
    ...presentVisit(ctx.cipher, row, today),
    form: (row.form as Partial<CareVisitForm> | null) ?? null,
    notes: row.notes,
    findingList: findings.map(presentFinding),
    followUps: fus.map((f) => presentFollowUp(f, today)),
    photos: photos.map((p) => ({ id: p.id, dataUrl: `data:${p.mime};base64,${ctx.cipher.decrypt(p.data_enc)}` })),
  };
}

export async function getVisit(ctx: AppContext, actor: Actor, id: string) {
  const row = await visits.findVisit(ctx.db, actor, id);
  if (!row) throw notFound('Visit');
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: row.elder_id,
    regionCode: row.region_code,
    detail: { part: 'care_visit', visitId: row.id },
  });
  return detail(ctx, actor, row);
}

/**
 * Record a visit from the phone. The phone's Idempotency-Key is stored with the record, so the
 * offline queue sending it again (a retry, a reload, two tabs) answers the same visit and records
 * nothing more. Check-in is by position (distance to the archive's address kept) or by the
 * elder's QR code (must match). The plan's next visit is scheduled from the day of this one.
 */
export async function recordVisit(
  ctx: AppContext,
  actor: Actor,
  req: FastifyRequest,
  id: string,
  b: {
    at?: string;
    outcome: 'met' | 'not_home';
    lat?: number;
    lng?: number;
    qr?: string;
    form?: CareVisitForm;
    notes?: string;
    photos?: string[];
    minutes?: number;
  },
) {
  const key = idempotencyKeyOf(req);
  const row = await visits.findVisit(ctx.db, actor, id);
  if (!row) throw notFound('Visit');
  const replay = async () => {
    if (!key || !actor.id) return null;
    const prior = await visits.findVisitByKey(ctx.db, actor.id, key);
    if (!prior) return null;
    if (prior.id !== id)
      throw unprocessable(
        'This Idempotency-Key was already used for another visit; use a new key.',
        undefined,
        'idempotency-key-reused',
      );
    markUnchanged();
    return detail(ctx, actor, (await visits.findVisit(ctx.db, actor, id)) as visits.VisitRow);
  };
  const again = await replay();
  if (again) return again;
  if (row.status !== 'scheduled')
    throw conflict('This visit has already been recorded or cancelled.', undefined, 'already-handled');

  const now = Date.now();
  const at = b.at ? new Date(b.at) : new Date(now);
  if (at.getTime() > now + 5 * 60_000) throw validationError('body.at', 'in the future');
  let method: 'gps' | 'qr' = 'gps';
  let distanceM: number | null = null;
  if (b.qr !== undefined) {
    if (b.qr !== elderQrToken(ctx, row.elder_id)) throw validationError('body.qr', 'not this elder’s code');
    method = 'qr';
  } else if (row.elder_lat !== null && row.elder_lng !== null && b.lat !== undefined && b.lng !== undefined) {
    distanceM = Math.round(distanceMeters({ lat: b.lat, lng: b.lng }, { lat: row.elder_lat, lng: row.elder_lng }));
  }
  const photos = (b.photos ?? []).map((p, i) => {
    const d = decodePhoto(p);
    if (!d) throw validationError(`body.photos.${i}`, 'not a JPEG, PNG or WebP picture');
    return d;
  });
  const found = findingsOf(b.outcome, b.form);

  const saved = await ctx.db.transaction(async (tx) => {
    const ok = await visits.markVisited(tx, id, {
      outcome: b.outcome,
      method,
      lat: method === 'gps' ? (b.lat ?? null) : null,
      lng: method === 'gps' ? (b.lng ?? null) : null,
      distanceM,
      form: b.outcome === 'met' ? (b.form ?? null) : null,
      notes: b.notes ?? null,
      visitedBy: actor.id as string,
      visitedAt: at,
      clientKey: key,
    });
    if (!ok) return false;
    await visits.insertFindings(
      tx,
      found.map((f) => ({
        visitId: id,
        elderId: row.elder_id,
        regionCode: row.region_code,
        type: f.type,
        severity: f.severity,
        detail: f.detail,
        at,
        isDemo: row.is_demo,
      })),
    );
    for (const p of photos)
      await visits.insertPhoto(tx, {
        visitId: id,
        sha256: sha256Hex(p.bytes),
        mime: p.mime,
        dataEnc: ctx.cipher.encrypt(p.bytes.toString('base64')),
        bytes: p.bytes.length,
        by: actor.id,
      });
    // A volunteer's visit is also their finished task, for the time bank (confirmed like any task).
    const taskId = await recordCareVisitTask(tx, actor, {
      careVisitId: id,
      elderId: row.elder_id,
      regionCode: row.region_code,
      minutes: b.minutes ?? VOLUNTEER_VISIT_MINUTES,
      at,
      method,
      lat: method === 'gps' ? (b.lat ?? null) : null,
      lng: method === 'gps' ? (b.lng ?? null) : null,
      distanceM,
      isDemo: row.is_demo,
    });
    // The plan's next visit: interval days after this one.
    await repo.scheduleDue(tx, row.region_code, cstDate(at), row.elder_id);
    await recordAudit(tx, {
      actor,
      action: 'care.visit.record',
      targetType: 'care_visit',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        elderId: row.elder_id,
        outcome: b.outcome,
        method,
        distanceM,
        findings: found.map((f) => f.type),
        photos: photos.length,
        ...(taskId ? { volunteerTaskId: taskId } : {}),
      },
    });
    return true;
  });
  if (!saved) {
    // Someone recorded it between our read and our write: the same key replays, another is a conflict.
    const late = await replay();
    if (late) return late;
    throw conflict('This visit has already been recorded or cancelled.', undefined, 'already-handled');
  }
  return detail(ctx, actor, (await visits.findVisit(ctx.db, actor, id)) as visits.VisitRow);
}
