import { usersContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Accounts (账号): `usersApi.listUsers({ query })`, `usersApi.unlockUser({ params: { id } })`. */
export const usersApi = createApi(usersContract);
