import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { expireRecordings } from './recordings.retention.ts';

/** Call recordings past RECORDING_RETENTION_DAYS are deleted every night at 03:30 (China time). */
export const recordingJobs: JobDefinition[] = [
  defineJob({
    name: 'calls.recording-retention',
    cron: '30 3 * * *',
    handler: (ctx) => expireRecordings(ctx).then(() => {}),
  }),
];
