import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { buildDailyLists } from './lists.service.ts';

/** 06:30 China time, before the agents start: the day's care-call lists. */
export const buildListsJob = defineJob({
  name: 'care-calls.build-lists',
  cron: '30 6 * * *',
  async handler(ctx) {
    const r = await buildDailyLists(ctx, new Date());
    ctx.log.info(r, 'care-call lists built');
  },
});

export const campaignJobs: JobDefinition[] = [buildListsJob as JobDefinition];
