import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { Database, DbOrTx } from '../db/client.ts';

/**
 * pg-boss on the same database as everything else: on PGlite through its adapter, on
 * PostgreSQL with its own small pool. Jobs and schedules therefore survive restarts and are
 * shared by every server process.
 */
export async function startBoss(database: Database, opts: { supervise: boolean; schedule: boolean }): Promise<PgBoss> {
  const boss =
    database.kind === 'pglite' && database.pglite
      ? new PgBoss({ db: fromPglite(database.pglite as never), supervise: opts.supervise, schedule: opts.schedule })
      : new PgBoss({ connectionString: database.url, max: 4, supervise: opts.supervise, schedule: opts.schedule });
  boss.on('error', () => {});
  await boss.start();
  return boss;
}

/** Enqueue inside the caller's transaction: the job exists if and only if the change committed. */
export function inTx(tx: DbOrTx) {
  return { db: fromDrizzle(tx as never, sql as never) };
}
