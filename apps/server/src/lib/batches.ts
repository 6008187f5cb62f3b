import type { Db, Tx } from '../db/client.ts';

/**
 * The shape of every backfill: `step` handles at most `batch` rows inside one transaction and says
 * how many it handled; batches follow until one comes back short. A step that picks its rows with
 * `FOR UPDATE SKIP LOCKED` lets several processes share the work, and a crash loses at most the
 * batch in flight. Returns how many rows were handled in all.
 */
export async function inBatches(db: Db, batch: number, step: (tx: Tx, limit: number) => Promise<number>): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await db.transaction((tx) => step(tx, batch));
    done += n;
    if (n < batch) return done;
  }
}
