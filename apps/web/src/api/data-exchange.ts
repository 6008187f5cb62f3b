import { dataExchangeContract, type ExchangeExportQuery } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi } from './client.ts';

/** Data exchange 数据交换: `dataExchangeApi.previewImport({ query: { kind }, body: formData })`, `applyImport`, `listExchanges`. */
export const dataExchangeApi = createApi(dataExchangeContract);

/** The export is a streamed file, not JSON: the page links to it (the session cookie goes with the link). */
export const exchangeExportUrl = (q: ExchangeExportQuery): string => apiUrl('/data-exchange/export', { ...q });
