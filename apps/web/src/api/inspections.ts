import { inspectionsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 检查评级: `inspectionsApi.getInspection({ params: { id } })`, `inspectionsApi.saveScores(…)`. */
export const inspectionsApi = createApi(inspectionsContract);
