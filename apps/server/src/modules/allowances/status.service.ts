import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstMonth } from '../../lib/dates.ts';
import { conflict } from '../../lib/errors.ts';
import * as repo from './allowances.repo.ts';
import { firstMonthAtAge, periodOf } from './allowances.rules.ts';
import type { SuspendReason } from './allowances.schema.ts';
import { ALLOWANCE_SYSTEM, districtOf, load, movedMeanwhile, recordStep, reread } from './steps.ts';

/**
 * An allowance once it is paid: 公示 ending into payment, suspension (staff, missed or failed
 * verification, the archive), resumption with or without back-pay, verification by staff.
 */

/**
 * Applications of a district whose 公示 ended before today with no open objection become active.
 * Paid from the later of the month after the birthday that reached the lowest tier and the month
 * of the application (no pay for months before one applied). Idempotent.
 */
export async function activateDueNotices(ctx: AppContext, tx: DbOrTx, district: string, today = cstDate()) {
  const due = await repo.noticesDue(tx, district, today);
  if (!due.length) return 0;
  const tiers = await repo.tiersOfDistrict(tx, district);
  const minAge = Math.min(...tiers.map((t) => t.minAge), 200);
  for (const { id } of due) {
    const row = await repo.findApplication(tx, ALLOWANCE_SYSTEM, id);
    if (!row) continue;
    const applied = cstMonth(row.app.createdAt);
    const reached = minAge < 200 ? firstMonthAtAge(row.birthDate, minAge) : applied;
    const paidFrom = [reached, applied].sort()[1];
    const app = await repo.updateApplication(tx, id, 'notice', { status: 'active', paidFrom });
    if (app)
      await recordStep(ctx, tx, ALLOWANCE_SYSTEM, app, {
        action: 'notice_ended',
        from: 'notice',
        to: 'active',
        auditAction: 'allowance.activate',
        detail: { paidFrom },
      });
  }
  return due.length;
}

/** Staff suspend payment (moved out, or another reason): no back-pay on resumption unless asked. */
export async function suspend(ctx: AppContext, actor: Actor, id: string, body: { reason: 'moved_out' | 'manual'; note: string }) {
  const row = await load(ctx, actor, id);
  if (row.app.status !== 'active') throw conflict('Only an allowance being paid is suspended.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    await suspendIn(ctx, tx, actor, row.app, body.reason, cstMonth(), body.note, 'allowance.suspend');
    return reread(ctx, tx, id);
  });
}

/** Suspend from `fromMonth` on (shared by staff, the verification rule and the archive sweep). */
export async function suspendIn(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  app: { id: string; elderId: string; regionCode: string },
  reason: SuspendReason,
  fromMonth: string,
  note: string,
  auditAction: string,
  /** A job or a roll that finds it already moved on (a concurrent run did it) skips instead of failing. */
  ifMoved: 'throw' | 'skip' = 'throw',
) {
  const done = await repo.updateApplication(tx, app.id, 'active', {
    status: 'suspended',
    suspendReason: reason,
    suspendedFrom: fromMonth,
    arrearsFrom: null,
  });
  if (!done) {
    if (ifMoved === 'skip') return false;
    throw movedMeanwhile();
  }
  await recordStep(ctx, tx, actor, app, {
    action: `suspended_${reason}`,
    from: 'active',
    to: 'suspended',
    reason: note,
    auditAction,
    detail: { fromMonth },
  });
  return true;
}

/**
 * Resume payment from the current month. Back-pay (the suspended months, paid as arrears by the
 * next roll) is the rule after a verification suspension; after another suspension only when asked.
 */
export async function resume(ctx: AppContext, actor: Actor, id: string, body: { note: string; backPay?: boolean }) {
  const row = await load(ctx, actor, id);
  if (row.app.status !== 'suspended') throw conflict('Only a suspended allowance is resumed.', undefined, 'invalid-state');
  if (row.elderStatus === 'deceased' || row.elderStatus === 'moved_away')
    throw conflict('The archive says the elder has died or moved away; correct the archive first.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    await resumeIn(
      ctx,
      tx,
      actor,
      row.app,
      body.backPay ?? row.app.suspendReason === 'verification',
      body.note,
      'allowance.resume',
    );
    return reread(ctx, tx, id);
  });
}

export async function resumeIn(
  ctx: AppContext,
  tx: DbOrTx,
  actor: Actor,
  app: { id: string; elderId: string; regionCode: string; suspendedFrom: string | null },
  backPay: boolean,
  note: string,
  auditAction: string,
) {
  const arrearsFrom = backPay ? app.suspendedFrom : null;
  const done = await repo.updateApplication(tx, app.id, 'suspended', {
    status: 'active',
    suspendReason: null,
    suspendedFrom: null,
    arrearsFrom,
  });
  if (!done) throw movedMeanwhile();
  await recordStep(ctx, tx, actor, app, {
    action: 'resumed',
    from: 'suspended',
    to: 'active',
    reason: note,
    auditAction,
    detail: { backPay, arrearsFrom },
  });
}

/**
 * A survival verification done by staff (in person or by video). A pass resumes an allowance
 * suspended for missed verification (with back-pay); a failure suspends an active one.
 */
export async function recordVerification(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { month: string; method: 'in_person' | 'video'; result: 'passed' | 'failed'; note?: string },
) {
  const row = await load(ctx, actor, id);
  if (!['active', 'suspended'].includes(row.app.status))
    throw conflict('Verification is recorded for an allowance being paid or suspended.', undefined, 'invalid-state');
  const settings = await repo.getSettings(ctx.db, districtOf(row.app.regionCode));
  const period = periodOf(body.month, settings.verificationPeriod);
  return ctx.db.transaction(async (tx) => {
    await repo.insertVerification(tx, {
      elderId: row.app.elderId,
      period,
      method: body.method,
      result: body.result,
      note: body.note ?? null,
      recordedBy: actor.id,
    });
    const note = `生存认证${body.result === 'passed' ? '通过' : '未通过'}（${period}）`;
    if (body.result === 'passed' && row.app.status === 'suspended' && row.app.suspendReason === 'verification') {
      await resumeIn(ctx, tx, actor, row.app, true, note, 'allowance.verification.record');
    } else if (body.result === 'failed' && row.app.status === 'active') {
      await suspendIn(ctx, tx, actor, row.app, 'verification', cstMonth(), note, 'allowance.verification.record');
    } else {
      await recordStep(ctx, tx, actor, row.app, {
        action: `verified_${body.result}`,
        from: row.app.status,
        to: row.app.status,
        reason: note,
        auditAction: 'allowance.verification.record',
        detail: { period, method: body.method },
      });
    }
    return reread(ctx, tx, id);
  });
}
