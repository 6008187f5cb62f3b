import { ordersContract, type VisitPhoto, type VisitPhotoUploadQuery } from '@zhiyang/shared';
import { request } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

/**
 * The service loop (服务闭环): orders, the worker's visit, complaints, notices and the loop's rules,
 * e.g. `ordersApi.listOrders({ query: { date, limit: 200 } })`, `ordersApi.checkIn({ params: { id }, body })`.
 */
export const ordersApi = createApi(ordersContract);

/**
 * Attach a visit photo (multipart field `file`). The upload is a plain server route, not a
 * contract entry, because it answers 201 for a new picture and 200 for the same picture sent again.
 */
export function uploadVisitPhoto(orderId: string, query: VisitPhotoUploadQuery, form: FormData): Promise<VisitPhoto> {
  return request('POST', fillPath(ordersContract.listPhotos.path, { id: orderId }), { query, body: form });
}
