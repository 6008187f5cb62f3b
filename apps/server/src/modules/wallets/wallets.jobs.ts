import type { JobDefinition } from '../../jobs/workers.ts';
import type { AppContext } from '../../lib/context.ts';
import { applyElderStatus, freezeSweep } from './wallets.service.ts';

/**
 * Freeze a wallet as soon as the elders module publishes `elder.status-changed`. Events are
 * delivered after commit and may be missed by a stopped process, so the daily sweep below and
 * the status check inside every reserve make the freeze durable.
 */
export function watchElderStatus(ctx: AppContext): () => void {
  return ctx.events.onEvent((e) => {
    if (e.type !== 'elder.status-changed') return;
    const d = e.data as { id?: string; status?: string };
    if (!d.id || !d.status) return;
    applyElderStatus(ctx.db, d.id, d.status).catch((err) => ctx.log.error({ err, elderId: d.id }, 'wallet freeze failed'));
  });
}

export const walletJobs: JobDefinition[] = [
  {
    name: 'wallets.freeze-sweep',
    cron: '15 2 * * *',
    async handler(ctx) {
      const n = await freezeSweep(ctx.db);
      if (n) ctx.log.info({ frozen: n }, 'wallets frozen by the daily sweep');
    },
  },
];
