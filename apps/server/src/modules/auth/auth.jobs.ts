import type { JobDefinition } from '../../jobs/job.ts';
import { pruneLoginFailures } from './auth.repo.ts';

/** Failed-login counts nobody repeated for a day are dropped (guessed usernames would pile up). */
export const authJobs: JobDefinition[] = [
  { name: 'auth.prune-login-failures', cron: '20 3 * * *', handler: (ctx) => pruneLoginFailures(ctx.db) },
];
