import type { JobDefinition } from '../../jobs/job.ts';
import { failStalledImports } from './elders.import.ts';
import { backfillPhoneTails } from './phone-tail.ts';

export const elderJobs: JobDefinition[] = [
  { name: 'elders.stalled-imports', cron: '*/5 * * * *', handler: async (ctx) => void (await failStalledImports(ctx)) },
  // Fills the phone-tail blind index of rows written before it existed (a no-op once all are filled).
  {
    name: 'elders.phone-tail-backfill',
    cron: '*/10 * * * *',
    handler: async (ctx) => {
      const n = await backfillPhoneTails(ctx);
      if (n) ctx.log.info({ filled: n }, 'phone-tail blind index backfilled');
    },
  },
];
