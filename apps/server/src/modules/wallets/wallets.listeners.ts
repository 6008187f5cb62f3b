import type { AppContext } from '../../lib/context.ts';
import { isPartialEvent } from '../../lib/events.ts';
import { findStatusChange } from '../elders/elders.repo.ts';
import { applyElderStatus } from './wallets.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Freeze a wallet as soon as the elders module publishes `elder.status-changed`. Events are
 * delivered after commit and may be missed by a stopped process, so the daily sweep
 * (wallets.freeze-sweep) and the status check inside every reserve make the freeze durable.
 * An event that arrives as `{ id, partial: true }` is read back by the status change's id.
 */
export function watchElderStatus(ctx: AppContext): () => void {
  return ctx.events.onEvent('elder.status-changed', (data) => {
    const work = async () => {
      if (!isPartialEvent(data)) return applyElderStatus(ctx.db, data.elderId, data.to);
      const change = typeof data.id === 'string' && UUID.test(data.id) ? await findStatusChange(ctx.db, data.id) : undefined;
      return change ? applyElderStatus(ctx.db, change.elderId, change.to) : 0;
    };
    work().catch((err) => ctx.log.error({ err, event: 'elder.status-changed' }, 'wallet freeze failed'));
  });
}
