import { providersContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Providers (服务商), their sites, licences, offerings and roster: `providersApi.getProvider({ params: { id } })`. */
export const providersApi = createApi(providersContract);
