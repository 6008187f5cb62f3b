import { ctiContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** The call centre's telephony side: agents and their states, hotlines, the live view and the phone simulator: `ctiApi.myAgent()`. */
export const ctiApi = createApi(ctiContract);
