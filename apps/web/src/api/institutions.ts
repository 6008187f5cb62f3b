import { institutionsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 机构养老: `institutionsApi.bedBoard({ params: { id } })`, `institutionsApi.admit(…)`. */
export const institutionsApi = createApi(institutionsContract);
