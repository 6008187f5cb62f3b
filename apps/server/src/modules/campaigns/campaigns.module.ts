import { defineModule } from '../module.ts';
import { campaignJobs } from './campaigns.jobs.ts';
import { campaignRoutes } from './campaigns.routes.ts';

/** Outbound care calls 主动关爱 (issue 14): campaigns, daily call lists, results, visit tasks. */
export const campaignsModule = defineModule({
  name: 'campaigns',
  routes: campaignRoutes,
  jobs: campaignJobs,
});
