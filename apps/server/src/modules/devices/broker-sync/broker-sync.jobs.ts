import { defineJob } from '../../../jobs/job.ts';
import { syncDevice } from './broker-sync.service.ts';

/** Write one device into Mosquitto's dynamic-security plugin; a failure throws, and pg-boss retries. */
export const brokerSyncJob = defineJob({
  name: 'devices.broker-sync',
  handler: async (ctx, { deviceId }) => {
    await syncDevice(ctx, deviceId);
  },
});

export const brokerSyncJobs = [brokerSyncJob];
