import { careVisitsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Special groups and 关爱巡访 visits: `careVisitsApi.listVisits({ query: { assignee: 'me' } })`. */
export const careVisitsApi = createApi(careVisitsContract);
