import type { JobDefinition } from '../../jobs/job.ts';
import { backfillHealthSeals } from './records.sealed.ts';

export const healthRecordJobs: JobDefinition[] = [
  // Seals the medicines and physical exams written before 0996 (a no-op once all are sealed).
  {
    name: 'health-records.seal-backfill',
    cron: '*/10 * * * *',
    handler: async (ctx) => {
      const n = await backfillHealthSeals(ctx);
      if (n) ctx.log.info({ sealed: n }, 'medicines and physical exams encrypted');
    },
  },
];
