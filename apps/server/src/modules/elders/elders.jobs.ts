import type { JobDefinition } from '../../jobs/job.ts';
import { failStalledImports } from './elders.import.ts';

export const elderJobs: JobDefinition[] = [
  { name: 'elders.stalled-imports', cron: '*/5 * * * *', handler: async (ctx) => void (await failStalledImports(ctx)) },
];
