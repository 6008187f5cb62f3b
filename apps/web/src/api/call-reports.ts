import { callReportsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Call-centre reports (呼叫中心报表): `callReportsApi.inbound({ query: { bucket: 'day' } })`, `callReportsApi.live()`. */
export const callReportsApi = createApi(callReportsContract);

/** The inbound report's xlsx download (a file, not JSON): the same query as the report. */
export const inboundReportXlsxUrl = (q: { from?: string; to?: string; bucket?: string }) =>
  `/api/v1/call-reports/inbound/export?${new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => Boolean(e[1])))}`;

/** The outbound (care-call) report's xlsx download: every campaign's coverage this period. */
export const outboundReportXlsxUrl = '/api/v1/call-reports/outbound/export';
