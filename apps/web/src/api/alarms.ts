import { alarmsContract, safetyRulesContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** The alarm centre (告警中心): `alarmsApi.listAlarms({ query: { status: 'open' } })`, `alarmsApi.acknowledge({ params: { id } })`. */
export const alarmsApi = createApi(alarmsContract);

/** An elder's alarm rules (安全规则): `safetyRulesApi.getRules({ params: { elderId } })`. */
export const safetyRulesApi = createApi(safetyRulesContract);
