import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../app/api.ts';
import { offlineQueue, type Queued } from './offline-queue.ts';

// The queue the worker page and the canteen kiosk share: what is kept, sent, dropped and reported.

const store = new Map<string, string>();
Object.defineProperty(globalThis, 'localStorage', {
  configurable: true,
  value: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  },
});

const item = (key: string): Queued => ({ key, at: new Date().toISOString() });
const offline = () => new ApiError({ title: 'Network error', status: 0 });
const refusal = () => new ApiError({ title: 'Unprocessable', status: 422, code: 'closed-period' });

beforeEach(() => store.clear());

describe('offline queue', () => {
  it('sends oldest first and keeps everything from the first network error on', async () => {
    const q = offlineQueue<Queued>('t.queue');
    q.add(item('a'), item('b'), item('c'));
    const sent: string[] = [];
    await q.flush(async (i) => {
      if (i.key === 'b') throw offline();
      sent.push(i.key);
    });
    expect(sent).toEqual(['a']);
    expect(q.items().map((i) => i.key)).toEqual(['b', 'c']);
  });

  it('drops a refused entry and reports it; without a handler the refusal is thrown', async () => {
    const q = offlineQueue<Queued>('t.queue');
    q.add(item('a'), item('b'));
    const refused: string[] = [];
    await q.flush(
      async (i) => {
        if (i.key === 'a') throw refusal();
      },
      (i) => void refused.push(i.key),
    );
    expect(refused).toEqual(['a']);
    expect(q.items()).toEqual([]);
    q.add(item('c'));
    await expect(q.flush(async () => Promise.reject(refusal()))).rejects.toMatchObject({ status: 422 });
    expect(q.items()).toEqual([]);
  });

  it('sends an entry added while a run goes, and concurrent flushes share one run (each entry sent once)', async () => {
    const q = offlineQueue<Queued>('t.queue');
    q.add(item('a'));
    const sent: string[] = [];
    const send = async (i: Queued) => {
      sent.push(i.key);
      if (i.key === 'a') q.add(item('b'));
      await Promise.resolve();
    };
    await Promise.all([q.flush(send), q.flush(send)]);
    expect(sent).toEqual(['a', 'b']);
    expect(q.items()).toEqual([]);
  });

  it('survives a corrupt store', () => {
    store.set('t.queue', '{not json');
    expect(offlineQueue<Queued>('t.queue').items()).toEqual([]);
  });
});
