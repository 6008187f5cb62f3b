import { campaignsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Outbound care calls (主动关爱): campaigns and the agent's daily list: `campaignsApi.myTasks()`. */
export const campaignsApi = createApi(campaignsContract);
