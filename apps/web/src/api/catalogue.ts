import { catalogueContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** The service catalogue (服务项目): `catalogueApi.listItems({ query: { includeInactive: 'true' } })`. */
export const catalogueApi = createApi(catalogueContract);
