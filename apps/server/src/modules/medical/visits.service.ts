import type { Vitals } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { elderVisibleTo } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { distanceMeters } from '../../lib/geo.ts';
import { idempotencyKeyOf } from '../../lib/idempotency.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { findVisibleCall } from '../calls/calls.repo.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import * as care from './care.repo.ts';
import { presentVisit, presentVisitDetail } from './medical.present.ts';
import * as repo from './medical.repo.ts';
import { openVisitHealth, sealVisitHealth, sealVisitReason } from './medical.sealed.ts';
import { publishReferral } from './referrals.service.ts';

// Home medical visits 上门医疗: requests, scheduling by the team, the record on the doctor's phone.

export async function listVisits(
  ctx: AppContext,
  actor: Actor,
  q: Omit<care.VisitFilter, 'mine'> & { mine?: 'true' | 'false'; limit: number; page: number; count?: boolean },
) {
  const today = cstDate();
  const f: care.VisitFilter = {
    status: q.status,
    on: q.on,
    elderId: q.elderId,
    regionCode: q.regionCode,
    mine: q.mine === 'true',
  };
  const rows = await care.listVisits(ctx.db, actor, f, today, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentVisit(ctx.cipher, r)),
    ...(q.count ? { total: await care.countVisits(ctx.db, actor, f) } : {}),
  };
}

async function detail(ctx: AppContext, db: AppContext['db'], actor: Actor, id: string) {
  const row = await care.findVisit(db, actor, id, cstDate());
  if (!row) throw notFound('Visit');
  return presentVisitDetail(ctx.cipher, row, await care.billingOf(db, { visitId: id }));
}

/** One visit with its record: health data, so the read is audited as a read of the elder's record. */
export async function getVisit(ctx: AppContext, actor: Actor, id: string) {
  const row = await care.findVisit(ctx.db, actor, id, cstDate());
  if (!row) throw notFound('Visit');
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: row.elder_id,
    regionCode: row.region_code,
    detail: { part: 'medical_visit', visitId: id },
  });
  return presentVisitDetail(ctx.cipher, row, await care.billingOf(ctx.db, { visitId: id }));
}

const SOURCE_OF_ROLE: Record<string, 'elder' | 'family' | 'call_centre' | 'staff'> = {
  elder: 'elder',
  family: 'family',
  operator: 'call_centre',
};

/** Ask for a home visit: the elder's contracted team takes it, else the team serving the community. */
export async function requestVisit(
  ctx: AppContext,
  actor: Actor,
  b: { elderId?: string; reason: string; teamId?: string; callId?: string },
) {
  const today = cstDate();
  let elderId = b.elderId;
  // The call centre asks for the caller's elder only: the call (in the operator's region) names the elder.
  if (SOURCE_OF_ROLE[actor.role] === 'call_centre' || b.callId) {
    if (!b.callId) throw validationError('body.callId', 'required: the call centre asks on a call');
    const call = (await findVisibleCall(ctx.db, actor, b.callId))?.call;
    if (!call) throw notFound('Call');
    if (!call.elderId) throw unprocessable('The call has no elder yet.', [{ path: 'body.callId', message: 'no elder' }]);
    if (elderId && elderId !== call.elderId) throw validationError('body.elderId', 'not the caller’s elder');
    elderId = call.elderId;
  }
  if (!elderId && (actor.role === 'elder' || actor.role === 'family') && actor.id) {
    const [u] = await queryRows<{ elder_id: string | null }>(ctx.db, sql`SELECT elder_id FROM users WHERE id = ${actor.id}`);
    elderId = u?.elder_id ?? undefined;
  }
  if (!elderId) throw validationError('body.elderId', 'required');
  const elder = await repo.findElder(ctx.db, elderVisibleTo(actor) ?? sql`true`, elderId, today);
  if (!elder) throw notFound('Elder');
  let teamId: string | null = null;
  if (b.teamId) {
    const [t] = await repo.listTeams(ctx.db, SYSTEM_ACTOR, { id: b.teamId });
    if (t?.status !== 'active' || !t.communities.includes(elder.region_code))
      throw validationError('body.teamId', 'not a team serving the elder’s community');
    teamId = t.id;
  } else {
    teamId =
      (await repo.activeContractOf(ctx.db, elder.id))?.team_id ?? (await repo.teamServing(ctx.db, elder.region_code))?.id ?? null;
  }
  if (!teamId)
    throw unprocessable('No family-doctor team serves this community yet.', [
      { path: 'body.elderId', message: 'no team serves the community' },
    ]);
  const source = SOURCE_OF_ROLE[actor.role] ?? 'staff';
  return ctx.db.transaction(async (tx) => {
    const id = await care.insertVisit(tx, {
      elderId: elder.id,
      regionCode: elder.region_code,
      teamId: teamId as string,
      source,
      privateEnc: sealVisitReason(ctx.cipher, b.reason),
      requestedBy: actor.id,
      isDemo: elder.is_demo,
    });
    await recordAudit(tx, {
      actor,
      action: 'medical.visit.request',
      targetType: 'medical_visit',
      targetId: id,
      regionCode: elder.region_code,
      detail: { elderId: elder.id, teamId, source, ...(b.callId ? { callId: b.callId } : {}) },
    });
    return presentVisit(ctx.cipher, (await care.findVisit(tx, SYSTEM_ACTOR, id, today)) as care.VisitRow);
  });
}

/** The person's own elder's requests (an elder or a family account). */
export async function myVisitRequests(ctx: AppContext, actor: Actor) {
  if (actor.role !== 'elder' && actor.role !== 'family') return { items: [], total: 0 };
  const rows = await care.listVisits(ctx.db, actor, {}, cstDate(), 20, 0);
  // A person sees when and whether the team comes, not the team's address list or the record.
  return { items: rows.map((r) => ({ ...presentVisit(ctx.cipher, r), address: null })), total: rows.length };
}

/** The member a doctor account is in the visit's team (null for staff). */
async function memberFor(ctx: AppContext, actor: Actor, teamId: string, memberId?: string) {
  if (memberId) {
    const m = await repo.findMember(ctx.db, memberId);
    if (!m || m.team_id !== teamId || !m.active) throw validationError('body.memberId', 'not an active member of this team');
    return m.id;
  }
  return actor.id ? repo.memberOfUser(ctx.db, actor.id, teamId) : null;
}

export async function scheduleVisit(ctx: AppContext, actor: Actor, id: string, b: { scheduledOn: string; memberId?: string }) {
  const today = cstDate();
  const row = await care.findVisit(ctx.db, actor, id, today);
  if (!row) throw notFound('Visit');
  if (row.status !== 'requested' && row.status !== 'scheduled')
    throw conflict('This visit is already done or cancelled.', undefined, 'invalid-state');
  if (b.scheduledOn < today) throw validationError('body.scheduledOn', 'today or later');
  const memberId = await memberFor(ctx, actor, row.team_id, b.memberId);
  return ctx.db.transaction(async (tx) => {
    if (!(await care.scheduleVisit(tx, id, b.scheduledOn, memberId)))
      throw conflict('Someone changed this visit meanwhile.', undefined, 'changed-meanwhile');
    await recordAudit(tx, {
      actor,
      action: 'medical.visit.schedule',
      targetType: 'medical_visit',
      targetId: id,
      regionCode: row.region_code,
      detail: { elderId: row.elder_id, scheduledOn: b.scheduledOn, memberId },
    });
    return presentVisit(ctx.cipher, (await care.findVisit(tx, actor, id, today)) as care.VisitRow);
  });
}

export async function cancelVisit(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const today = cstDate();
  const row = await care.findVisit(ctx.db, actor, id, today);
  if (!row) throw notFound('Visit');
  return ctx.db.transaction(async (tx) => {
    if (!(await care.cancelVisits(tx, { id })).length)
      throw conflict('This visit is already done or cancelled.', undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: 'medical.visit.cancel',
      targetType: 'medical_visit',
      targetId: id,
      regionCode: row.region_code,
      detail: { elderId: row.elder_id, reason },
    });
    return presentVisit(ctx.cipher, (await care.findVisit(tx, actor, id, today)) as care.VisitRow);
  });
}

/**
 * Record a visit from the doctor's phone. Check-in as for service and care visits: the elder's QR
 * code (must match) or the position (the distance to the archive's address is kept). The phone's
 * Idempotency-Key is stored with the record, so a resend answers the same visit. A 家庭病床 visit
 * records its billing lines (medical insurance, status 'recorded'); a visit from a referral moves
 * it to 已就诊.
 */
export async function recordVisit(
  ctx: AppContext,
  actor: Actor,
  req: FastifyRequest,
  id: string,
  b: {
    at?: string;
    lat?: number;
    lng?: number;
    qr?: string;
    findings: string;
    advice?: string;
    vitals?: Vitals;
    billing?: Array<{ itemCode: string; itemName: string; quantity: number; amountFen: number }>;
  },
) {
  const key = idempotencyKeyOf(req);
  const today = cstDate();
  const row = await care.findVisit(ctx.db, actor, id, today);
  if (!row) throw notFound('Visit');
  if (key && actor.id) {
    const prior = await care.findVisitByKey(ctx.db, actor.id, key);
    if (prior && prior.id !== id)
      throw unprocessable(
        'This Idempotency-Key was already used for another visit; use a new key.',
        undefined,
        'idempotency-key-reused',
      );
    if (prior) {
      markUnchanged();
      return detail(ctx, ctx.db, actor, id);
    }
  }
  if (row.status !== 'requested' && row.status !== 'scheduled')
    throw conflict('This visit has already been recorded or cancelled.', undefined, 'already-handled');
  if (b.billing?.length && !row.episode_id)
    throw validationError('body.billing', 'billing lines are recorded for 家庭病床 visits only');
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
  const memberId = actor.id ? await repo.memberOfUser(ctx.db, actor.id, row.team_id) : null;
  return ctx.db.transaction(async (tx) => {
    const ok = await care.markVisited(tx, id, {
      method,
      lat: method === 'gps' ? (b.lat ?? null) : null,
      lng: method === 'gps' ? (b.lng ?? null) : null,
      distanceM,
      privateEnc: sealVisitHealth(ctx.cipher, {
        reason: openVisitHealth(ctx.cipher, row.box).reason,
        findings: b.findings,
        advice: b.advice ?? null,
        vitals: b.vitals && Object.keys(b.vitals).length ? (b.vitals as Record<string, number>) : null,
      }),
      visitedBy: actor.id as string,
      visitedAt: at,
      clientKey: key,
      memberId,
    });
    if (!ok) throw conflict('This visit has already been recorded or cancelled.', undefined, 'already-handled');
    for (const line of b.billing ?? [])
      await care.insertBilling(tx, {
        episodeId: row.episode_id as string,
        visitId: id,
        ...line,
        serviceOn: cstDate(at),
        by: actor.id,
        isDemo: row.is_demo,
      });
    if (row.referral_id) {
      const moved = await care.moveReferral(tx, row.referral_id, ['accepted'], 'visited', {
        by: actor.id,
        teamId: null,
      });
      if (moved) await publishReferral(ctx, tx, row.referral_id);
    }
    await recordAudit(tx, {
      actor,
      action: 'medical.visit.record',
      targetType: 'medical_visit',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        elderId: row.elder_id,
        method,
        distanceM,
        vitals: Object.keys(b.vitals ?? {}),
        billingLines: b.billing?.length ?? 0,
        episodeId: row.episode_id,
      },
    });
    return detail(ctx, tx as never, actor, id);
  });
}
