import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { runMissedMealCheck } from './signals.service.ts';

/**
 * The missed-meal check runs each evening after dinner (China time), when the day's meals are
 * in; idempotent per elder and day, so a repeated or crashed run raises nothing twice.
 */
export const mealJobs: JobDefinition[] = [
  defineJob({
    name: 'meals.missed-check',
    cron: '30 20 * * *',
    async handler(ctx) {
      const r = await runMissedMealCheck(ctx);
      if (r.raised) ctx.log.info(r, 'missed-meal signals raised');
    },
  }),
];
