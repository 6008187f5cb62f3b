import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';

/** Run raw SQL and return its rows (both drivers answer `{ rows }`; the shared Db type does not say so). */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
