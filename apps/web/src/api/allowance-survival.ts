import { allowanceSurvivalContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Remote survival verification 生存认证: `survivalApi.startMySurvival()`, `survivalApi.answerSurvival({ params, body })`. */
export const survivalApi = createApi(allowanceSurvivalContract);
