import { creditContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Credit 信用 and public disclosure 信息公开: `creditApi.getFile({ params: { id } })`, `creditApi.publicProviders({})`. */
export const creditApi = createApi(creditContract);
