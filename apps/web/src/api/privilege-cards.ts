import { privilegeCardsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 老年人优待证: `privilegeCardsApi.getMine()`, `privilegeCardsApi.verify({ params: { token } })`. */
export const privilegeCardsApi = createApi(privilegeCardsContract);
