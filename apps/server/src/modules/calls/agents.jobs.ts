import type { JobDefinition } from '../../jobs/job.ts';
import { sweepWrapUps } from './agents.service.ts';
import { closeStaleCalls } from './stale-calls.service.ts';

/**
 * After-call work that ran past CALL_WRAP_UP_MAX_SECONDS becomes idle in the history, every minute
 * (reads show it at once); telephony calls whose end never came are closed every five minutes.
 */
export const agentJobs: JobDefinition[] = [
  { name: 'calls.wrap-up-sweep', cron: '* * * * *', handler: (ctx) => sweepWrapUps(ctx).then(() => {}) },
  { name: 'calls.stale-sweep', cron: '*/5 * * * *', handler: (ctx) => closeStaleCalls(ctx).then(() => {}) },
];
