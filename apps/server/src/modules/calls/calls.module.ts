import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { defineModule, type ModuleRouteOptions } from '../module.ts';
import { agentJobs } from './agents.jobs.ts';
import { agentsRoutes } from './agents.routes.ts';
import { callRecordRoutes } from './calls.routes.ts';
import { commandRoutes } from './commands.routes.ts';
import { ctiRoutes } from './cti.routes.ts';
import { kbRoutes } from './kb.routes.ts';
import { recordingJobs } from './recordings.jobs.ts';
import { recordingRoutes } from './recordings.routes.ts';
import { callReportRoutes } from './reports.routes.ts';

/**
 * The call centre 呼叫中心 (issue 14): one module, several route plugins. The telephony side
 * (CTI: agents and their states, hotlines and queues, webhooks, routing, simulator; docs/cti.md)
 * and the call records (forms, cards, categories, knowledge base) each register theirs here.
 */
const callsRoutes: FastifyPluginAsyncZod<ModuleRouteOptions> = async (_app, _opts) => {
  // Route plugins of the module, one line each.
  await _app.register(agentsRoutes, _opts);
  await _app.register(ctiRoutes, _opts);
  await _app.register(callReportRoutes, _opts);
  await _app.register(callRecordRoutes, _opts);
  await _app.register(commandRoutes, _opts);
  await _app.register(kbRoutes, _opts);
  await _app.register(recordingRoutes, _opts);
};

export const callsModule = defineModule({
  name: 'calls',
  routes: callsRoutes,
  jobs: [...agentJobs, ...recordingJobs],
});
