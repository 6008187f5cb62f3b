import { sosContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** The elder page's SOS (一键呼救): `sosApi.raiseSos({ body: {} })`, `sosApi.cancelSos({ body: {} })`. */
export const sosApi = createApi(sosContract);
