import { supervisionContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Supervision 综合监管: `supervisionApi.getDashboard({ query: { regionCode } })`. */
export const supervisionApi = createApi(supervisionContract);
