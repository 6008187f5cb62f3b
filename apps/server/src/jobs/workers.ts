import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { AppContext } from '../lib/context.ts';
import { countJobFailure } from '../lib/metrics.ts';
import type { JobDefinition } from './job.ts';
import { QUEUES } from './queues.ts';

/** A job whose payload does not match its queue's schema; the job fails with this message. */
export class JobPayloadError extends Error {}

/**
 * Run one job: the payload is checked against the queue's schema (jobs/queues.ts) first, so the
 * handler only ever sees the shape it declares. A bad payload throws a JobPayloadError naming
 * the queue and the fields, and pg-boss records the job as failed with that message.
 */
export async function runJob(ctx: AppContext, def: JobDefinition, data: unknown): Promise<void> {
  const parsed = QUEUES[def.name].safeParse(data ?? {});
  if (!parsed.success)
    throw new JobPayloadError(`job ${def.name}: payload does not match its schema: ${z.prettifyError(parsed.error)}`);
  try {
    await def.handler(ctx, parsed.data as never);
  } catch (err) {
    countJobFailure(def.name);
    throw err;
  }
}

/** Create each job's queue, its schedule if it has one, and a worker (the worker role). */
export async function startWorkers(ctx: AppContext, boss: PgBoss, jobs: readonly JobDefinition[], poll?: number) {
  for (const def of jobs) {
    await boss.createQueue(def.name);
    if (def.cron) await boss.schedule(def.name, def.cron, {}, { tz: 'Asia/Shanghai' });
    await boss.work(def.name, poll ? { pollingIntervalSeconds: poll } : {}, async (batch) => {
      for (const job of batch) await runJob(ctx, def, job.data);
    });
  }
}
