import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { dailyUpkeep, scanEligible } from './tiers.service.ts';

/** 02:10 China time on the 1st: elders who reached the allowance age last month, for the community to confirm. */
export const eligibilityScanJob = defineJob({
  name: 'allowances.eligibility-scan',
  cron: '10 2 1 * *',
  async handler(ctx) {
    ctx.log.info(await scanEligible(ctx), 'allowance eligibility scan');
  },
});

/** 01:40 China time daily: 公示 that ended become active; deaths and moves from the archive apply. */
export const upkeepJob = defineJob({
  name: 'allowances.upkeep',
  cron: '40 1 * * *',
  async handler(ctx) {
    ctx.log.info(await dailyUpkeep(ctx), 'allowance upkeep');
  },
});

export const allowanceJobs: JobDefinition[] = [eligibilityScanJob as JobDefinition, upkeepJob as JobDefinition];
