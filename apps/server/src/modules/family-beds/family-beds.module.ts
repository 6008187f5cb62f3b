import { defineModule } from '../module.ts';
import { familyBedJobs } from './family-beds.jobs.ts';
import { familyBedRoutes } from './family-beds.routes.ts';
import { familyBedsTimeline } from './family-beds.timeline.ts';

/**
 * Family care beds 家庭养老照护床位 (issue 18): eligibility, home assessment, contract, devices of the
 * registry, monitoring rules fed to the alarm rules, the monthly package check and its subsidy in
 * the provider's settlement (docs/family-beds.md).
 */
export const familyBedsModule = defineModule({
  name: 'family-beds',
  routes: familyBedRoutes,
  jobs: familyBedJobs,
  timeline: [familyBedsTimeline],
});
