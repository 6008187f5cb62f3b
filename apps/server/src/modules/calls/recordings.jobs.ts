import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { expireRecordings } from './recordings.retention.ts';
import { sealRecordings } from './recordings.seal.ts';

export const recordingJobs: JobDefinition[] = [
  /** Call recordings past RECORDING_RETENTION_DAYS are deleted every night at 03:30 (China time). */
  defineJob({
    name: 'calls.recording-retention',
    cron: '30 3 * * *',
    handler: (ctx) => expireRecordings(ctx).then(() => {}),
  }),
  /** A finished recording is sealed as soon as the telephony reports it (sent with its part). */
  defineJob({
    name: 'calls.recording-seal',
    async handler(ctx, data) {
      const r = await sealRecordings(ctx, { partId: data.partId });
      if (r.sealed) ctx.log.info({ sealed: r.sealed }, 'call recording sealed');
    },
  }),
  /** Every 10 minutes: whatever is left (recordings made before 0999, a failed job, a file written late). */
  defineJob({
    name: 'calls.recording-seal-sweep',
    cron: '*/10 * * * *',
    async handler(ctx) {
      const r = await sealRecordings(ctx);
      if (r.sealed) ctx.log.info({ sealed: r.sealed }, 'call recordings sealed');
    },
  }),
];
