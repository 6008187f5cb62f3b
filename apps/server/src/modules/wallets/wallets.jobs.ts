import type { JobDefinition } from '../../jobs/job.ts';
import { freezeSweep } from './wallets.service.ts';

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
