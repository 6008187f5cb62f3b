import { walletsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Elder wallets (账户): `walletsApi.myWallet()` on the elder and family phones. */
export const walletsApi = createApi(walletsContract);
