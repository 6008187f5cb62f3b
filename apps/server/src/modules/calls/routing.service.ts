import { roleCan } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { wrapUpMaxSeconds } from './agents.service.ts';
import * as repo from './cti.repo.ts';
import { normaliseHotline, TELEPHONY_ACTOR } from './cti.service.ts';
import { numberHash } from './party.ts';

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
  const candidates = await repo.routeCandidates(
    ctx.db,
    hotline.regionCode,
    numberHash(ctx.cipher, body.caller),
    wrapUpMaxSeconds(ctx),
  );
  let answer: RouteAnswer = { extension: null, userId: null, reason: 'none', queueId: queue?.queueId ?? null };
  const pick = (c: repo.RouteCandidate, reason: RouteAnswer['reason']) => {
    answer = { extension: c.extension, userId: c.user_id, reason, queueId: queue?.queueId ?? null };
  };
  const skill = queue?.skill ?? null;
  const previous = candidates.find((c) => c.previous);
  const skilled = candidates.find((c) => !skill || c.skills.includes(skill));
  const mayOverflow = body.waitedSeconds === undefined || body.waitedSeconds >= (queue?.overflowSeconds ?? 0);
  const operator = candidates.find((c) => roleCan(c.role as Actor['role'], 'alarm:handle'));
  if (previous) pick(previous, 'affinity');
  else if (skilled) pick(skilled, 'longest_idle');
  else if (mayOverflow && operator) pick(operator, 'overflow');
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
