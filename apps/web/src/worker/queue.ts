import { ordersApi, uploadVisitPhoto } from '../api/orders.ts';
import { offlineQueue } from '../common/offline-queue.ts';
import { deleteBlob, loadBlob, saveBlob } from './photo-store.ts';

/**
 * Offline-tolerant actions of the worker page: every check-in/out is stored with its original
 * time and an Idempotency-Key before it is sent; what the network refuses stays queued and is
 * sent again when the phone is back online. The key makes a resend harmless. Photos are queued
 * too: the picture itself waits in IndexedDB (localStorage holds only text) and is uploaded
 * before the check-in/out it belongs to, with the time it was taken; the server treats the
 * same picture sent twice as one.
 */
export interface QueuedAction {
  key: string;
  orderId: string;
  path: 'en-route' | 'check-in' | 'check-out' | 'photo';
  body: Record<string, unknown>;
  at: string;
}
const queue = offlineQueue<QueuedAction>('zhiyang.worker.queue');

export const queued = queue.items;

/**
 * Queue then try to send; resolves true when sent now, false when left for later. `photos` are
 * taken now for the check-in or check-out and go first.
 */
export async function perform(action: Omit<QueuedAction, 'key' | 'at'>, photos: Blob[] = []): Promise<boolean> {
  const at = new Date().toISOString();
  const items: QueuedAction[] = [];
  for (const photo of photos) {
    const key = crypto.randomUUID();
    await saveBlob(key, photo);
    items.push({ key, orderId: action.orderId, path: 'photo', body: { stage: action.path, takenAt: at }, at });
  }
  const item: QueuedAction = { ...action, key: crypto.randomUUID(), at };
  if (item.path !== 'en-route') item.body = { ...item.body, at: item.at };
  items.push(item);
  queue.add(...items);
  await flush();
  return !queued().some((q) => q.key === item.key);
}

/**
 * The typed call for each queued action. Entries already stored on a phone name their action by
 * the URL's last segment (`check-in`, …) and keep doing so: the stored shape is unchanged.
 */
const CALLS = {
  'en-route': ordersApi.enRoute,
  'check-in': ordersApi.checkIn,
  'check-out': ordersApi.checkOut,
} as const;

async function send(item: QueuedAction) {
  if (item.path !== 'photo') {
    const call = CALLS[item.path] as (args: {
      params: { id: string };
      body?: Record<string, unknown>;
      headers: Record<string, string>;
    }) => Promise<unknown>;
    // en-route takes no body; older entries may still carry an empty one.
    const body = item.path === 'en-route' ? undefined : item.body;
    await call({ params: { id: item.orderId }, body, headers: { 'Idempotency-Key': item.key } });
    return;
  }
  const blob = await loadBlob(item.key);
  if (!blob) return; // the picture is gone (storage cleared): nothing left to send
  const form = new FormData();
  form.append('file', blob, `${item.key}.${blob.type.split('/')[1] ?? 'jpg'}`);
  const stage = item.body.stage === 'check-out' ? 'check-out' : 'check-in';
  await uploadVisitPhoto(item.orderId, { stage, takenAt: String(item.body.takenAt) }, form);
}

/**
 * Send what is waiting, oldest first. A 4xx answer is final (dropped and thrown; a refused photo
 * does not hold back the check-in after it); a network error keeps it and stops.
 */
export async function flush(): Promise<void> {
  let refused: unknown = null;
  await queue.flush(
    async (item) => {
      await send(item);
      if (item.path === 'photo') await deleteBlob(item.key);
    },
    async (item, err) => {
      if (item.path !== 'photo') throw err;
      await deleteBlob(item.key);
      refused ??= err;
    },
  );
  if (refused) throw refused;
}
