import { randomUUID } from 'node:crypto';
import type { CareCallResultAnswer, CareCallResultInput, CareCallTask, CareVisitTask, ScriptQuestion } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstDayStart } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { recordCareDial } from '../calls/care-dial.service.ts';
import * as repo from './campaigns.repo.ts';
import { nextAttemptAt, withinHours } from './campaigns.rules.ts';

/** Working the list: the agent's tasks, a dial's result, the visit tasks and the do-not-call flag. */

/** The questions of a task: its campaigns' scripts, a key asked once (the first campaign's wording). */
function questionsOf(campaigns: repo.CampaignRow[]): ScriptQuestion[] {
  const seen = new Map<string, ScriptQuestion>();
  const ordered = [...campaigns].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  for (const c of ordered) for (const q of c.script) if (!seen.has(q.key)) seen.set(q.key, q);
  return [...seen.values()];
}

async function presentTasks(db: DbOrTx, tasks: repo.TaskRow[], now: Date): Promise<CareCallTask[]> {
  const today = cstDate(now);
  const campaigns = new Map(
    (await repo.campaignsByIds(db, [...new Set(tasks.flatMap((t) => t.campaignIds))])).map((c) => [c.id, c]),
  );
  const names = await repo.elderNames(db, [...new Set(tasks.map((t) => t.elderId))]);
  const ids = tasks.map((t) => t.id);
  const today_ = await repo.attemptsOnDay(db, ids, today);
  const lastCalls = await repo.lastCallIds(db, ids);
  return tasks.map((t) => {
    const cs = t.campaignIds.map((id) => campaigns.get(id)).filter((c): c is repo.CampaignRow => !!c);
    const attemptsToday = today_.get(t.id) ?? 0;
    return {
      id: t.id,
      elderId: t.elderId,
      elderName: names.get(t.elderId) ?? '',
      regionCode: t.regionCode,
      listDate: t.listDate,
      agentUserId: t.agentUserId,
      status: t.status,
      campaigns: cs.map((c) => ({ id: c.id, name: c.name })),
      questions: questionsOf(cs),
      attempts: t.attempts,
      attemptsToday,
      nextAttemptAt: t.nextAttemptAt?.toISOString() ?? null,
      lastResult: t.lastResult,
      lastCallId: lastCalls.get(t.id) ?? null,
      dueNow:
        t.status === 'open' &&
        (!t.nextAttemptAt || t.nextAttemptAt <= now) &&
        attemptsToday < t.maxAttemptsPerDay &&
        withinHours(now, t),
      closedAt: t.closedAt?.toISOString() ?? null,
    };
  });
}

export async function myTasks(ctx: AppContext, actor: Actor, now: Date) {
  if (!actor.id) return { items: [], total: 0 };
  const day = cstDate(now);
  const rows = await repo.tasksOfAgent(ctx.db, actor.id, day, cstDayStart(day));
  const items = await presentTasks(ctx.db, rows, now);
  return { items, total: items.length };
}

export async function tasksOfDay(
  ctx: AppContext,
  actor: Actor,
  q: { date?: string; status?: repo.TaskRow['status']; unassigned?: boolean },
  now: Date,
) {
  const rows = await repo.tasksOfDay(ctx.db, actor, q.date ?? cstDate(now), q);
  const items = await presentTasks(ctx.db, rows, now);
  return { items, total: items.length };
}

/** End an open task as unreached and give the community worker a visit task (once per task). */
export async function closeUnreached(tx: DbOrTx, task: repo.TaskRow, now: Date) {
  if (task.status !== 'open') return false;
  const days = await repo.unansweredDays(tx, task.id);
  const attempts = await repo.countAttempts(tx, task.id);
  await repo.updateTask(tx, task.id, { status: 'unreached', closedAt: now, nextAttemptAt: null });
  const visit = await repo.insertVisit(tx, {
    elderId: task.elderId,
    regionCode: task.regionCode,
    reason: 'unreached',
    detail: { days, attempts, campaignIds: task.campaignIds },
    taskId: task.id,
  });
  if (visit)
    await recordAudit(tx, {
      actor: SYSTEM_ACTOR,
      action: 'care-visit.create',
      targetType: 'care_visit_task',
      targetId: visit.id,
      regionCode: task.regionCode,
      detail: { taskId: task.id, reason: 'unreached', days, attempts },
    });
  return !!visit;
}

/** Check the answers against the task's questions; rows to store. */
function answerRows(questions: ScriptQuestion[], answers: Record<string, string | number>, attemptId: string, taskId: string) {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  return Object.entries(answers).map(([key, value]) => {
    const q = byKey.get(key);
    const path = `body.answers.${key}`;
    if (!q) throw validationError(path, 'not a question of this call');
    if (q.kind === 'scale') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 5)
        throw validationError(path, 'a whole number from 1 to 5');
      return { attemptId, taskId, questionKey: key, scale: value };
    }
    if (typeof value !== 'string') throw validationError(path, 'text');
    if (q.kind === 'choice') {
      if (!q.options?.includes(value)) throw validationError(path, `one of ${q.options?.join(', ')}`);
      return { attemptId, taskId, questionKey: key, choice: value };
    }
    return { attemptId, taskId, questionKey: key, textValue: value };
  });
}

/**
 * Record one dial of a task. Answered, refused and wrong number close it; no answer and busy
 * schedule the next dial (not before the retry wait, within working hours, at most the day's
 * cap), and once the task went unanswered on `visitAfterDays` days and cannot be dialled again
 * today it ends unreached with a visit task. The same attempt id counts once.
 */
export async function recordResult(
  ctx: AppContext,
  actor: Actor,
  taskId: string,
  input: CareCallResultInput,
  now: Date,
): Promise<CareCallResultAnswer> {
  const answers = input.answers ?? {};
  if (input.result !== 'answered' && Object.keys(answers).length)
    throw validationError('body.answers', 'answers come with an answered call only');
  return ctx.db.transaction(async (tx) => {
    const task = await repo.findTask(tx, actor, taskId, true);
    if (!task) throw notFound('Care-call task');
    const key = input.attemptId ?? randomUUID();
    if (input.attemptId) {
      const prior = await repo.findAttempt(tx, task.id, key);
      if (prior) {
        if (prior.result !== input.result)
          throw unprocessable('This attempt id was already used for another result.', undefined, 'idempotency-key-reused');
        markUnchanged();
        return { ...(await presentTasks(tx, [task], now))[0], callId: prior.callId };
      }
    }
    if (task.status !== 'open') throw conflict(`This call is closed (${task.status}).`, undefined, 'invalid-state');
    const today = cstDate(now);
    const attemptsToday = (await repo.attemptsOnDay(tx, [task.id], today)).get(task.id) ?? 0;
    const unanswered = input.result === 'no_answer' || input.result === 'busy';
    if (unanswered && attemptsToday >= task.maxAttemptsPerDay)
      throw conflict(`Already dialled ${attemptsToday} times today; try again tomorrow.`, undefined, 'invalid-state');
    if (unanswered && task.nextAttemptAt && now < task.nextAttemptAt)
      throw conflict(`Not to be dialled again before ${task.nextAttemptAt.toISOString()}.`, undefined, 'invalid-state');

    const campaigns = await repo.campaignsByIds(tx, task.campaignIds);
    const attemptId = randomUUID();
    const rows = answerRows(questionsOf(campaigns), answers, attemptId, task.id);
    const attempt = await repo.insertAttempt(tx, {
      id: attemptId,
      taskId: task.id,
      attemptKey: key,
      result: input.result,
      callId: null,
      agentUserId: actor.id,
      attemptDate: today,
      at: now,
      note: input.note ?? null,
    });
    if (!attempt) {
      markUnchanged();
      return { ...(await presentTasks(tx, [task], now))[0], callId: null };
    }
    await repo.insertAnswers(tx, rows);
    // Every dial is a call record of the call log (outbound, the elder, this agent), named by the dial.
    const callId = await recordCareDial(tx, actor, {
      attemptId: attempt.id,
      taskId: task.id,
      elderId: task.elderId,
      regionCode: task.regionCode,
      result: input.result,
      at: now,
      note: input.note ?? null,
      callId: input.callId,
    });
    await repo.setAttemptCall(tx, attempt.id, callId);

    // A task no agent was given belongs to the agent of the region who works it.
    const taken = !task.agentUserId && actor.id && actor.role !== 'system' ? { agentUserId: actor.id } : {};
    let updated: repo.TaskRow;
    let visit = false;
    if (!unanswered) {
      const status = input.result === 'answered' ? 'answered' : input.result === 'refused' ? 'refused' : 'wrong_number';
      updated = await repo.updateTask(tx, task.id, {
        ...taken,
        status,
        attempts: task.attempts + 1,
        lastResult: input.result,
        closedAt: now,
        nextAttemptAt: null,
      });
    } else {
      const next = nextAttemptAt(now, task, attemptsToday + 1);
      updated = await repo.updateTask(tx, task.id, {
        ...taken,
        attempts: task.attempts + 1,
        lastResult: input.result,
        nextAttemptAt: next,
      });
      if (cstDate(next) !== today && (await repo.unansweredDays(tx, task.id)) >= task.visitAfterDays) {
        visit = await closeUnreached(tx, updated, now);
        updated = (await repo.findTaskById(tx, task.id)) as repo.TaskRow;
      }
    }
    await recordAudit(tx, {
      actor,
      action: 'care-call.result',
      targetType: 'care_call_task',
      targetId: task.id,
      regionCode: task.regionCode,
      detail: {
        result: input.result,
        callId,
        attempt: task.attempts + 1,
        answered: rows.map((r) => r.questionKey),
        ...(visit ? { visitTask: true } : {}),
      },
    });
    return { ...(await presentTasks(tx, [updated], now))[0], callId };
  });
}

// ---- Visit tasks ----

async function presentVisits(db: DbOrTx, rows: repo.VisitRow[]): Promise<CareVisitTask[]> {
  const names = await repo.elderNames(db, [...new Set(rows.map((r) => r.elderId))]);
  const campaigns = new Map(
    (await repo.campaignsByIds(db, [...new Set(rows.flatMap((r) => r.detail.campaignIds ?? []))])).map((c) => [c.id, c.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    elderId: r.elderId,
    elderName: names.get(r.elderId) ?? '',
    regionCode: r.regionCode,
    reason: r.reason,
    days: r.detail.days ?? null,
    attempts: r.detail.attempts ?? null,
    campaigns: (r.detail.campaignIds ?? []).map((id) => ({ id, name: campaigns.get(id) ?? '' })),
    createdAt: r.createdAt.toISOString(),
    doneAt: r.doneAt?.toISOString() ?? null,
    doneNote: r.doneNote,
  }));
}

export async function listVisits(ctx: AppContext, actor: Actor, openOnly = false) {
  const rows = await repo.listVisits(ctx.db, actor, openOnly);
  const items = await presentVisits(ctx.db, rows);
  return { items, total: items.length };
}

export async function completeVisit(ctx: AppContext, actor: Actor, id: string, note: string | undefined, now = new Date()) {
  return ctx.db.transaction(async (tx) => {
    const v = await repo.findVisit(tx, actor, id);
    if (!v) throw notFound('Visit task');
    if (v.doneAt) {
      markUnchanged();
      return (await presentVisits(tx, [v]))[0];
    }
    const done = await repo.updateVisit(tx, id, { doneAt: now, doneBy: actor.id, doneNote: note ?? null });
    await recordAudit(tx, {
      actor,
      action: 'care-visit.done',
      targetType: 'care_visit_task',
      targetId: id,
      regionCode: v.regionCode,
      detail: { elderId: v.elderId, note: note ? true : undefined },
    });
    return (await presentVisits(tx, [done]))[0];
  });
}

// ---- Do not call ----

export async function setOptOut(ctx: AppContext, actor: Actor, elderId: string, b: { optOut: boolean; reason?: string }) {
  return ctx.db.transaction(async (tx) => {
    const e = await repo.findVisibleElder(tx, actor, elderId);
    if (!e) throw notFound('Elder');
    const reason = b.optOut ? (b.reason ?? null) : null;
    await repo.setOptOut(tx, elderId, b.optOut, reason);
    const now = new Date();
    if (b.optOut) await repo.cancelOpenTasksOf(tx, elderId, now);
    await recordAudit(tx, {
      actor,
      action: 'elder.care-call-opt-out',
      targetType: 'elder',
      targetId: elderId,
      regionCode: e.region_code,
      detail: { from: e.care_call_opt_out, to: b.optOut, reason },
    });
    return { elderId, optOut: b.optOut, reason };
  });
}
