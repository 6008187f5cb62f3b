import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { runDaily } from './risk-radar.service.ts';

/**
 * The daily scoring runs early in the morning (China time), after the evening's missed-meal
 * check and before the 06:30 care-call lists; idempotent per day (the day's scores are replaced,
 * a top-level entry opens its task once). It is also the backstop of the on-event updates.
 */
export const riskRadarJobs: JobDefinition[] = [
  defineJob({
    name: 'risk-radar.daily',
    cron: '30 5 * * *',
    async handler(ctx) {
      const r = await runDaily(ctx);
      ctx.log.info(r, 'risk radar scored');
    },
  }),
];
