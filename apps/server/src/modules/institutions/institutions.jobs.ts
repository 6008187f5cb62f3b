import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { expireReservations } from './admissions.service.ts';

/** Bed reservations past their time are given back every ten minutes (admission also takes an expired one). */
export const institutionJobs: JobDefinition[] = [
  defineJob({
    name: 'institutions.expire-reservations',
    cron: '*/10 * * * *',
    async handler(ctx) {
      const n = await expireReservations(ctx);
      if (n) ctx.log.info({ institutions: n }, 'expired bed reservations released');
    },
  }),
];
