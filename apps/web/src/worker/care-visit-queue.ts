import type { BodyOf, careVisitsContract } from '@zhiyang/shared';
import { careVisitsApi } from '../api/care-visits.ts';
import { offlineQueue } from '../common/offline-queue.ts';

/**
 * Visit records kept on the phone until the server has them (关爱巡访 in a cellar flat or a lift
 * with no signal). Each carries its Idempotency-Key and the time it was filled in, so sending it
 * again after a reload or a dropped answer records the visit once (the server keeps the key).
 */
export interface QueuedVisit {
  key: string;
  at: string;
  visitId: string;
  body: BodyOf<typeof careVisitsContract.recordVisit>;
  /** A volunteer's own visit: sent to /volunteer/care-visits/:id/record. */
  volunteer?: boolean;
}
const queue = offlineQueue<QueuedVisit>('zhiyang.care-visits.queue');
export const queuedVisits = queue.items;

/** Send what waits, oldest first; a refused record (4xx) is dropped and reported to `onRefused`. */
export function flushVisits(onRefused: (item: QueuedVisit, err: unknown) => void = () => {}) {
  return queue.flush(
    (item) =>
      (item.volunteer ? careVisitsApi.recordMyVisit : careVisitsApi.recordVisit)({
        params: { id: item.visitId },
        body: item.body,
        headers: { 'Idempotency-Key': item.key },
      }),
    (item, err) => onRefused(item, err),
  );
}

/** Keep the record, then try to send it: true when the server has it now. */
export async function recordVisit(
  visitId: string,
  body: QueuedVisit['body'],
  onRefused?: (item: QueuedVisit, err: unknown) => void,
  volunteer = false,
) {
  const at = new Date().toISOString();
  const item: QueuedVisit = { key: crypto.randomUUID(), at, visitId, body: { ...body, at }, ...(volunteer ? { volunteer } : {}) };
  queue.add(item);
  await flushVisits(onRefused);
  return !queuedVisits().some((q) => q.key === item.key);
}

/** A photo as a small JPEG data URL (longest side 1024 px), what the record carries. */
export async function photoDataUrl(file: File): Promise<string> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1024 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.7);
  } catch {
    return await new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(r.error);
      r.readAsDataURL(file);
    });
  }
}
