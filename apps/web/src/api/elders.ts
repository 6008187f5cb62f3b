import { eldersContract } from '@zhiyang/shared';
import { apiUrl, type Query } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** The elder archive (老人档案), contacts and family binding: `eldersApi.getElder({ params: { id } })`. */
export const eldersApi = createApi(eldersContract);

// The spreadsheet downloads answer a file, not JSON: the page opens these URLs in a new window.

/** The import template (xlsx). */
export const elderImportTemplateUrl = () => apiUrl('/elders/import/template');

/** The error report (xlsx) of one import. */
export const elderImportErrorsUrl = (id: string) => apiUrl(fillPath('/elders/imports/:id/errors', { id }));

/** The filtered archive as xlsx; `reveal: true` gives full identifiers to a role that may reveal. */
export const elderExportUrl = (filters: Query & { reveal?: boolean }) => apiUrl('/elders/export', filters);
