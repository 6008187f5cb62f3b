import { roleCan } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { wrapUpMaxSeconds } from './agents.service.ts';
import * as repo from './cti.repo.ts';
import { normaliseHotline, TELEPHONY_ACTOR } from './cti.service.ts';
import { numberHash } from './party.ts';

/** How long a routing answer holds its agent for the caller, unless the ring is reported first. */
const ROUTE_HOLD_SECONDS = 15;

export type RouteAnswer = {
  extension: string | null;
  userId: string | null;
  reason: 'affinity' | 'longest_idle' | 'overflow' | 'none';
  queueId: string | null;
};

/**
 * "Which agent should take this call from number N on hotline H?" Two indexed queries (the
 * hotline by number with its queues; the free agents of its region with the caller's previous
 * agent marked) and the decision in memory:
 * 1. the caller's previous agent, if free (affinity);
 * 2. else the longest-free agent with the queue's skill (any agent when the queue has none);
 * 3. else overflow to the alarm centre's operators (a free agent whose role handles alarms) —
 *    at once, or once the call has waited the queue's overflow time when the telephony says how
 *    long it has waited;
 * 4. else nobody (`none`): keep the caller queued and ask again.
 * The decision is audited (without the number).
 */
export async function routeCall(
  ctx: AppContext,
  body: { hotline: string; caller: string; waitedSeconds?: number },
  actor: Actor = TELEPHONY_ACTOR,
): Promise<RouteAnswer> {
  const rows = await repo.hotlineByNumber(ctx.db, normaliseHotline(body.hotline));
  if (!rows.length)
    throw unprocessable(`No active hotline has the number ${body.hotline}.`, [
      { path: 'body.hotline', message: 'unknown hotline' },
    ]);
  const hotline = rows[0];
  const queue = rows.find((r) => r.queueId && !r.skill) ?? rows.find((r) => r.queueId) ?? null;
  const callerHash = numberHash(ctx.cipher, body.caller);
  let candidates = await repo.routeCandidates(ctx.db, hotline.regionCode, callerHash, wrapUpMaxSeconds(ctx));
  let answer: RouteAnswer = { extension: null, userId: null, reason: 'none', queueId: queue?.queueId ?? null };
  const skill = queue?.skill ?? null;
  const mayOverflow = body.waitedSeconds === undefined || body.waitedSeconds >= (queue?.overflowSeconds ?? 0);
  // The chosen agent is held for this caller for a few seconds, until the telephony reports the
  // ring: calls asked about at the same moment go to different agents. An agent another answer
  // held first is passed over and the next one chosen.
  while (candidates.length) {
    const previous = candidates.find((c) => c.previous);
    const skilled = candidates.find((c) => !skill || c.skills.includes(skill));
    const operator = candidates.find((c) => roleCan(c.role as Actor['role'], 'alarm:handle'));
    const [c, reason]: [repo.RouteCandidate | undefined, RouteAnswer['reason']] = previous
      ? [previous, 'affinity']
      : skilled
        ? [skilled, 'longest_idle']
        : mayOverflow && operator
          ? [operator, 'overflow']
          : [undefined, 'none'];
    if (!c) break;
    if (await repo.holdAgent(ctx.db, c.user_id, callerHash, ROUTE_HOLD_SECONDS)) {
      answer = { extension: c.extension, userId: c.user_id, reason, queueId: queue?.queueId ?? null };
      break;
    }
    candidates = candidates.filter((x) => x !== c);
  }
  await recordAudit(ctx.db, {
    actor,
    action: 'cti.route',
    targetType: 'call_hotline',
    targetId: hotline.hotlineId,
    regionCode: hotline.regionCode,
    detail: { hotline: hotline.number, extension: answer.extension, reason: answer.reason },
  });
  return answer;
}
