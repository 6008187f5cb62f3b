import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import {
  LIVENESS_ACTIONS,
  type LivenessAction,
  SURVIVAL_MAX_FAILURES,
  SURVIVAL_MAX_FRAMES,
  SURVIVAL_MIN_FRAMES,
  type SurvivalChallenge,
  type SurvivalChannel,
} from '@zhiyang/shared';
import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstMonth } from '../../lib/dates.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { checkLiveness, hasEnrolment } from '../faces/faces.liveness-service.ts';
import * as appRepo from './allowances.repo.ts';
import { periodOf } from './allowances.rules.ts';
import { resumeIn } from './status.service.ts';
import { ALLOWANCE_SYSTEM, districtOf, load, recordStep } from './steps.ts';
import { presentAttempt, presentTask } from './survival.present.ts';
import * as repo from './survival.repo.ts';

/**
 * Remote survival verification 生存认证 (docs/allowances.md): a challenge of two random actions,
 * answered with camera frames that the face module checks for the actions in order and for the
 * enrolled elder in every frame. A pass is a survival verification like one recorded by staff
 * (and resumes a verification suspension with back-pay); three failures in a period give the
 * community a visit task — never a stop.
 */

/** How long a challenge may be answered: the page asks for the actions at once. */
export const CHALLENGE_SECONDS = 120;

type App = { id: string; elderId: string; regionCode: string; status: string };

/** Two distinct actions in a random order, from a CSPRNG. */
export function randomActions(): [LivenessAction, LivenessAction] {
  const first = LIVENESS_ACTIONS[randomInt(LIVENESS_ACTIONS.length)];
  const rest = LIVENESS_ACTIONS.filter((a) => a !== first);
  return [first, rest[randomInt(rest.length)]];
}

async function currentPeriod(ctx: AppContext, regionCode: string) {
  const settings = await appRepo.getSettings(ctx.db, districtOf(regionCode));
  return periodOf(cstMonth(), settings.verificationPeriod);
}

const verifiable = (status: string) => status === 'active' || status === 'suspended';

async function start(ctx: AppContext, actor: Actor, app: App, channel: SurvivalChannel): Promise<SurvivalChallenge> {
  if (!verifiable(app.status))
    throw conflict('Survival verification is for an allowance being paid or suspended.', undefined, 'invalid-state');
  if (!(await hasEnrolment(ctx, app.elderId)))
    throw conflict('The elder has no face enrolment; enrol at the community first.', undefined, 'face-not-enrolled');
  const period = await currentPeriod(ctx, app.regionCode);
  if ((await repo.failuresIn(ctx.db, app.id, period)) >= SURVIVAL_MAX_FAILURES)
    throw conflict('Three attempts failed this period; the community will visit.', undefined, 'tries-exhausted');
  const actions = randomActions();
  return ctx.db.transaction(async (tx) => {
    const c = await repo.insertChallenge(tx, {
      applicationId: app.id,
      elderId: app.elderId,
      channel,
      actions,
      nonce: randomBytes(18).toString('base64url'),
      expiresAt: new Date(Date.now() + CHALLENGE_SECONDS * 1000),
      createdBy: actor.id as string,
    });
    await recordAudit(tx, {
      actor,
      action: 'allowance.survival.challenge',
      targetType: 'allowance_application',
      targetId: app.id,
      regionCode: app.regionCode,
      detail: { challengeId: c.id, channel, actions, period },
    });
    return {
      id: c.id,
      nonce: c.nonce,
      actions,
      channel,
      expiresAt: c.expiresAt.toISOString(),
      minFrames: SURVIVAL_MIN_FRAMES,
      maxFrames: SURVIVAL_MAX_FRAMES,
    };
  });
}

/** The elder's own allowance that can be verified (elder or bound family account), or undefined. */
async function myApplication(ctx: AppContext, actor: Actor) {
  const elder = isPersonAccount(actor) ? await appRepo.elderOfPerson(ctx.db, actor) : undefined;
  if (!elder) return undefined;
  const app = await appRepo.latestApplicationOf(ctx.db, elder.id);
  return app && verifiable(app.status) ? app : undefined;
}

/** The phone page starts a verification for the account's elder. */
export async function startMine(ctx: AppContext, actor: Actor) {
  const app = await myApplication(ctx, actor);
  if (!app) throw notFound('Allowance');
  return start(ctx, actor, app, 'face_remote');
}

/** Staff start one at a community kiosk or on a visit, for an application in reach. */
export async function startStaff(ctx: AppContext, actor: Actor, id: string) {
  const row = await load(ctx, actor, id);
  return start(ctx, actor, row.app, 'kiosk');
}

function sameNonce(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** base64 (or a data URL) → bytes. */
function frameBytes(b64: string): Uint8Array {
  const comma = b64.startsWith('data:') ? b64.indexOf(',') : -1;
  return Buffer.from(comma >= 0 ? b64.slice(comma + 1) : b64, 'base64');
}

/**
 * Answer a challenge. Only its creator may (anyone else: 404), once (409 already-handled), before
 * it expires (409 challenge-expired); the challenge is used up before the frames are read, so
 * two submissions at once cannot both be judged.
 */
export async function answer(ctx: AppContext, actor: Actor, id: string, body: { nonce: string; frames: string[] }) {
  if (!actor.id) throw notFound('Challenge');
  const c = await repo.findOwnChallenge(ctx.db, actor.id, id);
  if (!c || !sameNonce(c.nonce, body.nonce)) throw notFound('Challenge');
  if (!(await repo.consumeChallenge(ctx.db, c.id))) {
    const now = await repo.findOwnChallenge(ctx.db, actor.id, id);
    if (now?.usedAt) throw conflict('This challenge was answered already; start a new one.', undefined, 'already-handled');
    throw conflict('The challenge expired; start a new one.', undefined, 'challenge-expired');
  }
  const actions = c.actions as LivenessAction[];
  const frames = body.frames.map(frameBytes);
  const outcome = await checkLiveness(ctx, c.elderId, actions, frames);
  if (!outcome) throw conflict('The elder has no face enrolment; enrol at the community first.', undefined, 'face-not-enrolled');
  const row = await appRepo.findApplication(ctx.db, ALLOWANCE_SYSTEM, c.applicationId);
  if (!row) throw notFound('Allowance application');
  const app = row.app;
  const period = await currentPeriod(ctx, app.regionCode);
  const keep = ctx.config.survivalKeepFrames === true;
  return ctx.db.transaction(async (tx) => {
    const attempt = await repo.insertAttempt(tx, {
      challengeId: c.id,
      applicationId: app.id,
      elderId: app.elderId,
      period,
      channel: c.channel,
      actions,
      result: outcome.passed ? 'passed' : 'failed',
      reason: outcome.reason,
      frame: outcome.frame,
      figures: { threshold: outcome.threshold, frames: outcome.figures },
      framesEnc: keep ? ctx.cipher.encrypt(JSON.stringify(body.frames)) : null,
      ms: outcome.ms,
      actorId: actor.id,
      actorName: actor.displayName,
    });
    await recordAudit(tx, {
      actor,
      action: 'allowance.survival.attempt',
      targetType: 'allowance_application',
      targetId: app.id,
      regionCode: app.regionCode,
      outcome: outcome.passed ? 'ok' : 'denied',
      detail: {
        attemptId: attempt.id,
        challengeId: c.id,
        channel: c.channel,
        period,
        actions,
        result: attempt.result,
        reason: outcome.reason,
        frame: outcome.frame,
        frames: frames.length,
        framesKept: keep,
        ms: outcome.ms,
      },
    });
    let visitTaskCreated = false;
    const failures = await repo.failuresIn(tx, app.id, period);
    if (outcome.passed) {
      await appRepo.insertVerification(tx, {
        elderId: app.elderId,
        period,
        method: 'face',
        channel: c.channel,
        attemptId: attempt.id,
        result: 'passed',
        note: c.channel === 'kiosk' ? '刷脸认证（社区）' : '刷脸认证（手机）',
        recordedBy: actor.id,
      });
      const note = `生存认证通过（${period}，${c.channel === 'kiosk' ? '社区刷脸' : '手机刷脸'}）`;
      if (app.status === 'suspended' && app.suspendReason === 'verification')
        await resumeIn(ctx, tx, actor, app, true, note, 'allowance.survival.attempt');
      else
        await recordStep(ctx, tx, actor, app, {
          action: 'verified_passed',
          from: app.status,
          to: app.status,
          reason: note,
          auditAction: 'allowance.survival.attempt',
          detail: { period, method: 'face', channel: c.channel },
        });
    } else if (failures >= SURVIVAL_MAX_FAILURES) {
      const task = await repo.insertVisitTask(tx, {
        applicationId: app.id,
        elderId: app.elderId,
        regionCode: app.regionCode,
        period,
      });
      if (task) {
        visitTaskCreated = true;
        await recordStep(ctx, tx, actor, app, {
          action: 'survival_visit_task',
          from: app.status,
          to: app.status,
          reason: `刷脸认证${failures}次未通过，请社区上门认证（${period}）`,
          auditAction: 'allowance.visit-task.create',
          detail: { period, taskId: task.id },
        });
      }
    }
    return {
      ...presentAttempt(attempt),
      triesLeft: outcome.passed ? SURVIVAL_MAX_FAILURES - failures : Math.max(0, SURVIVAL_MAX_FAILURES - failures),
      visitTaskCreated,
    };
  });
}

/** An application's verifications, remote attempts and visit tasks (the console's drawer). */
export async function history(ctx: AppContext, actor: Actor, id: string) {
  const row = await load(ctx, actor, id);
  const app = row.app;
  const period = await currentPeriod(ctx, app.regionCode);
  const [verifications, attempts, tasks, failures, passed] = await Promise.all([
    repo.verificationsOf(ctx.db, app.elderId),
    repo.attemptsOf(ctx.db, app.id),
    repo.visitTasksOf(ctx.db, app.id),
    repo.failuresIn(ctx.db, app.id, period),
    repo.passedIn(ctx.db, app.elderId, period),
  ]);
  await recordAudit(ctx.db, {
    actor,
    action: 'allowance.survival.read',
    targetType: 'allowance_application',
    targetId: app.id,
    regionCode: app.regionCode,
  });
  return {
    period,
    verifiedThisPeriod: passed,
    triesLeft: Math.max(0, SURVIVAL_MAX_FAILURES - failures),
    verifications: verifications.map((v) => ({
      period: v.period,
      method: v.method,
      channel: v.channel ?? null,
      result: v.result,
      note: v.note,
      at: v.at.toISOString(),
    })),
    attempts: attempts.map(presentAttempt),
    visitTasks: tasks.map(presentTask),
  };
}

/** The phone page's survival card. */
export async function mine(ctx: AppContext, actor: Actor) {
  const app = await myApplication(ctx, actor);
  if (!app)
    return { applicationId: null, faceEnrolled: false, period: null, verifiedThisPeriod: false, triesLeft: 0, lastAttempt: null };
  const period = await currentPeriod(ctx, app.regionCode);
  const [enrolled, failures, passed, attempts] = await Promise.all([
    hasEnrolment(ctx, app.elderId),
    repo.failuresIn(ctx.db, app.id, period),
    repo.passedIn(ctx.db, app.elderId, period),
    repo.attemptsOf(ctx.db, app.id, 1),
  ]);
  return {
    applicationId: app.id,
    faceEnrolled: enrolled,
    period,
    verifiedThisPeriod: passed,
    triesLeft: Math.max(0, SURVIVAL_MAX_FAILURES - failures),
    lastAttempt: attempts[0] ? presentAttempt(attempts[0]) : null,
  };
}

export async function listVisitTasks(ctx: AppContext, actor: Actor, status?: 'open' | 'done') {
  const rows = await repo.listVisitTasks(ctx.db, actor, status);
  return { items: rows.map(presentTask), total: rows.length };
}

/** Close a visit task with what was done (the verification itself is recorded with POST …/verifications). */
export async function completeVisitTask(ctx: AppContext, actor: Actor, id: string, note: string) {
  const t = await repo.findVisitTask(ctx.db, actor, id);
  if (!t) throw notFound('Visit task');
  return ctx.db.transaction(async (tx) => {
    if (!(await repo.closeVisitTask(tx, id, actor, note)))
      throw conflict('The task was closed already.', undefined, 'already-handled');
    await recordAudit(tx, {
      actor,
      action: 'allowance.visit-task.done',
      targetType: 'allowance_application',
      targetId: t.task.applicationId,
      regionCode: t.task.regionCode,
      detail: { taskId: id, period: t.task.period },
    });
    const after = await repo.findVisitTask(tx, actor, id);
    return presentTask(after as NonNullable<typeof after>);
  });
}
