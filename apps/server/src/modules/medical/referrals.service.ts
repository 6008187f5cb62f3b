import type { ReferralStatus } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo } from '../../lib/access.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as care from './care.repo.ts';
import { presentPartnership, presentReferral } from './medical.present.ts';
import * as repo from './medical.repo.ts';
import { openReferralHealth, sealReferralHealth, sealVisitReason } from './medical.sealed.ts';

// Partnerships 医养合作 and referrals 转诊 from care to medicine.

export async function listPartnerships(ctx: AppContext, actor: Actor, q: { regionCode?: string; status?: 'active' | 'ended' }) {
  const rows = await care.listPartnerships(ctx.db, actor, q);
  return { items: rows.map(presentPartnership), total: rows.length };
}

export async function createPartnership(
  ctx: AppContext,
  actor: Actor,
  b: {
    orgId: string;
    medicalOrgId: string;
    agreementNo?: string;
    startsOn: string;
    endsOn: string;
    greenChannel: boolean;
    services?: string;
  },
) {
  if (b.endsOn <= b.startsOn) throw validationError('body.endsOn', 'must be after startsOn');
  const org = await care.findCareOrg(ctx.db, actor, b.orgId);
  if (!org) throw validationError('body.orgId', 'not an institution or community centre in your reach');
  const [medical] = await repo.listOrgs(ctx.db, actor, undefined, b.medicalOrgId);
  if (!medical) throw validationError('body.medicalOrgId', 'not a medical organisation in your reach');
  return ctx.db.transaction(async (tx) => {
    const id = await care.insertPartnership(tx, { ...b, regionCode: org.region_code, by: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'medical.partnership.create',
      targetType: 'medical_partnership',
      targetId: id,
      regionCode: org.region_code,
      detail: {
        orgId: b.orgId,
        medicalOrgId: b.medicalOrgId,
        greenChannel: b.greenChannel,
        startsOn: b.startsOn,
        endsOn: b.endsOn,
      },
    });
    const [row] = await care.listPartnerships(tx, actor, { id });
    return presentPartnership(row);
  });
}

export async function endPartnership(ctx: AppContext, actor: Actor, id: string) {
  const [row] = await care.listPartnerships(ctx.db, actor, { id });
  if (!row) throw notFound('Partnership');
  return ctx.db.transaction(async (tx) => {
    if (!(await care.endPartnership(tx, id))) throw conflict('This partnership has already ended.', undefined, 'invalid-state');
    await recordAudit(tx, {
      actor,
      action: 'medical.partnership.end',
      targetType: 'medical_partnership',
      targetId: id,
      regionCode: row.region_code,
    });
    const [after] = await care.listPartnerships(tx, actor, { id });
    return presentPartnership(after);
  });
}

export async function listReferrals(
  ctx: AppContext,
  actor: Actor,
  q: { status?: ReferralStatus; regionCode?: string; limit: number; page: number; count?: boolean },
) {
  const rows = await care.listReferrals(ctx.db, actor, q, q.limit, (q.page - 1) * q.limit);
  return {
    items: rows.map((r) => presentReferral(ctx.cipher, r)),
    ...(q.count ? { total: await care.countReferrals(ctx.db, actor, q) } : {}),
  };
}

/** Tell the region's staff and the care-visits module (which closes its follow-up) that a referral moved. */
export async function publishReferral(ctx: AppContext, tx: DbOrTx, id: string) {
  const r = await care.findReferral(tx, SYSTEM_ACTOR, id);
  if (!r) return;
  await ctx.events.publish(tx, {
    type: 'medical.referral.updated',
    data: { id: r.id, elderId: r.elder_id, regionCode: r.region_code, status: r.status, followUpId: r.follow_up_id },
    audience: { permission: 'medical:read', regionCode: r.region_code },
  });
}

export async function createReferral(
  ctx: AppContext,
  actor: Actor,
  b: { elderId: string; medicalOrgId: string; teamId?: string; reason: string; urgency: 'normal' | 'urgent' },
) {
  const today = cstDate();
  const elder = await repo.findElder(ctx.db, elderVisibleTo(actor) ?? sql`true`, b.elderId, today);
  if (!elder) throw notFound('Elder');
  const medical = await care.findMedicalOrg(ctx.db, b.medicalOrgId);
  if (medical?.status !== 'active' || medical.region_code.slice(0, 6) !== elder.region_code.slice(0, 6))
    throw validationError('body.medicalOrgId', 'not an active medical organisation of the elder’s district');
  if (b.teamId) {
    const [t] = await repo.listTeams(ctx.db, SYSTEM_ACTOR, { id: b.teamId });
    if (!t || t.org_id !== medical.id) throw validationError('body.teamId', 'not a team of this medical organisation');
  }
  const fromOrgId = actor.role === 'institution_staff' ? actor.orgId : null;
  const green = fromOrgId ? await care.greenChannel(ctx.db, fromOrgId, medical.id, today) : false;
  return ctx.db.transaction(async (tx) => {
    const id = await care.insertReferral(tx, {
      elderId: elder.id,
      regionCode: elder.region_code,
      source: actor.role === 'institution_staff' ? 'institution' : 'care_staff',
      fromOrgId,
      medicalOrgId: medical.id,
      teamId: b.teamId ?? null,
      privateEnc: sealReferralHealth(ctx.cipher, { reason: b.reason, note: null }),
      urgency: b.urgency,
      greenChannel: green,
      by: actor.id,
      isDemo: elder.is_demo,
    });
    await recordAudit(tx, {
      actor,
      action: 'medical.referral.create',
      targetType: 'medical_referral',
      targetId: id,
      regionCode: elder.region_code,
      detail: { elderId: elder.id, medicalOrgId: medical.id, urgency: b.urgency, greenChannel: green },
    });
    await publishReferral(ctx, tx, id);
    return presentReferral(ctx.cipher, (await care.findReferral(tx, SYSTEM_ACTOR, id)) as care.ReferralRow);
  });
}

/**
 * The referral a care visit's 家庭医生转介 follow-up makes, in the follow-up's transaction (called by
 * the care-visits module). It goes to the elder's contracted team, else a team serving the
 * community, else a medical organisation of the district; with none, nothing is made (null) and
 * the follow-up is worked by hand.
 */
export async function referFromFollowUp(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  f: { followUpId: string; elderId: string; regionCode: string; reason: string; urgent: boolean; isDemo: boolean },
) {
  const target = await care.medicalOrgFor(tx, f.elderId, f.regionCode);
  if (!target) return null;
  const id = await care.insertReferral(tx, {
    elderId: f.elderId,
    regionCode: f.regionCode,
    source: 'care_visit',
    fromOrgId: null,
    medicalOrgId: target.org_id,
    teamId: target.team_id,
    privateEnc: sealReferralHealth(ctx.cipher, { reason: f.reason, note: null }),
    urgency: f.urgent ? 'urgent' : 'normal',
    greenChannel: false,
    followUpId: f.followUpId,
    by: actor.id,
    isDemo: f.isDemo,
  });
  await recordAudit(tx, {
    actor,
    action: 'medical.referral.create',
    targetType: 'medical_referral',
    targetId: id,
    regionCode: f.regionCode,
    detail: { elderId: f.elderId, medicalOrgId: target.org_id, followUpId: f.followUpId },
  });
  await publishReferral(ctx, tx, id);
  return id;
}

const NEXT: Record<string, readonly string[]> = {
  accepted: ['pending'],
  visited: ['accepted'],
  completed: ['accepted', 'visited'],
  rejected: ['pending', 'accepted'],
};

/** The team answers a referral; accepting may schedule a home visit at once. */
export async function updateReferral(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: { status: 'accepted' | 'visited' | 'completed' | 'rejected'; note?: string; scheduleVisitOn?: string },
) {
  const r = await care.findReferral(ctx.db, actor, id);
  if (!r) throw notFound('Referral');
  if (!NEXT[b.status].includes(r.status))
    throw conflict(`A referral that is ${r.status} cannot become ${b.status}.`, undefined, 'invalid-state');
  if (b.status === 'rejected' && !b.note) throw validationError('body.note', 'say why the referral is refused');
  if (b.scheduleVisitOn && b.status !== 'accepted') throw validationError('body.scheduleVisitOn', 'only when accepting');
  const today = cstDate();
  if (b.scheduleVisitOn && b.scheduleVisitOn < today) throw validationError('body.scheduleVisitOn', 'today or later');
  // The team taking it: the referral's, else the doctor's own team in that organisation.
  let teamId = r.team_id;
  if (!teamId && actor.role === 'doctor') {
    const [mine] = await repo.listTeams(ctx.db, actor, { mine: true, orgId: r.medical_org_id });
    teamId = mine?.id ?? null;
  }
  if (b.scheduleVisitOn && !teamId) throw validationError('body.scheduleVisitOn', 'the referral has no team to visit');
  return ctx.db.transaction(async (tx) => {
    const moved = await care.moveReferral(tx, id, NEXT[b.status], b.status, { by: actor.id, teamId });
    if (!moved) throw conflict('Someone changed this referral meanwhile.', undefined, 'changed-meanwhile');
    // The note is health data like the reason: sealed with it (a note in clear from before is sealed now too).
    if (b.note || moved.note !== null) {
      const health = openReferralHealth(ctx.cipher, moved.box, moved.note);
      await care.resealReferral(tx, id, sealReferralHealth(ctx.cipher, { ...health, note: b.note || health.note }));
    }
    let visitId: string | null = null;
    if (b.scheduleVisitOn && teamId) {
      const memberId = actor.id ? await repo.memberOfUser(tx, actor.id, teamId) : null;
      visitId = await care.insertVisit(tx, {
        elderId: r.elder_id,
        regionCode: r.region_code,
        teamId,
        source: 'referral',
        referralId: r.id,
        privateEnc: sealVisitReason(ctx.cipher, openReferralHealth(ctx.cipher, r.box).reason),
        status: 'scheduled',
        scheduledOn: b.scheduleVisitOn,
        memberId,
        requestedBy: actor.id,
        isDemo: r.is_demo,
      });
    }
    await recordAudit(tx, {
      actor,
      action: 'medical.referral.update',
      targetType: 'medical_referral',
      targetId: id,
      regionCode: r.region_code,
      // Whether the team wrote a note, not the note: it is health data, kept sealed in the referral.
      detail: { from: r.status, to: b.status, noted: Boolean(b.note), visitId },
    });
    await publishReferral(ctx, tx, id);
    return presentReferral(ctx.cipher, (await care.findReferral(tx, SYSTEM_ACTOR, id)) as care.ReferralRow);
  });
}
