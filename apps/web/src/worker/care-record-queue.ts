import type { BodyOf, institutionsContract } from '@zhiyang/shared';
import { institutionsApi } from '../api/institutions.ts';
import { offlineQueue } from '../common/offline-queue.ts';

/**
 * Care records (护理记录) kept on the phone until the server has them: each tap gets its
 * Idempotency-Key and its time at once, so sending it again after a reload, a dropped answer or a
 * second tab records it once (the server keeps the key with the record).
 */
export interface QueuedCare {
  key: string;
  at: string;
  body: BodyOf<typeof institutionsContract.recordCare>;
}
const queue = offlineQueue<QueuedCare>('zhiyang.care-records.queue');
export const queuedCare = queue.items;

/** Send what waits, oldest first; a refused record (4xx) is dropped and reported to `onRefused`. */
export function flushCare(onRefused: (item: QueuedCare, err: unknown) => void = () => {}) {
  return queue.flush(
    (item) => institutionsApi.recordCare({ body: item.body, headers: { 'Idempotency-Key': item.key } }),
    (item, err) => onRefused(item, err),
  );
}

/** Keep the tap, then try to send it: true when the server has it now. */
export async function recordCare(body: Omit<QueuedCare['body'], 'doneAt'>, onRefused?: (item: QueuedCare, err: unknown) => void) {
  const at = new Date().toISOString();
  const item: QueuedCare = { key: `care-${crypto.randomUUID()}`, at, body: { ...body, doneAt: at } };
  queue.add(item);
  await flushCare(onRefused);
  return !queuedCare().some((q) => q.key === item.key);
}
