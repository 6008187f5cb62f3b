import type pg from 'pg';

type QueryFn = (...args: unknown[]) => unknown;

/**
 * One query at a time on a connection, in the order sent.
 *
 * A transaction is one connection, and code that takes a `DbOrTx` may run several statements
 * at once (`Promise.all` over reads). node-postgres queues a query sent while another one runs,
 * but warns that pg@9 will refuse it ("Calling client.query() when the client is already
 * executing a query"). Here such a query waits for the ones sent before it: the same order,
 * results and errors as node-postgres's own queue, and pg@9 never sees two at once. A query sent
 * to an idle connection goes at once (no extra turn). Streams and callbacks (`submit` objects, a
 * callback argument) pass straight through.
 */
export function oneQueryAtATime(client: pg.PoolClient | pg.Client): void {
  const target = client as unknown as { query: QueryFn };
  const query = target.query.bind(client) as QueryFn;
  /** Settles when the last query sent has settled; null while the connection is idle. */
  let tail: Promise<void> | null = null;
  target.query = (config: unknown, ...rest: unknown[]) => {
    const streaming = !!config && typeof config === 'object' && 'submit' in config;
    if (streaming || typeof rest[rest.length - 1] === 'function') return query(config, ...rest);
    const run = () => query(config, ...rest) as Promise<unknown>;
    const result = tail ? tail.then(run) : run();
    const settled = result.then(
      () => {},
      () => {},
    );
    tail = settled;
    void settled.then(() => {
      if (tail === settled) tail = null;
    });
    return result;
  };
}
