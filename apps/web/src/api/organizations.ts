import { organizationsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Organisations (机构): `organizationsApi.listOrgs({ query })`. */
export const organizationsApi = createApi(organizationsContract);
