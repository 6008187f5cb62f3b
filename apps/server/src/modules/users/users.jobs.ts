import type { JobDefinition } from '../../jobs/job.ts';
import { backfillAccountPhones, renamePhoneUsernames } from './users.phone.ts';

export const userJobs: JobDefinition[] = [
  // Encrypts the phones of accounts written before 0991, and gives volunteer accounts whose
  // username is their phone number a new one (a no-op once none is left in plain text).
  {
    name: 'users.phone-backfill',
    cron: '*/10 * * * *',
    handler: async (ctx) => {
      const n = await backfillAccountPhones(ctx);
      if (n) ctx.log.info({ encrypted: n }, 'account phones encrypted');
      const renamed = await renamePhoneUsernames(ctx);
      if (renamed) ctx.log.info({ renamed }, 'volunteer accounts renamed from their phone numbers');
    },
  },
];
