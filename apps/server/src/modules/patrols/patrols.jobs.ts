import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { closeDue, generateAll } from './patrols.service.ts';

/** Hourly: the runs of yesterday, today and tomorrow of every active route (idempotent). */
export const generateJob = defineJob({
  name: 'patrols.generate',
  cron: '7 * * * *',
  async handler(ctx) {
    const r = await generateAll(ctx);
    if (r.created) ctx.log.info(r, 'patrol runs made');
  },
});

/** Every 5 minutes: runs whose window closed are closed; misses and late scans alarm the duty staff. */
export const closeJob = defineJob({
  name: 'patrols.close',
  cron: '*/5 * * * *',
  async handler(ctx) {
    const r = await closeDue(ctx);
    if (r.closed) ctx.log.info(r, 'patrol runs closed');
  },
});

export const patrolJobs: JobDefinition[] = [generateJob as JobDefinition, closeJob as JobDefinition];
