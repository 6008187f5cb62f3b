import type { PgBoss } from 'pg-boss';
import type { AppContext } from '../lib/context.ts';
import { safetyJobs } from '../modules/alarms/alarms.jobs.ts';
import { authJobs } from '../modules/auth/auth.jobs.ts';
import { elderJobs } from '../modules/elders/elders.jobs.ts';
import { orderJobs } from '../modules/orders/orders.jobs.ts';
import { policyJobs } from '../modules/policies/policies.jobs.ts';
import { walletJobs } from '../modules/wallets/wallets.jobs.ts';

/**
 * A job definition: a queue name, a handler that is safe to run twice (idempotent), and an
 * optional cron schedule. Modules add theirs to `jobDefinitions`; the worker role starts them.
 */
export interface JobDefinition<T = Record<string, unknown>> {
  name: string;
  cron?: string;
  handler(ctx: AppContext, data: T): Promise<void>;
}

export const jobDefinitions: JobDefinition<never>[] = [
  ...(elderJobs as JobDefinition<never>[]),
  ...(walletJobs as JobDefinition<never>[]),
  ...(policyJobs as JobDefinition<never>[]),
  ...(orderJobs as JobDefinition<never>[]),
  ...safetyJobs,
  ...(authJobs as JobDefinition<never>[]),
];

export async function startWorkers(ctx: AppContext, boss: PgBoss) {
  for (const def of jobDefinitions) {
    await boss.createQueue(def.name);
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Shanghai' });
    await boss.work(def.name, async (jobs) => {
      for (const job of jobs) await def.handler(ctx, job.data as never);
    });
  }
}
