import type { JobDefinition } from '../../jobs/job.ts';
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
    // The elders module publishes { id: <change id>, elderId, from, to }; { id, status } is accepted too.
    const d = e.data as { id?: string; elderId?: string; status?: string; to?: string };
    const elderId = d.elderId ?? d.id;
    const status = d.to ?? d.status;
    if (!elderId || !status) return;
    applyElderStatus(ctx.db, elderId, status).catch((err) => ctx.log.error({ err, elderId }, 'wallet freeze failed'));
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
