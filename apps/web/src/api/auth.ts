import { authContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Login, logout, who am I, password change: `authApi.me({ quiet401: true })`. */
export const authApi = createApi(authContract);
