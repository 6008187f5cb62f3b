import { ApiError, api } from '../app/api.ts';

/**
 * Offline-tolerant actions of the worker page: every check-in/out is stored with its original
 * time and an Idempotency-Key before it is sent; what the network refuses stays queued and is
 * sent again when the phone is back online. The key makes a resend harmless.
 */
export interface QueuedAction {
  key: string;
  orderId: string;
  path: 'en-route' | 'check-in' | 'check-out';
  body: Record<string, unknown>;
  at: string;
}
const STORE = 'zhiyang.worker.queue';

export function queued(): QueuedAction[] {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? '[]') as QueuedAction[];
  } catch {
    return [];
  }
}
function save(items: QueuedAction[]) {
  localStorage.setItem(STORE, JSON.stringify(items));
}

/** Queue then try to send; resolves true when sent now, false when left for later. */
export async function perform(action: Omit<QueuedAction, 'key' | 'at'>): Promise<boolean> {
  const item: QueuedAction = { ...action, key: crypto.randomUUID(), at: new Date().toISOString() };
  if (item.path !== 'en-route') item.body = { ...item.body, at: item.at };
  save([...queued(), item]);
  await flush();
  return !queued().some((q) => q.key === item.key);
}

/** Send what is waiting, oldest first. A 4xx answer is final (dropped and thrown); a network error keeps it. */
export async function flush(): Promise<void> {
  for (const item of queued()) {
    try {
      await api.post(`/service-orders/${item.orderId}/${item.path}`, item.body, { headers: { 'Idempotency-Key': item.key } });
      save(queued().filter((q) => q.key !== item.key));
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
        save(queued().filter((q) => q.key !== item.key));
        throw err;
      }
      return;
    }
  }
}
