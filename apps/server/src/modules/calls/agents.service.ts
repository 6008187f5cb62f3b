import type { CallAgent, CallLiveView } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { actorCoversRegion, roleCan } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, isUniqueViolation, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './agents.repo.ts';
import type { AgentState } from './calls.schema.ts';

/**
 * Agents (坐席) and their states. 离线 offline, 空闲 idle and 小休 break (with a reason) are set by
 * the agent; 振铃 ringing, 通话中 talking and 话后处理 wrap_up follow the call events. After-call
 * work ends by itself after CALL_WRAP_UP_MAX_SECONDS: reads show it ended at once, and every
 * write (a state change, a call event, the minute sweep) settles it into the history first.
 * Every change closes the agent's open call_agent_states span and opens the next.
 */

export const wrapUpMaxSeconds = (ctx: AppContext) => ctx.config.callWrapUpMaxSeconds ?? 120;

/** When an agent's after-call work ends by itself, or null when not in wrap_up. */
function wrapUpEnds(ctx: AppContext, a: repo.AgentRow): Date | null {
  return a.state === 'wrap_up' ? new Date(a.stateSince.getTime() + wrapUpMaxSeconds(ctx) * 1000) : null;
}

/** The agent as it is now: a wrap_up past its maximum is idle since it ran out. */
export function effectiveAgent(ctx: AppContext, a: repo.AgentRow, now = new Date()): repo.AgentRow {
  const ends = wrapUpEnds(ctx, a);
  if (!ends || ends > now) return a;
  return { ...a, state: 'idle', breakReason: null, stateSince: ends, idleSince: ends, currentCallId: null };
}

export function presentAgent(ctx: AppContext, row: repo.AgentRow, now = new Date()): CallAgent {
  const a = effectiveAgent(ctx, row, now);
  return {
    userId: a.userId,
    username: a.username,
    displayName: a.displayName,
    extension: a.extension,
    skills: a.skills,
    state: a.state,
    breakReason: a.breakReason,
    stateSince: a.stateSince.toISOString(),
    secondsInState: Math.max(0, Math.floor((now.getTime() - a.stateSince.getTime()) / 1000)),
    idleSince: a.idleSince?.toISOString() ?? null,
    currentCallId: a.currentCallId,
    regionCode: a.regionCode,
    wrapUpEndsAt: wrapUpEnds(ctx, a)?.toISOString() ?? null,
  };
}

/**
 * Move an agent to a state inside the caller's transaction: closes the open span, opens the next,
 * ends the after-call work of the call it leaves, and tells the live views (call.agent).
 * `agent` is the row read (locked) in this transaction.
 */
export async function transition(
  ctx: AppContext,
  tx: DbOrTx,
  agent: repo.AgentRow,
  to: AgentState,
  opts: { reason?: string | null; callId?: string | null; at?: Date } = {},
): Promise<repo.AgentRow> {
  const at = opts.at ?? new Date();
  const callId = to === 'ringing' || to === 'talking' || to === 'wrap_up' ? (opts.callId ?? agent.currentCallId) : null;
  if (agent.state === 'wrap_up' && agent.currentCallId && to !== 'wrap_up')
    await repo.endWrapUpOfCall(tx, agent.currentCallId, at);
  const idleSince = to === 'idle' ? at : undefined;
  await repo.moveState(tx, agent.userId, { state: to, reason: opts.reason ?? null, at, callId, idleSince });
  await ctx.events.publish(tx, {
    type: 'call.agent',
    data: {
      id: agent.userId,
      userId: agent.userId,
      extension: agent.extension,
      state: to,
      from: agent.state,
      reason: opts.reason ?? null,
      callId,
      at: at.toISOString(),
    },
    audience: { permission: 'call:take', regionCode: agent.regionCode, userIds: [agent.userId] },
  });
  return {
    ...agent,
    state: to,
    breakReason: to === 'break' ? (opts.reason ?? null) : null,
    stateSince: at,
    currentCallId: callId,
    idleSince: idleSince ?? agent.idleSince,
  };
}

/** Write down a wrap_up that ran past its maximum (idle from the moment it ran out); the row as it now is. */
export async function settleWrapUp(ctx: AppContext, tx: DbOrTx, agent: repo.AgentRow, now = new Date()): Promise<repo.AgentRow> {
  const ends = wrapUpEnds(ctx, agent);
  if (!ends || ends > now) return agent;
  return transition(ctx, tx, agent, 'idle', { at: ends });
}

/** The minute sweep: every after-call work past its maximum becomes idle, durably. */
export async function sweepWrapUps(ctx: AppContext): Promise<number> {
  const due = await repo.expiredWrapUps(ctx.db, wrapUpMaxSeconds(ctx));
  let n = 0;
  for (const { userId } of due) {
    await ctx.db.transaction(async (tx) => {
      const a = await repo.findAgent(tx, userId, { lock: true });
      if (a && (await settleWrapUp(ctx, tx, a)) !== a) n++;
    });
  }
  return n;
}

export async function listAgents(ctx: AppContext, actor: Actor) {
  const now = new Date();
  const rows = await repo.listAgents(ctx.db, actor);
  return { items: rows.map((r) => presentAgent(ctx, r, now)), total: rows.length };
}

async function agentInScope(ctx: AppContext, actor: Actor, userId: string, db: DbOrTx = ctx.db, lock = false) {
  const a = await repo.findAgent(db, userId, { lock });
  if (!a || !actorCoversRegion(actor, a.regionCode)) throw notFound('Agent');
  return a;
}

export async function registerAgent(
  ctx: AppContext,
  actor: Actor,
  body: { userId: string; extension: string; skills?: string[] },
) {
  const user = await repo.findUser(ctx.db, body.userId);
  const regionCode = user?.regionCode ?? actor.regionCode;
  if (!user || !regionCode || !actorCoversRegion(actor, regionCode)) throw notFound('User');
  if (user.status !== 'active' || !roleCan(user.role, 'call:take'))
    throw unprocessable('This user may not take calls (the role has no call:take).', [
      { path: 'body.userId', message: 'this user may not take calls' },
    ]);
  const skills = [...new Set(body.skills ?? [])];
  try {
    return await ctx.db.transaction(async (tx) => {
      const now = new Date();
      await repo.insertAgent(tx, {
        userId: user.id,
        extension: body.extension,
        skills,
        regionCode,
        state: 'offline',
        stateSince: now,
      });
      await recordAudit(tx, {
        actor,
        action: 'call.agent.register',
        targetType: 'call_agent',
        targetId: user.id,
        regionCode,
        detail: { extension: body.extension, skills },
      });
      return presentAgent(ctx, (await repo.findAgent(tx, user.id)) as repo.AgentRow, now);
    });
  } catch (err) {
    // Say which field clashed, so the console marks it: the user (an agent already) or the extension.
    if (isUniqueViolation(err)) {
      const already = await repo.findAgent(ctx.db, user.id);
      throw conflict(
        already ? 'This user is an agent already.' : 'The extension is taken by another agent.',
        [already ? { path: 'body.userId', message: 'already an agent' } : { path: 'body.extension', message: 'taken' }],
        'duplicate',
      );
    }
    throw err;
  }
}

export async function updateAgent(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  patch: { extension?: string; skills?: string[] },
) {
  const before = await agentInScope(ctx, actor, userId);
  const set = {
    ...(patch.extension !== undefined ? { extension: patch.extension } : {}),
    ...(patch.skills !== undefined ? { skills: [...new Set(patch.skills)] } : {}),
  };
  try {
    return await ctx.db.transaction(async (tx) => {
      if (Object.keys(set).length) await repo.updateAgent(tx, userId, set);
      await recordAudit(tx, {
        actor,
        action: 'call.agent.update',
        targetType: 'call_agent',
        targetId: userId,
        regionCode: before.regionCode,
        detail: { from: { extension: before.extension, skills: before.skills }, to: set },
      });
      return presentAgent(ctx, (await repo.findAgent(tx, userId)) as repo.AgentRow);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('The extension is taken by another agent.', [{ path: 'body.extension', message: 'taken' }], 'duplicate');
    throw err;
  }
}

/** 转接: the other agents in the caller's reach who are at work (not 离线), by extension. */
export async function transferTargets(ctx: AppContext, actor: Actor) {
  const rows = (await repo.listAgents(ctx.db, actor)).filter((r) => r.userId !== actor.id && r.state !== 'offline');
  return {
    items: rows.map((r) => ({ userId: r.userId, displayName: r.displayName, extension: r.extension, state: r.state })),
    total: rows.length,
  };
}

export async function myAgent(ctx: AppContext, actor: Actor) {
  const a = actor.id ? await repo.findAgent(ctx.db, actor.id) : undefined;
  if (!a) throw notFound('Agent');
  return presentAgent(ctx, a);
}

/** The agent sets its own state: idle (ready, or after-call work done), break with a reason, offline. */
export async function setMyState(ctx: AppContext, actor: Actor, body: { state: 'idle' | 'break' | 'offline'; reason?: string }) {
  if (!actor.id) throw notFound('Agent');
  const userId = actor.id;
  return ctx.db.transaction(async (tx) => {
    let a = await repo.findAgent(tx, userId, { lock: true });
    if (!a) throw notFound('Agent');
    a = await settleWrapUp(ctx, tx, a);
    if (a.state === 'ringing' || a.state === 'talking')
      throw conflict(
        `The agent is ${a.state === 'ringing' ? 'being rung' : 'on a call'}; the call sets the state.`,
        undefined,
        'invalid-state',
      );
    const reason = body.state === 'break' ? (body.reason ?? null) : null;
    if (a.state !== body.state || a.breakReason !== reason) a = await transition(ctx, tx, a, body.state, { reason });
    await recordAudit(tx, {
      actor,
      action: 'call.agent.state',
      targetType: 'call_agent',
      targetId: userId,
      regionCode: a.regionCode,
      detail: { state: body.state, reason },
    });
    return presentAgent(ctx, a);
  });
}

/** The supervisor's live view: every agent's state and time in it, calls waiting per queue and the longest wait. */
export async function liveView(ctx: AppContext, actor: Actor): Promise<CallLiveView> {
  const now = new Date();
  const [agents, queues] = await Promise.all([repo.listAgents(ctx.db, actor), repo.waitingPerQueue(ctx.db, actor)]);
  return {
    at: now.toISOString(),
    agents: agents.map((a) => presentAgent(ctx, a, now)),
    queues: queues.map((q) => ({
      queueId: q.queueId,
      queueName: q.queueName,
      hotlineId: q.hotlineId,
      hotlineNumber: q.hotlineNumber,
      skill: q.skill,
      waiting: Number(q.waiting),
      longestWaitSeconds: q.oldest ? Math.max(0, Math.floor((now.getTime() - new Date(q.oldest).getTime()) / 1000)) : null,
    })),
  };
}

// ── Hotlines (热线) and queues ───────────────────────────────────────────────────────────────

const presentQueue = (q: repo.QueueRow) => ({
  id: q.id,
  hotlineId: q.hotlineId,
  name: q.name,
  skill: q.skill,
  overflowSeconds: q.overflowSeconds,
  active: q.active,
});
const presentHotline = (h: repo.HotlineRow, queues: repo.QueueRow[]) => ({
  id: h.id,
  number: h.number,
  name: h.name,
  regionCode: h.regionCode,
  active: h.active,
  queues: queues.filter((q) => q.hotlineId === h.id).map(presentQueue),
});

export async function listHotlines(ctx: AppContext, actor: Actor) {
  const { hotlines, queues } = await repo.listHotlines(ctx.db, actor);
  return { items: hotlines.map((h) => presentHotline(h, queues)), total: hotlines.length };
}

async function hotlineInScope(ctx: AppContext, actor: Actor, id: string) {
  const h = await repo.findHotline(ctx.db, id);
  if (!h || !actorCoversRegion(actor, h.regionCode)) throw notFound('Hotline');
  return h;
}

export async function createHotline(
  ctx: AppContext,
  actor: Actor,
  body: { number: string; name: string; regionCode: string; active?: boolean },
) {
  if (!actorCoversRegion(actor, body.regionCode)) throw notFound('Region');
  try {
    return await ctx.db.transaction(async (tx) => {
      const h = await repo.insertHotline(tx, { ...body, number: body.number.replace(/-/g, '') });
      await recordAudit(tx, {
        actor,
        action: 'call.hotline.create',
        targetType: 'call_hotline',
        targetId: h.id,
        regionCode: h.regionCode,
        detail: { number: h.number, name: h.name },
      });
      return presentHotline(h, []);
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict('A hotline with this number exists.', [{ path: 'body.number', message: 'taken' }], 'duplicate');
    throw err;
  }
}

export async function updateHotline(ctx: AppContext, actor: Actor, id: string, patch: { name?: string; active?: boolean }) {
  const before = await hotlineInScope(ctx, actor, id);
  return ctx.db.transaction(async (tx) => {
    const h = await repo.updateHotline(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'call.hotline.update',
      targetType: 'call_hotline',
      targetId: id,
      regionCode: before.regionCode,
      detail: { from: { name: before.name, active: before.active }, to: patch },
    });
    return presentHotline(h, await repo.queuesOf(tx, id));
  });
}

type QueueInput = { name?: string; skill?: string | null; overflowSeconds?: number; active?: boolean };

export async function createQueue(ctx: AppContext, actor: Actor, hotlineId: string, body: QueueInput & { name: string }) {
  const h = await hotlineInScope(ctx, actor, hotlineId);
  return ctx.db.transaction(async (tx) => {
    const q = await repo.insertQueue(tx, { ...body, hotlineId });
    await recordAudit(tx, {
      actor,
      action: 'call.queue.create',
      targetType: 'call_queue',
      targetId: q.id,
      regionCode: h.regionCode,
      detail: { hotline: h.number, name: q.name, skill: q.skill, overflowSeconds: q.overflowSeconds },
    });
    return presentQueue(q);
  });
}

export async function updateQueue(ctx: AppContext, actor: Actor, id: string, patch: QueueInput) {
  const found = await repo.findQueue(ctx.db, id);
  if (!found || !actorCoversRegion(actor, found.regionCode)) throw notFound('Queue');
  return ctx.db.transaction(async (tx) => {
    const q = await repo.updateQueue(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'call.queue.update',
      targetType: 'call_queue',
      targetId: id,
      regionCode: found.regionCode,
      detail: { changed: patch },
    });
    return presentQueue(q);
  });
}
