import { allowanceBackOfficeContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** High-age allowance back office: returns, corrected accounts, deaths and recoveries, scans, reports. */
export const allowanceBackOfficeApi = createApi(allowanceBackOfficeContract);

/** The bank file of an approved roll as CSV or fixed-width text: a download the browser follows. */
export const allowanceBankFileUrl = (id: string, format: 'csv' | 'fixed') =>
  apiUrl(fillPath('/allowance-rolls/:id/bank-file', { id }), { format });

/** One document scan (opened in a new tab; the read is audited). */
export const allowanceDocumentUrl = (id: string, docId: string) =>
  apiUrl(fillPath('/allowance-applications/:id/documents/:docId', { id, docId }));

/** The 津贴报表 as xlsx. */
export const allowanceReportExportUrl = (query: { regionCode?: string; from: string; to: string }) =>
  apiUrl('/allowance-reports/export', query);
