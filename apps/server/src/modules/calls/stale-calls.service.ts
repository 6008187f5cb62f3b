import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as agentsRepo from './agents.repo.ts';
import { transition } from './agents.service.ts';
import * as repo from './cti.repo.ts';

/**
 * A telephony call whose `call.ended` never arrived would stay open for ever, and so would the
 * agent it rang or was talking to: 振铃 or 通话中 with no way out (an agent cannot leave those
 * states by hand, and routing rings only free agents). Every few minutes such calls are closed:
 *
 * - ringing and never answered, no event for RINGING_STALE_MINUTES: outcome `failed` (the
 *   telephony never said how it ended), ended at its last event;
 * - answered, no event for TALKING_STALE_HOURS: outcome `answered` (it was), ended at its last
 *   event (the talk time is unknown, not invented);
 *
 * the agents it held become 空闲, and each close is audited (`call.close-stale`). A late
 * `call.ended` still arrives normally: the call's times and outcome are recomputed from its events.
 */
export const RINGING_STALE_MINUTES = 10;
export const TALKING_STALE_HOURS = 4;

export async function closeStaleCalls(ctx: AppContext, now = new Date()): Promise<number> {
  const due = await repo.staleCalls(
    ctx.db,
    new Date(now.getTime() - RINGING_STALE_MINUTES * 60_000),
    new Date(now.getTime() - TALKING_STALE_HOURS * 3600_000),
  );
  let closed = 0;
  for (const { id } of due) {
    await ctx.db.transaction(async (tx) => {
      const call = await repo.lockCallById(tx, id);
      if (!call || call.endedAt) return;
      const endedAt = call.lastEventAt ?? call.answeredAt ?? call.ringingAt ?? call.offeredAt;
      const outcome = call.answeredAt ? 'answered' : 'failed';
      await repo.updateCall(tx, id, { endedAt, outcome });
      const freed: string[] = [];
      for (const userId of await repo.agentsHeldBy(tx, id)) {
        const agent = await agentsRepo.findAgent(tx, userId, { lock: true });
        if (!agent || agent.currentCallId !== id || !['ringing', 'talking'].includes(agent.state)) continue;
        await transition(ctx, tx, agent, 'idle', { at: now });
        freed.push(userId);
      }
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'call.close-stale',
        targetType: 'call',
        targetId: id,
        regionCode: call.regionCode,
        detail: { outcome, lastEventAt: call.lastEventAt?.toISOString() ?? null, freedAgents: freed },
      });
      closed++;
    });
  }
  return closed;
}
