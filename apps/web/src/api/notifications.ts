import { familySafetyContract, notificationsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** Family notices (通知) in the outbox. */
export const notificationsApi = createApi(notificationsContract);

/** The family page (家属端): `familySafetyApi.safety({ params: { elderId } })`. */
export const familySafetyApi = createApi(familySafetyContract);
