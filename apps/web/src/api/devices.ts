import { devicesContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Devices (设备): `devicesApi.listDevices({ query: { q } })`, `devicesApi.importDevices({ body: formData })`. */
export const devicesApi = createApi(devicesContract);
