import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { nightlySnapshots } from './supervision.snapshots.ts';

/** Closed-month snapshots of the dashboard, nightly at 23:50 China time (the month's last evening is its month end). */
export const supervisionJobs: JobDefinition[] = [
  defineJob({
    name: 'supervision.snapshots',
    cron: '50 23 * * *',
    async handler(ctx) {
      const n = await nightlySnapshots(ctx);
      ctx.log.info({ regions: n }, 'supervision snapshots written');
    },
  }),
];
