import { ApiError } from '../app/api.ts';

/**
 * A queue of calls kept in localStorage until the server has answered, for pages that must work
 * through a dropped network (the worker's visits, the canteen kiosk's meals). Every entry carries
 * its Idempotency-Key and its original time, so sending it twice — a retry, two tabs, a replay
 * after a reload — is harmless. Oldest first; a network error keeps the entry and stops; a 4xx
 * answer is final: the entry is dropped and handed to `refused`.
 */
export interface Queued {
  key: string;
  at: string;
}

export interface OfflineQueue<T extends Queued> {
  items(): T[];
  add(...items: T[]): void;
  drop(key: string): void;
  /**
   * Send what is waiting. `refused` decides what a 4xx means for the rest: return to go on,
   * throw to stop. Concurrent calls share one run.
   */
  flush(send: (item: T) => Promise<unknown>, refused?: (item: T, err: ApiError) => Promise<void> | void): Promise<void>;
}

export function offlineQueue<T extends Queued>(store: string): OfflineQueue<T> {
  const items = (): T[] => {
    try {
      return JSON.parse(localStorage.getItem(store) ?? '[]') as T[];
    } catch {
      return [];
    }
  };
  const save = (list: T[]) => localStorage.setItem(store, JSON.stringify(list));
  const drop = (key: string) => save(items().filter((q) => q.key !== key));
  let running: Promise<void> | null = null;

  async function run(send: (item: T) => Promise<unknown>, refused?: (item: T, err: ApiError) => Promise<void> | void) {
    // One entry at a time, re-reading the store: an entry added while this run goes is sent too.
    const tried = new Set<string>();
    for (let item: T | undefined = items()[0]; item; item = items().find((q) => !tried.has(q.key))) {
      tried.add(item.key);
      try {
        await send(item);
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
          drop(item.key);
          if (refused) await refused(item, err);
          else throw err;
          continue;
        }
        return;
      }
      drop(item.key);
    }
  }

  return {
    items,
    add: (...more) => save([...items(), ...more]),
    drop,
    flush(send, refused) {
      running ??= run(send, refused).finally(() => {
        running = null;
      });
      return running;
    },
  };
}
