import type { JobDefinition } from '../../jobs/job.ts';
import { backfillMedicalSeals } from './medical.sealed.ts';

export const medicalJobs: JobDefinition[] = [
  // Seals the home visits, 家庭病床 and referrals written before 0997 (a no-op once all are sealed).
  {
    name: 'medical.seal-backfill',
    cron: '*/10 * * * *',
    handler: async (ctx) => {
      const n = await backfillMedicalSeals(ctx);
      if (n) ctx.log.info({ sealed: n }, '医养结合 records encrypted');
    },
  },
];
