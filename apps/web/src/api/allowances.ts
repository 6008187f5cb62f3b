import { allowancesContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** High-age allowance 高龄津贴: `allowancesApi.listApplications({ query: { status: 'street' } })`. */
export const allowancesApi = createApi(allowancesContract);

/** The bank payment file of an approved roll (.xlsx): a download the browser follows. */
export const allowanceRollExportUrl = (id: string) => apiUrl(fillPath('/allowance-rolls/:id/export', { id }));
