import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { JobDefinition } from '../jobs/job.ts';
import type { AppContext } from '../lib/context.ts';
import type { TimelineSource } from './elders/timeline.ts';

export type Role = 'web' | 'worker' | 'gateway';

import type { BrokerState } from './health/health.routes.ts';

/** What app.ts passes to every module's routes plugin (registered under /api/v1). */
export interface ModuleRouteOptions {
  ctx: AppContext;
  broker: BrokerState;
}

/**
 * Code that reacts to domain events (ctx.events.onEvent) in the background. `start` subscribes
 * and returns the function that unsubscribes; it runs in each process whose ROLES include `role`.
 * Events reach every process after commit but may be missed while a process is down, so a
 * listener's effect needs a durable backstop (a sweep job, a check at the next write).
 */
export interface ListenerDefinition {
  name: string;
  role: Role;
  start(ctx: AppContext): () => void;
}

/**
 * One module of the platform: everything main.ts and app.ts need to wire it, in one place.
 * - `routes`: its HTTP routes, served by `web` processes (`routesIn: 'every-role'` for the
 *   health check, which every process answers so an orchestrator can probe it).
 * - `jobs`: its pg-boss jobs and schedules (queue names and payload schemas in jobs/queues.ts),
 *   worked by `worker` processes; any process may send into them.
 * - `listeners`: its event listeners, each in the role it names.
 * - `timeline`: its contributions to the elder's 360° timeline (GET /elders/{id}/timeline).
 * The list of modules is modules/index.ts.
 */
export interface ModuleDefinition {
  name: string;
  routes?: FastifyPluginAsyncZod<ModuleRouteOptions>;
  routesIn?: 'web' | 'every-role';
  jobs?: readonly JobDefinition[];
  listeners?: readonly ListenerDefinition[];
  timeline?: readonly TimelineSource[];
}

/** Declare a module (see docs/adding-a-module.md). */
export function defineModule(m: ModuleDefinition): ModuleDefinition {
  return m;
}
