import type { JobDefinition } from '../../jobs/job.ts';
import { runAllGrants } from './policies.service.ts';

/**
 * Grants run every night: the first run of a period pays every eligible elder (the year-start
 * or month-start grant); later runs pay only elders who became eligible since, pro-rated.
 * Idempotent per elder and period, so a repeated or crashed run never pays twice.
 */
export const policyJobs: JobDefinition[] = [
  {
    name: 'policies.grant',
    cron: '10 0 * * *',
    async handler(ctx) {
      const results = await runAllGrants(ctx);
      const granted = results.reduce((a, r) => a + r.granted, 0);
      if (granted) ctx.log.info({ granted, policies: results.length }, 'policy grants paid');
    },
  },
];
