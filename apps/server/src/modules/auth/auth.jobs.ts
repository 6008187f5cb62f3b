import type { JobDefinition } from '../../jobs/job.ts';
import { pruneLoginFailures } from './auth.repo.ts';
import { prunePhoneCodes } from './phone-login.repo.ts';

/**
 * Failed-login counts nobody repeated for a day are dropped (guessed usernames would pile up), and
 * so are login codes older than a day (expired long ago and outside every rate-limit window).
 */
export const authJobs: JobDefinition[] = [
  {
    name: 'auth.prune-login-failures',
    cron: '20 3 * * *',
    handler: async (ctx) => {
      await pruneLoginFailures(ctx.db);
      await prunePhoneCodes(ctx.db);
    },
  },
];
