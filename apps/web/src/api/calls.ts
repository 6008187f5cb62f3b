import { callsContract, kbContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Call records (通话记录), the caller card, categories and actions from a call: `callsApi.callerCard({ params: { id } })`. */
export const callsApi = createApi(callsContract);

/** The knowledge base (知识库): `kbApi.searchArticles({ query: { q: 'gljt' } })`. */
export const kbApi = createApi(kbContract);
