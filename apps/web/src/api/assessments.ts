import { assessmentsContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** Ability assessments (能力评估): `assessmentsApi.getAssessment({ params: { id } })`. */
export const assessmentsApi = createApi(assessmentsContract);

/** The printable report (HTML), opened in a new window. */
export const assessmentReportUrl = (id: string) => apiUrl(fillPath('/assessments/:id/report', { id }));
