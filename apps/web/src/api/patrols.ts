import { patrolsContract } from '@zhiyang/shared';
import { createApi } from './client.ts';

/** 智慧安防: `patrolsApi.listRoutes({ params: { id } })`, `patrolsApi.scan(…)`, `patrolsApi.districtRisk(…)`. */
export const patrolsApi = createApi(patrolsContract);

/** The monthly report as .xlsx (a file, not a contract route). */
export const patrolMonthXlsxUrl = (month: string) => `/api/v1/patrol-reports/monthly.xlsx?month=${encodeURIComponent(month)}`;
