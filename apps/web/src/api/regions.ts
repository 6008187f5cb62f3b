import { regionsContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi } from './client.ts';

/** Regions (区域): `regionsApi.listRegions({ query })`, `regionsApi.importRegions({ body: formData })`. */
export const regionsApi = createApi(regionsContract);

/** The region import template (an .xlsx download, not JSON, so not in the contract table). */
export const regionImportTemplateUrl = (): string => apiUrl('/regions/import-template');
