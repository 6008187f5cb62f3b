import { familyBedsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 家庭养老照护床位: `familyBedsApi.board({ query })`, `familyBedsApi.runCheck({ body: { month } })`. */
export const familyBedsApi = createApi(familyBedsContract);
