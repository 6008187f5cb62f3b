import type { AppContext } from '../../lib/context.ts';
import { isPartialEvent } from '../../lib/events.ts';
import { closeCardsOfDeceased } from './cards.service.ts';

/**
 * Revoke an elder's 优待证 (and reject an application under way) as soon as the archive records the
 * death. A partial event (`{ id, partial: true }`) sweeps every deceased elder.
 */
export function watchElderDeath(ctx: AppContext): () => void {
  return ctx.events.onEvent('elder.status-changed', (data) => {
    if (!isPartialEvent(data) && data.to !== 'deceased') return;
    closeCardsOfDeceased(ctx, isPartialEvent(data) ? undefined : data.elderId).catch((err) =>
      ctx.log.error({ err, event: 'elder.status-changed' }, 'privilege card revocation on death failed'),
    );
  });
}
