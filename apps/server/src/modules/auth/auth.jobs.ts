import type { JobDefinition } from '../../jobs/job.ts';
import { pruneLoginFailures } from './auth.repo.ts';
import { prunePhoneCodes } from './phone-login.repo.ts';
import { pruneEndedWindows } from './rate-limit.repo.ts';

/**
 * Failed-login counts nobody repeated for a day are dropped (guessed usernames would pile up), and
 * so are login codes older than a day (expired long ago and outside every rate-limit window) and
 * the request counts of rate-limit windows that have ended.
 */
export const authJobs: JobDefinition[] = [
  {
    name: 'auth.prune-login-failures',
    cron: '20 3 * * *',
    handler: async (ctx) => {
      await pruneLoginFailures(ctx.db);
      await prunePhoneCodes(ctx.db);
      await pruneEndedWindows(ctx.db);
    },
  },
];
