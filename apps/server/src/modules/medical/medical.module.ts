import { defineModule } from '../module.ts';
import { medicalJobs } from './medical.jobs.ts';
import { medicalRoutes } from './medical.routes.ts';
import { medicalTimeline } from './medical.timeline.ts';

/** 医养结合 (issue 20): medical organisations and teams, contracts, home visits, 家庭病床, partnerships and referrals. */
export const medicalModule = defineModule({
  name: 'medical',
  routes: medicalRoutes,
  jobs: medicalJobs,
  timeline: [medicalTimeline],
});
