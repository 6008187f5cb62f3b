import { medicalContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 医养结合: `medicalApi.listVisits({ query: { mine: 'true' } })`. */
export const medicalApi = createApi(medicalContract);
