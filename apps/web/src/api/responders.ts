import { respondersContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Responders (响应人员): the nearest ones for an alarm, and the worker page's duty state and tasks. */
export const respondersApi = createApi(respondersContract);
