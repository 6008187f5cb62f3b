import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { rescoreAll } from './credit.service.ts';

/**
 * The nightly rescoring (China time, after the risk radar): scores decay with age and derived
 * events (complaints, holds, expired licences) arrive without touching the credit file, so every
 * organisation is rescored and the listing rule applied. Idempotent: a second run the same day
 * writes the same standings and finds the listings already in force.
 */
export const creditJobs: JobDefinition[] = [
  defineJob({
    name: 'credit.nightly',
    cron: '45 5 * * *',
    async handler(ctx) {
      const r = await rescoreAll(ctx);
      ctx.log.info(r, 'credit rescored');
    },
  }),
];
