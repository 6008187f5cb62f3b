import { defineModule } from '../../module.ts';
import { brokerSyncJobs } from './broker-sync.jobs.ts';

/** Device secrets and topics kept in sync with Mosquitto's dynamic-security plugin (broker-sync.service.ts). */
export const brokerSyncModule = defineModule({
  name: 'broker-sync',
  jobs: brokerSyncJobs,
});
