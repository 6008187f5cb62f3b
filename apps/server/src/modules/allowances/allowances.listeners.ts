import type { AppContext } from '../../lib/context.ts';
import { isPartialEvent } from '../../lib/events.ts';
import * as repo from './allowances.repo.ts';
import { districtOf } from './steps.ts';
import { stopGoneRecipients } from './sweep.service.ts';

/**
 * Stop (death) or suspend (moved away) an elder's allowance as soon as the archive says so. The
 * daily upkeep and every roll run the same sweep, so a missed event only delays it. A partial
 * event (`{ id, partial: true }`) sweeps every district with tiers.
 */
export function watchElderStatus(ctx: AppContext): () => void {
  return ctx.events.onEvent('elder.status-changed', (data) => {
    const work = async () => {
      if (!isPartialEvent(data) && data.to !== 'deceased' && data.to !== 'moved_away') return;
      const districts = isPartialEvent(data) ? await repo.districtsWithTiers(ctx.db) : [districtOf(data.regionCode)];
      for (const d of districts) await ctx.db.transaction((tx) => stopGoneRecipients(ctx, tx, d));
    };
    work().catch((err) => ctx.log.error({ err, event: 'elder.status-changed' }, 'allowance stop on elder status failed'));
  });
}
