import { type CallParty, type CtiEvent, recordingRefKind } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { sendJob } from '../../jobs/queues.ts';
import { type Actor, SYSTEM_ACTOR } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, isUniqueViolation, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as agentsRepo from './agents.repo.ts';
import { settleWrapUp, transition } from './agents.service.ts';
import type { AgentState } from './calls.schema.ts';
import * as repo from './cti.repo.ts';
import { encodeNumber, maskNumber, matchParty, primaryParty } from './party.ts';
import * as recordingsRepo from './recordings.repo.ts';

/**
 * The CTI intake (docs/cti.md): every telephony event, signed webhook or simulator, goes through
 * `applyCtiEvent`. In one transaction: the event is kept once by its id (a resend answers
 * `duplicate` and changes nothing); a call is created by `call.offered` (party from the number,
 * region and queue from the hotline); any other event needs a known call and, when it names an
 * extension, a known agent — else a 4xx and nothing written. The call's times, agent, outcome
 * and recording are then folded from ALL its events in the order they happened, so events that
 * arrive out of order still give the right record; the agents' live states follow only an event
 * that is the newest of its call, so an older one never rolls a state back.
 */

/** Who the audit log names for what the telephony did. */
export const TELEPHONY_ACTOR: Actor = { ...SYSTEM_ACTOR, username: 'telephony', displayName: '话务系统' };

export type CtiResult = { status: 'applied' | 'duplicate' | 'stale'; eventId: string; callId: string };

const unknownAgent = (extension: string) =>
  unprocessable(`No agent has the extension ${extension}; register the agent first.`, [
    { path: 'body.extension', message: 'unknown extension' },
  ]);

/** What the call's events say, folded in the order they happened. */
interface Folded {
  ringingAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  outcome: repo.CallRow['outcome'];
  agentUserId: string | null;
  lastEventAt: Date;
  /**
   * The newest event that says something about the call's progress (not call.recording_ready):
   * a recording reported before a resent call.ended must not make that end look stale.
   */
  lastStateEventAt: Date;
  /** The agent a transfer moved the call away from (their talk ended at the transfer). */
  transferredFrom: string | null;
  /** Transferred and not yet answered by the new agent. */
  transferPending: boolean;
  /** The agents whose phone rang and who did not answer (call.not_answered), in order. */
  missedBy: string[];
  /** 转外线: the outside number answered (the agent's part is over), and that number encrypted. */
  transferredOutAt: Date | null;
  transferredOutEnc: string | null;
}

/** The break an agent is put on when their phone rang out (ring-no-answer): not taking calls until they say so. */
export const MISSED_CALL_BREAK_REASON = '未接听';

function fold(call: repo.CallRow, events: repo.CtiEventRow[]): Folded {
  const f: Folded = {
    ringingAt: null,
    answeredAt: null,
    endedAt: null,
    outcome: null,
    agentUserId: call.loggedBy ? call.agentUserId : null,
    lastEventAt: call.offeredAt,
    lastStateEventAt: call.offeredAt,
    transferredFrom: null,
    transferPending: false,
    missedBy: [],
    transferredOutAt: null,
    transferredOutEnc: null,
  };
  for (const e of events) {
    const p = e.payload as {
      agentUserId?: string | null;
      outcome?: repo.CallRow['outcome'];
      toNumberEnc?: string;
    };
    const t = e.occurredAt;
    if (t > f.lastEventAt) f.lastEventAt = t;
    if (e.type !== 'call.recording_ready' && t > f.lastStateEventAt) f.lastStateEventAt = t;
    switch (e.type) {
      case 'call.ringing':
        f.ringingAt ??= t;
        if (!f.answeredAt) f.agentUserId = p.agentUserId ?? f.agentUserId;
        break;
      case 'call.not_answered':
        // Back in the queue: the call has no agent until the next one rings.
        if (!f.answeredAt && p.agentUserId) {
          f.missedBy.push(p.agentUserId);
          if (f.agentUserId === p.agentUserId) f.agentUserId = null;
        }
        break;
      case 'call.answered':
        f.answeredAt ??= t;
        f.ringingAt ??= t;
        f.transferPending = false;
        if (p.agentUserId) f.agentUserId = p.agentUserId;
        break;
      case 'call.transferred':
        if (p.agentUserId && p.agentUserId !== f.agentUserId) {
          f.transferredFrom = f.agentUserId;
          f.agentUserId = p.agentUserId;
          f.transferPending = true;
        }
        break;
      case 'call.transferred_out':
        // Only a call an agent is talking on can be handed to an outside number.
        if (f.answeredAt && !f.transferPending && !f.transferredOutAt) {
          f.transferredOutAt = t;
          f.transferredOutEnc = p.toNumberEnc ?? null;
        }
        break;
      case 'call.ended':
        f.endedAt ??= t;
        f.outcome = p.outcome ?? f.outcome;
        break;
    }
  }
  return f;
}

/** The state the call puts its agent in, as the events stand now. */
function agentStateFor(f: Folded): AgentState | null {
  // Handed to an outside number: the agent's talk is over, the call goes on without them.
  if (f.transferredOutAt) return 'wrap_up';
  if (f.endedAt) return !f.transferPending && (f.outcome === 'answered' || f.answeredAt) ? 'wrap_up' : 'idle';
  if (f.transferPending) return 'ringing';
  if (f.answeredAt) return 'talking';
  if (f.ringingAt) return 'ringing';
  return null;
}

/** The queue a call joins: the emergency queue for a red-key call if there is one, else the first general queue. */
function pickQueue(rows: Awaited<ReturnType<typeof repo.hotlineByNumber>>, terminalKey?: 'sos' | 'service') {
  const queues = rows.filter((r) => r.queueId);
  if (terminalKey === 'sos') {
    const sos = queues.find((q) => q.skill === 'emergency');
    if (sos) return sos;
  }
  return queues.find((q) => !q.skill) ?? queues[0] ?? null;
}

export const normaliseHotline = (n: string) => n.replace(/[\s-]/g, '');

export async function applyCtiEvent(
  ctx: AppContext,
  ev: CtiEvent,
  opts: { actor?: Actor; audit?: string } = {},
): Promise<CtiResult> {
  const actor = opts.actor ?? TELEPHONY_ACTOR;
  const auditAction = opts.audit ?? 'cti.event';
  const occurredAt = new Date(ev.occurredAt);
  const result = await inTransaction(ctx, async (tx) => {
    // The agent an event names, resolved now and kept with the event (the fold reads it back).
    let agentUserId: string | null = null;
    const extension =
      ev.type === 'call.ringing' ||
      ev.type === 'call.answered' ||
      ev.type === 'call.not_answered' ||
      ev.type === 'call.recording_ready'
        ? ev.extension
        : ev.type === 'call.transferred'
          ? ev.toExtension
          : undefined;
    if (extension) {
      agentUserId = (await repo.agentIdByExtension(tx, extension)) ?? null;
      if (!agentUserId) throw unknownAgent(extension);
    }
    const { eventId, callId: externalId, type, ...rest } = ev;
    const payload: Record<string, unknown> = { ...rest, agentUserId };
    // Numbers are personal data: the event keeps their blind index, never the number.
    if (ev.type === 'call.offered') {
      payload.caller = undefined;
      payload.called = undefined;
    }
    if (ev.type === 'call.transferred_out') {
      payload.toNumber = undefined;
      payload.toNumberEnc = ctx.cipher.encrypt(ev.toNumber);
    }
    const fresh = await repo.insertEventOnce(tx, { eventId, externalId, type, occurredAt, payload });
    if (!fresh) {
      const seen = await repo.findEvent(tx, eventId);
      const call = seen ? await repo.findCallByExternalId(tx, seen.externalId) : undefined;
      if (!call) throw new AppError(409, 'Conflict', 'This event id is being processed; retry.', undefined, 'conflict');
      return { status: 'duplicate' as const, eventId, callId: call.id, call, pops: [] as Pop[] };
    }

    let call = await repo.findCallByExternalId(tx, externalId, true);
    let parties: CallParty[] = [];
    if (!call) {
      if (ev.type !== 'call.offered') throw notFound('Call');
      call = await createCall(ctx, tx, ev, occurredAt, (p) => {
        parties = p;
      });
    } else if (ev.type === 'call.offered') {
      // The same call offered again under another event id: kept, nothing to change.
      await repo.linkEvent(tx, eventId, call.id);
      await audit(tx, actor, auditAction, call, { type, eventId, status: 'stale' });
      return { status: 'stale' as const, eventId, callId: call.id, call, pops: [] };
    }
    await repo.linkEvent(tx, eventId, call.id);

    const before = fold(
      call,
      (await repo.eventsOf(tx, externalId)).filter((e) => e.eventId !== eventId),
    );
    const after = fold(call, await repo.eventsOf(tx, externalId));
    // Newest of its call (ties go to the later arrival): only then do live states follow it.
    const newest = occurredAt >= (ev.type === 'call.recording_ready' ? before.lastEventAt : before.lastStateEventAt);
    await repo.updateCall(tx, call.id, {
      ringingAt: after.ringingAt,
      answeredAt: after.answeredAt,
      endedAt: after.endedAt,
      outcome: after.outcome,
      agentUserId: after.agentUserId,
      transferredOutAt: after.transferredOutAt,
      transferredOutEnc: after.transferredOutEnc,
      lastEventAt: after.lastEventAt,
    });
    // Each recording reported is one part of the call (recordings.repo.ts); the call's single
    // recordingRef names the first. A part the retention job deleted stays deleted: other events
    // do not bring it back, only a new call.recording_ready.
    if (ev.type === 'call.recording_ready') {
      const partId = await recordingsRepo.addPart(tx, {
        callId: call.id,
        ref: ev.recordingRef,
        agentUserId: agentUserId ?? (ev.extension ? null : after.agentUserId),
        startedAt: ev.startedAt ? new Date(ev.startedAt) : occurredAt,
        seconds: ev.seconds ?? null,
        eventId,
      });
      if (partId) {
        await recordingsRepo.syncFirstRef(tx, call.id);
        // A file in RECORDINGS_DIR is replaced by its sealed form at once (recordings.seal.ts).
        if (recordingRefKind(ev.recordingRef) === 'file') await sendJob(ctx, tx, 'calls.recording-seal', { partId });
      }
    }
    const pops: Pop[] = [];
    if (newest && ev.type !== 'call.offered' && ev.type !== 'call.recording_ready') {
      await followAgents(ctx, tx, call, before, after, occurredAt);
      const rang = ev.type === 'call.ringing' || ev.type === 'call.transferred';
      if (rang && after.agentUserId && !after.endedAt && (ev.type === 'call.transferred' || !after.answeredAt)) {
        pops.push({ userIds: [after.agentUserId] });
      }
    }
    const status = newest ? ('applied' as const) : ('stale' as const);
    await audit(tx, actor, auditAction, call, { type, eventId, status });
    if (pops.length) {
      if (!parties.length) parties = await partiesOf(ctx, tx, call);
      const hotlineNumber = call.hotlineId ? await repo.hotlineNumberOf(tx, call.hotlineId) : null;
      for (const p of pops) await publishRinging(ctx, tx, call, parties, p.userIds, occurredAt, hotlineNumber);
    }
    return { status, eventId, callId: call.id, call, pops };
  });
  if (result.status === 'duplicate') markUnchanged();
  return { status: result.status, eventId: result.eventId, callId: result.callId };
}

type Pop = { userIds: string[] };

/** Two events creating the same call at once: the second is told to retry (it then finds the call). */
async function inTransaction<T>(ctx: AppContext, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(fn);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(409, 'Conflict', 'Another event of this call is being applied; retry.', undefined, 'conflict');
    throw err;
  }
}

async function audit(tx: DbOrTx, actor: Actor, action: string, call: repo.CallRow, detail: Record<string, unknown>) {
  await recordAudit(tx, { actor, action, targetType: 'call', targetId: call.id, regionCode: call.regionCode, detail });
}

async function createCall(
  ctx: AppContext,
  tx: DbOrTx,
  ev: Extract<CtiEvent, { type: 'call.offered' }>,
  offeredAt: Date,
  keepParties: (p: CallParty[]) => void,
): Promise<repo.CallRow> {
  const rows = await repo.hotlineByNumber(tx, normaliseHotline(ev.hotline));
  if (!rows.length)
    throw unprocessable(`No active hotline has the number ${ev.hotline}.`, [
      { path: 'body.hotline', message: 'unknown hotline' },
    ]);
  const hotline = rows[0];
  const queue = pickQueue(rows, ev.terminalKey);
  const direction = ev.direction ?? 'inbound';
  // The other party: the caller of an inbound call, the called number of an outbound one.
  const other = direction === 'inbound' ? ev.caller : (ev.called ?? ev.caller);
  const parties = await matchParty(tx, ctx.cipher, other);
  keepParties(parties);
  const party = primaryParty(parties);
  const caller = encodeNumber(ctx.cipher, ev.caller);
  const called = encodeNumber(ctx.cipher, ev.called ?? ev.hotline);
  return repo.insertCall(tx, {
    externalId: ev.callId,
    direction,
    hotlineId: hotline.hotlineId,
    queueId: queue?.queueId ?? null,
    callerEnc: caller.enc,
    callerHash: caller.hash,
    calledEnc: called.enc,
    calledHash: called.hash,
    ...party,
    terminalKey: ev.terminalKey ?? null,
    offeredAt,
    regionCode: hotline.regionCode,
    lastEventAt: offeredAt,
  });
}

/**
 * Move the agents the newest event concerns: the call's agent to ringing / talking / wrap_up /
 * idle (a call that rang and was not answered frees the agent), and an agent the call left (rung
 * before, or transferred away from) out of this call. An agent whose phone rang out
 * (call.not_answered) goes on a break (未接听) instead of idle, so the calls that follow are not
 * offered to an empty desk; they go back to 空闲 themselves. An agent busy with another call is left alone.
 */
async function followAgents(ctx: AppContext, tx: DbOrTx, call: repo.CallRow, before: Folded, after: Folded, at: Date) {
  const moves = new Map<string, AgentState>();
  const target = agentStateFor(after);
  if (after.agentUserId && target) moves.set(after.agentUserId, target);
  const missed = after.missedBy.length > before.missedBy.length ? after.missedBy[after.missedBy.length - 1] : null;
  for (const left of [before.agentUserId, after.transferredFrom]) {
    if (!left || left === after.agentUserId || moves.has(left)) continue;
    // Rung and not answered: free again (or on a break when it rang out); talked and transferred away: after-call work.
    moves.set(left, before.answeredAt || after.transferredFrom === left ? 'wrap_up' : left === missed ? 'break' : 'idle');
  }
  for (const [userId, to] of moves) {
    let agent = await agentsRepo.findAgent(tx, userId, { lock: true });
    if (!agent) continue;
    agent = await settleWrapUp(ctx, tx, agent);
    const onThisCall = agent.currentCallId === call.id;
    const free = agent.state !== 'ringing' && agent.state !== 'talking';
    // Rung or answered: the agent joins this call if not busy with another. Ended: only an agent still on it.
    if (to === 'ringing' || to === 'talking' ? !onThisCall && !free : !onThisCall) continue;
    if (agent.state === to && onThisCall) continue;
    const when = new Date(Math.max(Math.min(at.getTime(), Date.now()), agent.stateSince.getTime()));
    const reason = to === 'break' ? MISSED_CALL_BREAK_REASON : null;
    await transition(ctx, tx, agent, to, { callId: call.id, at: when, reason });
  }
}

async function partiesOf(ctx: AppContext, tx: DbOrTx, call: repo.CallRow): Promise<CallParty[]> {
  const enc = call.direction === 'inbound' ? call.callerEnc : call.calledEnc;
  if (call.deviceId && !enc) return [];
  return enc ? matchParty(tx, ctx.cipher, ctx.cipher.decrypt(enc)) : [];
}

/** The screen pop (弹屏): the call and the records its number matched, to these agents' consoles. */
export async function publishRinging(
  ctx: AppContext,
  tx: DbOrTx,
  call: repo.CallRow,
  parties: CallParty[],
  userIds: string[],
  at: Date,
  hotlineNumber: string | null = null,
) {
  const enc = call.direction === 'inbound' ? call.callerEnc : call.calledEnc;
  await ctx.events.publish(tx, {
    type: 'call.ringing',
    data: {
      id: call.id,
      callId: call.id,
      direction: call.direction,
      terminalKey: call.terminalKey,
      hotlineNumber,
      callerMasked: enc ? maskNumber(ctx.cipher.decrypt(enc)) : null,
      partyKind: call.partyKind,
      elderId: call.elderId,
      parties,
      at: at.toISOString(),
    },
    audience: { permission: 'call:take', userIds },
  });
}

/**
 * A 一键通 terminal's green service key (device event `service_call`): the same screen pop as a
 * call, without a voice call. Inside the intake's transaction: an inbound call record with
 * terminal_key 'service' and the device's elder as the party, routed like a call (the elder's
 * previous agent if free, else the longest-free agent of the region); the card pops on that agent's
 * console, or on every agent at work in the region when nobody is free. Agent states are left
 * alone: no line rings. Returns null (no alarm: a service request is not an emergency).
 */
export async function openServiceCall(
  ctx: AppContext,
  tx: DbOrTx,
  dev: { id: string; elderId: string | null; regionCode: string },
  ev: { receivedAt: Date },
): Promise<null> {
  const elder = dev.elderId ? await repo.elderBrief(tx, dev.elderId) : undefined;
  const candidates = await repo.routeCandidates(tx, dev.regionCode, null, ctx.config.callWrapUpMaxSeconds ?? 120);
  const previous = elder ? await repo.previousAgentOfElder(tx, elder.id) : null;
  const routed = candidates.find((c) => c.user_id === previous) ?? candidates[0];
  const call = await repo.insertCall(tx, {
    direction: 'inbound',
    partyKind: elder ? 'terminal' : 'unknown',
    elderId: elder?.id ?? null,
    deviceId: dev.id,
    terminalKey: 'service',
    agentUserId: routed?.user_id ?? null,
    offeredAt: ev.receivedAt,
    regionCode: elder?.regionCode ?? dev.regionCode,
    lastEventAt: ev.receivedAt,
  });
  const parties: CallParty[] = elder
    ? [
        {
          kind: 'terminal',
          elderId: elder.id,
          elderName: elder.name,
          regionCode: elder.regionCode,
          deviceId: dev.id,
          contactId: null,
          contactName: null,
          relationship: null,
        },
      ]
    : [];
  const userIds = routed ? [routed.user_id] : (await repo.agentsAtWork(tx, dev.regionCode)).map((a) => a.user_id);
  if (userIds.length) await publishRinging(ctx, tx, call, parties, userIds, ev.receivedAt);
  return null;
}
