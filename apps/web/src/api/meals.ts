import { mealsContract } from '@zhiyang/shared';
import { apiUrl } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/** Meal assistance 助餐: `mealsApi.listMeals({ query: { canteenId, day } })`. */
export const mealsApi = createApi(mealsContract);

/** A canteen's monthly statement (.xlsx): a download the browser follows. */
export const canteenSettlementExportUrl = (id: string) => apiUrl(fillPath('/canteen-settlements/:id/export', { id }));
