import type { AppContext } from '../lib/context.ts';
import type { QueueName, QueuePayload } from './queues.ts';

/**
 * A job: its queue (the name, from jobs/queues.ts, which also holds its payload schema), a
 * handler that is safe to run twice (idempotent), and an optional cron schedule (China time).
 * Modules list theirs in `<name>.module.ts`; the worker role starts them (jobs/workers.ts).
 */
export interface JobDefinition<Q extends QueueName = QueueName> {
  name: Q;
  cron?: string;
  handler(ctx: AppContext, data: QueuePayload<Q>): Promise<void>;
}

/** Declare a job; the queue name types the handler's payload. */
export function defineJob<Q extends QueueName>(def: JobDefinition<Q>): JobDefinition<Q> {
  return def;
}
