import type { AppContext } from '../../lib/context.ts';
import { isPartialEvent } from '../../lib/events.ts';
import { closeDone } from './follow-ups.service.ts';

/**
 * A family-doctor referral made from a follow-up (medical module) closes the follow-up when it is
 * completed or refused. The event only says "look now"; the work is the sweep's (closeDone), so a
 * missed event is caught by the next follow-up sweep.
 */
export function watchReferrals(ctx: AppContext): () => void {
  return ctx.events.onEvent('medical.referral.updated', (d) => {
    if (!isPartialEvent(d) && (!d.followUpId || (d.status !== 'completed' && d.status !== 'rejected'))) return;
    closeDone(ctx).catch((err) => ctx.log.error({ err }, 'closing follow-ups of referrals failed'));
  });
}
