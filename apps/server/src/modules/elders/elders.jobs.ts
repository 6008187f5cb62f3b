import type { JobDefinition } from '../../jobs/workers.ts';
import { failStalledImports } from './elders.import.ts';

export const elderJobs: JobDefinition<Record<string, never>>[] = [
  { name: 'elders.stalled-imports', cron: '*/5 * * * *', handler: async (ctx) => void (await failStalledImports(ctx)) },
];
