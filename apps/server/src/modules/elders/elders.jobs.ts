import type { JobDefinition } from '../../jobs/job.ts';
import { failStalledImports } from './elders.import.ts';
import { backfillPhoneTails } from './phone-tail.ts';
import { backfillElderPrivate } from './private-backfill.ts';

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
  // Seals the address and health notes of rows written before 0995 (a no-op once all are sealed).
  {
    name: 'elders.private-backfill',
    cron: '*/10 * * * *',
    handler: async (ctx) => {
      const n = await backfillElderPrivate(ctx);
      if (n) ctx.log.info({ sealed: n }, 'elder addresses and health notes encrypted');
    },
  },
];
