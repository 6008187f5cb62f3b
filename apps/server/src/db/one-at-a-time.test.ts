import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { createTestDatabase, type TestDatabase, testDbKind } from '../testing/db.ts';
import type { Db } from './client.ts';
import { oneQueryAtATime } from './one-at-a-time.ts';

/** A stand-in for a pg connection that records how many queries it ever had at once. */
function recordingClient() {
  const seen = { running: 0, most: 0, order: [] as string[] };
  const client = {
    query: (text: string) => {
      seen.running++;
      seen.most = Math.max(seen.most, seen.running);
      seen.order.push(text);
      return new Promise((resolve, reject) =>
        setTimeout(() => {
          seen.running--;
          if (text === 'fail') reject(new Error('refused'));
          else resolve({ rows: [{ text }] });
        }, 5),
      );
    },
  };
  return { client, seen };
}

describe('one query at a time on a connection', () => {
  it('runs queries sent at once one after the other, in the order sent, each with its own result or error', async () => {
    const { client, seen } = recordingClient();
    oneQueryAtATime(client as unknown as pg.Client);
    const q = client.query as unknown as (t: string) => Promise<{ rows: Array<{ text: string }> }>;
    const results = await Promise.allSettled(['a', 'b', 'fail', 'c'].map((t) => q(t)));
    expect(seen.most).toBe(1);
    expect(seen.order).toEqual(['a', 'b', 'fail', 'c']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.rows[0].text : (r.reason as Error).message))).toEqual([
      'a',
      'b',
      'refused',
      'c',
    ]);
    // Idle again: the next query goes at once.
    const next = q('d');
    expect(seen.running).toBe(1);
    await next;
  });
});

// The real driver: a transaction whose reads run with Promise.all (as services that take a
// DbOrTx do) gets every answer right, and node-postgres never has a second query queued.
describe.runIf(testDbKind() === 'postgres')('on PostgreSQL', () => {
  let base: TestDatabase;
  beforeAll(async () => {
    base = await createTestDatabase();
  });
  afterAll(() => base.drop());

  it('a transaction running twenty statements at once gets each its own answer, and pg never queues one', async () => {
    let queuedBehind = 0;
    const answers = await (base.db as Db).transaction(async (tx) => {
      const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
      const raw = client as unknown as { _queryQueue: unknown[] };
      const probe = setInterval(() => {
        if (raw._queryQueue.length > 0) queuedBehind++;
      }, 0);
      try {
        return await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            queryRows<{ n: number }>(tx, sql`SELECT ${i}::int * 2 AS n, pg_sleep(0.001)`).then((r) => r[0].n),
          ),
        );
      } finally {
        clearInterval(probe);
      }
    });
    expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(queuedBehind).toBe(0);
  });
});
