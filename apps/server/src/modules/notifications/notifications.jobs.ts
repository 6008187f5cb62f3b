import { defineJob, type JobDefinition } from '../../jobs/job.ts';
import { deliverNotice } from './notifications.service.ts';

/** One job per notice: deliver it through the provider; a failure throws so pg-boss retries. */
export const notificationJobs: JobDefinition[] = [
  defineJob({ name: 'notification.deliver', handler: (ctx, data) => deliverNotice(ctx, data) }),
];
