import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { closeDone } from './follow-ups.service.ts';
import { escalateAll, planAll } from './plans.service.ts';

/** 01:50 China time: groups from the archive, plans from the rules, the due visits of every district with rules. */
export const planJob = defineJob({
  name: 'care-visits.plan',
  cron: '50 1 * * *',
  async handler(ctx) {
    ctx.log.info(await planAll(ctx), 'care visit planning');
  },
});

/** Hourly: visits past the district's delay go to the street. */
export const escalateJob = defineJob({
  name: 'care-visits.escalate',
  cron: '5 * * * *',
  async handler(ctx) {
    ctx.log.info(await escalateAll(ctx), 'care visit escalation');
  },
});

/** Every 10 minutes: follow-ups whose order was served or whose alarm was resolved close. */
export const followUpSweepJob = defineJob({
  name: 'care-visits.follow-up-sweep',
  cron: '*/10 * * * *',
  async handler(ctx) {
    const r = await closeDone(ctx);
    if (r.closed) ctx.log.info(r, 'care follow-ups closed');
  },
});

export const careVisitJobs: JobDefinition[] = [
  planJob as JobDefinition,
  escalateJob as JobDefinition,
  followUpSweepJob as JobDefinition,
];
