import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstMonth } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { presentApplication, presentEvent } from './allowances.present.ts';
import * as repo from './allowances.repo.ts';
import { ageForMonth, tierFor, upcomingMonth } from './allowances.rules.ts';
import type { ApplicationStatus } from './allowances.schema.ts';
import { ALLOWANCE_SYSTEM, districtOf, load, movedMeanwhile, recordStep, reread } from './steps.ts';

/**
 * Applications and their approval chain: proposed (by the monthly scan) → community → street →
 * district → 公示 (notice); rejected with a reason at any step. What follows once it is paid
 * (active ⇄ suspended, stopped) is in status.service.ts and sweep.service.ts. Every step writes
 * the timeline, the audit trail and an event (steps.ts).
 */

type Level = 'community' | 'street' | 'district';
/** Whose step each status is. */
const STEP_OF: Partial<Record<ApplicationStatus, Level>> = {
  proposed: 'community',
  community: 'community',
  street: 'street',
  district: 'district',
  notice: 'district',
};
const NEXT: Partial<Record<ApplicationStatus, ApplicationStatus>> = { community: 'street', street: 'district' };
const LEVEL_ZH: Record<Level, string> = { community: '社区', street: '街道', district: '区' };

/** The level of the actor's region: a 12-digit community, a 9-digit street, else the district. */
export function levelOf(actor: Actor): Level {
  const n = actor.regionCode?.length ?? 0;
  return n >= 12 ? 'community' : n >= 9 ? 'street' : 'district';
}

export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  q: { status?: ApplicationStatus; regionCode?: string; elderId?: string; limit: number; page: number },
) {
  const r = await repo.listApplications(ctx.db, actor, { ...q, offset: (q.page - 1) * q.limit });
  return { items: r.items.map((x) => presentApplication(ctx.cipher, x)), total: r.total };
}

export async function getApplication(ctx: AppContext, actor: Actor, id: string) {
  const row = await load(ctx, actor, id);
  const [events, payments] = await Promise.all([repo.timeline(ctx.db, id), repo.paymentsOf(ctx.db, id)]);
  // A read of an elder's personal record (name, birth date, payments) is on the trail.
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.application.read',
    targetType: 'allowance_application',
    targetId: id,
    regionCode: row.app.regionCode,
  });
  return {
    ...presentApplication(ctx.cipher, row),
    timeline: events.map(presentEvent),
    payments: payments.map((p) => ({
      rollId: p.line.rollId,
      month: p.line.month,
      kind: p.line.kind,
      amountFen: p.line.amountFen,
      rollStatus: p.rollStatus,
      recoveryDue: p.line.recoveryDue,
      failReason: p.line.failedAt ? p.line.failReason : null,
    })),
    overpaidFen: payments
      // A payment the bank returned never reached the elder: nothing to recover.
      .filter((p) => p.line.recoveryDue && p.rollStatus === 'approved' && !p.line.failedAt)
      .reduce((a, p) => a + p.line.amountFen, 0),
  };
}

interface BankInput {
  bankName: string;
  bankAccount: string;
  accountHolder: string;
  residenceSince?: string | null;
}
const bankColumns = (ctx: AppContext, b: BankInput) => ({
  bankName: b.bankName,
  bankAccountEnc: ctx.cipher.encrypt(b.bankAccount),
  accountHolder: b.accountHolder,
  residenceSince: b.residenceSince ?? null,
});

/** Would the elder be paid next month? Refuses an application that no tier could pay. */
async function checkEligible(
  ctx: AppContext,
  elder: { regionCode: string; birthDate: string; hukouLocal: boolean; categories: string[]; status: string },
  residenceSince: string | null,
) {
  if (elder.status === 'deceased' || elder.status === 'moved_away')
    throw conflict('The elder has died or moved away.', undefined, 'invalid-state');
  const tiers = await repo.tiersOfDistrict(ctx.db, districtOf(elder.regionCode));
  const month = upcomingMonth(tiers, cstMonth());
  const t = tierFor(tiers, elder, month, residenceSince);
  if ('reason' in t)
    throw unprocessable(`The elder does not qualify for a tier in ${month} (${t.reason}).`, [
      { path: 'elderId', message: t.reason },
    ]);
}

/** A walk-in application by staff: enters the community's review. */
export async function createApplication(ctx: AppContext, actor: Actor, body: BankInput & { elderId: string; note?: string }) {
  const elder = await repo.elderInReach(ctx.db, actor, body.elderId);
  if (!elder) throw notFound('Elder');
  return createApplicationFor(ctx, actor, elder, { ...body, source: 'staff' });
}

/** An application for an elder already found in reach (by staff, or the elder's own account). */
export async function createApplicationFor(
  ctx: AppContext,
  actor: Actor,
  elder: NonNullable<Awaited<ReturnType<typeof repo.elderInReach>>>,
  body: BankInput & { note?: string; source: 'staff' | 'self' },
) {
  await checkEligible(ctx, elder, body.residenceSince ?? null);
  return ctx.db.transaction(async (tx) => {
    const app = await repo.insertApplication(tx, {
      elderId: elder.id,
      regionCode: elder.regionCode,
      source: body.source,
      status: 'community',
      note: body.note ?? null,
      createdBy: actor.id,
      ...bankColumns(ctx, body),
    });
    if (!app) throw conflict('The elder already has an allowance or an application under way.', undefined, 'duplicate');
    await recordStep(ctx, tx, actor, app, {
      action: 'applied',
      from: null,
      to: 'community',
      auditAction: body.source === 'self' ? 'allowance.application.self' : 'allowance.application.create',
    });
    return reread(ctx, tx, app.id);
  });
}

/** The community confirms an elder the scan proposed, with the bank account. */
export async function confirmApplication(ctx: AppContext, actor: Actor, id: string, body: BankInput) {
  const row = await load(ctx, actor, id);
  if (row.app.status !== 'proposed') throw conflict('Only a proposed elder is confirmed.', undefined, 'invalid-state');
  if (levelOf(actor) !== 'community' && !isDistrictSystem(actor))
    throw conflict('The community confirms the elders the scan proposed.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    const app = await repo.updateApplication(tx, id, 'proposed', { status: 'community', ...bankColumns(ctx, body) });
    if (!app) throw movedMeanwhile();
    await recordStep(ctx, tx, actor, app, {
      action: 'confirmed',
      from: 'proposed',
      to: 'community',
      auditAction: 'allowance.application.confirm',
    });
    return reread(ctx, tx, id);
  });
}

const isDistrictSystem = (actor: Actor) => actor.role === 'system';

/** Approve or reject at the current step; the step must be the actor's level. */
export async function decide(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { decision: 'approve' | 'reject'; reason?: string },
) {
  const row = await load(ctx, actor, id);
  const from = row.app.status;
  const step = STEP_OF[from];
  if (!step || (from === 'notice' && row.app.openObjections === 0))
    throw conflict(`An application in status ${from} has no decision to take.`, undefined, 'invalid-state');
  if (from === 'proposed' && body.decision === 'approve')
    throw conflict('Confirm the proposed elder with the bank account first.', undefined, 'invalid-state');
  if (levelOf(actor) !== step) throw conflict(`This step is the ${step}'s (${LEVEL_ZH[step]}).`, undefined, 'invalid-state');
  const settings = await repo.getSettings(ctx.db, districtOf(row.app.regionCode));
  return ctx.db.transaction(async (tx) => {
    let to: ApplicationStatus;
    let patch: Parameters<typeof repo.updateApplication>[3];
    let action: string;
    if (body.decision === 'reject') {
      to = 'rejected';
      patch = { status: to, rejectReason: body.reason ?? null, openObjections: 0 };
      action = from === 'notice' ? 'objection_upheld' : `rejected_${step}`;
    } else if (from === 'notice') {
      to = 'notice';
      patch = { openObjections: 0 };
      action = 'objection_dismissed';
    } else if (from === 'district') {
      to = 'notice';
      patch = { status: to, noticeEndsOn: addDays(cstDate(), settings.noticeDays) };
      action = 'approved_district';
    } else {
      to = NEXT[from] as ApplicationStatus;
      patch = { status: to };
      action = `approved_${step}`;
    }
    const app = await repo.updateApplication(tx, id, from, patch);
    if (!app) throw movedMeanwhile();
    await recordStep(ctx, tx, actor, app, {
      action,
      from,
      to,
      reason: body.reason ?? null,
      auditAction: 'allowance.application.decide',
      detail: { decision: body.decision },
    });
    return reread(ctx, tx, id);
  });
}

/** An objection raised during 公示 holds the application until the district decides. */
export async function recordObjection(ctx: AppContext, actor: Actor, id: string, body: { content: string; objector?: string }) {
  const row = await load(ctx, actor, id);
  if (row.app.status !== 'notice')
    throw conflict('Objections are recorded while the application is under 公示.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    const app = await repo.updateApplication(tx, id, 'notice', { openObjections: row.app.openObjections + 1 });
    if (!app) throw movedMeanwhile();
    await recordStep(ctx, tx, actor, app, {
      action: 'objection',
      from: 'notice',
      to: 'notice',
      reason: body.objector ? `${body.objector}：${body.content}` : body.content,
      auditAction: 'allowance.objection.create',
    });
    return reread(ctx, tx, id);
  });
}
/** The 公示 list: name, sex, age, community and monthly amount — no ID number, no account. */
export async function listNotices(ctx: AppContext, actor: Actor, regionCode?: string) {
  const rows = await repo.notices(ctx.db, actor, regionCode);
  const tiersByDistrict = new Map<string, repo.TierRow[]>();
  const items = [];
  for (const r of rows) {
    const d = districtOf(r.app.regionCode);
    if (!tiersByDistrict.has(d)) tiersByDistrict.set(d, await repo.tiersOfDistrict(ctx.db, d));
    const tiers = tiersByDistrict.get(d) ?? [];
    const month = upcomingMonth(tiers, cstMonth());
    const t = tierFor(tiers, r, month, r.app.residenceSince);
    items.push({
      applicationId: r.app.id,
      elderName: r.elderName,
      sex: r.sex,
      age: ageForMonth(r.birthDate, month),
      regionCode: r.app.regionCode,
      regionName: r.regionName,
      monthlyFen: 'tier' in t ? t.tier.monthlyFen : null,
      noticeEndsOn: r.app.noticeEndsOn,
      openObjections: r.app.openObjections,
    });
  }
  return { items, total: items.length };
}
/** The scan proposes an elder (once: the live-application index refuses a second). */
export async function recordProposal(ctx: AppContext, tx: DbOrTx, elderId: string, regionCode: string) {
  const app = await repo.insertApplication(tx, { elderId, regionCode, source: 'scan', status: 'proposed' });
  if (!app) return false;
  await recordStep(ctx, tx, ALLOWANCE_SYSTEM, app, {
    action: 'proposed',
    from: null,
    to: 'proposed',
    reason: '达到高龄津贴年龄',
    auditAction: 'allowance.application.propose',
  });
  return true;
}
