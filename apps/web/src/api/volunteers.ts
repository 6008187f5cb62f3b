import { volunteersContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Volunteers, tasks, the time bank and 睦邻点: `volunteersApi.myTasks({})`. */
export const volunteersApi = createApi(volunteersContract);
