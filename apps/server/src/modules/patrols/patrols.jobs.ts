import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { backfillPhotoEncryption } from './hazards.service.ts';
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

/** Every 10 minutes: hazard photos stored in clear before 0992 are encrypted (a no-op once none is left). */
export const photoBackfillJob = defineJob({
  name: 'patrols.photo-backfill',
  cron: '*/10 * * * *',
  async handler(ctx) {
    const n = await backfillPhotoEncryption(ctx);
    if (n) ctx.log.info({ encrypted: n }, 'hazard photos encrypted');
  },
});

export const patrolJobs: JobDefinition[] = [
  generateJob as JobDefinition,
  closeJob as JobDefinition,
  photoBackfillJob as JobDefinition,
];
