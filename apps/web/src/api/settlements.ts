import { settlementsContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** Monthly settlement (结算): `settlementsApi.drawUp({ body: { providerId, period } })`. */
export const settlementsApi = createApi(settlementsContract);

/** The statement as .xlsx: a file download the browser follows, so a link rather than a JSON call. */
export const settlementExportUrl = (id: string) => apiUrl(fillPath('/settlements/:id/export', { id }));
