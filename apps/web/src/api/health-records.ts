import { healthRecordsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 健康档案 and 长护险: `healthRecordsApi.getVitals({ params: { id }, query: { days: 30, reason } })`. */
export const healthRecordsApi = createApi(healthRecordsContract);

/** The monthly claim file (a download, not JSON): xlsx or csv. */
export const ltcClaimExportUrl = (id: string, format: 'xlsx' | 'csv') => `/api/v1/ltc-claims/${id}/export?format=${format}`;
