import type { EventName } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { existingSessionCache } from './session-cache.ts';

/**
 * Published when what a user may see, or whether their sessions still live, changed: role,
 * region, organisation or status, a password reset or change, a logout. The realtime hub of
 * every process re-checks that user's sockets at once (re-reads the actor, or closes a socket
 * whose session ended). No browser receives it: its audience is empty.
 */
export const USER_ACCESS_CHANGED = 'user.access-changed' satisfies EventName;

/**
 * Inside the transaction that made the change: the hub hears it only if the change commits.
 * This process's session cache forgets the user at once as well (and again when the event
 * arrives after the commit), so the caller's very next request already sees the change.
 */
export function publishUserAccessChanged(ctx: AppContext, tx: DbOrTx, userId: string) {
  existingSessionCache(ctx.events)?.dropUser(userId);
  return ctx.events.publish(tx, { type: USER_ACCESS_CHANGED, data: { userId }, audience: {} });
}
