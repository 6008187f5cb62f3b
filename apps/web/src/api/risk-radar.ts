import { riskRadarContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Risk radar 风险雷达: `riskRadarApi.listRadar({ query: { level: 'high' } })`. */
export const riskRadarApi = createApi(riskRadarContract);
