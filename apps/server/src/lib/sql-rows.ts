import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** Run a raw SQL statement and return its rows (the same shape on PGlite and node-postgres). */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/**
 * A PostgreSQL array literal of ids or integers, to pass a list as one parameter (`= ANY($1::uuid[])`):
 * the statement's text then does not vary with the list's length, so it stays prepared (db/prepared.ts).
 */
export const pgArray = (values: ReadonlyArray<string | number>) => `{${values.join(',')}}`;
