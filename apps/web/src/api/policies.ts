import { policiesContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Subsidy policies (补贴政策): `policiesApi.listPolicies()`, `policiesApi.runPolicy({ params, headers })`. */
export const policiesApi = createApi(policiesContract);
