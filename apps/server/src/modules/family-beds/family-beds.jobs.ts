import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { cstMonth } from '../../lib/dates.ts';
import { runCheck } from './month.service.ts';

/** 02:30 China time on the 1st: the month just ended is checked for every bed (idempotent: a rerun decides nothing again). */
export const monthlyCheckJob = defineJob({
  name: 'family-beds.monthly-check',
  cron: '30 2 1 * *',
  async handler(ctx) {
    const now = new Date(Date.now() + 8 * 3600_000);
    const previous = cstMonth(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
    const r = await runCheck(ctx, SYSTEM_ACTOR, previous);
    ctx.log.info({ month: r.month, checked: r.checked, delivered: r.delivered, short: r.short }, 'family bed monthly check');
  },
});

export const familyBedJobs: JobDefinition[] = [monthlyCheckJob as JobDefinition];
