import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** A window's count and the milliseconds until it ends. */
export interface WindowCount {
  hits: number;
  ttlMs: number;
}

/**
 * Count one hit for `key` in its fixed window of `windowMs`: the first hit, and the first after
 * the window ended, start a new window. One statement, so hits from several processes at once are
 * all counted.
 */
export async function hit(db: DbOrTx, key: string, windowMs: number): Promise<WindowCount> {
  const [r] = await queryRows<{ hits: number; ttl_ms: string }>(
    db,
    sql`INSERT INTO rate_limit_hits AS r (key, hits, resets_at)
        VALUES (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.resets_at <= now() THEN 1 ELSE r.hits + 1 END,
          resets_at = CASE WHEN r.resets_at <= now() THEN excluded.resets_at ELSE r.resets_at END
        RETURNING hits, greatest(0, ceil(extract(epoch FROM r.resets_at - now()) * 1000)) AS ttl_ms`,
  );
  return { hits: Number(r.hits), ttlMs: Number(r.ttl_ms) };
}

/** Windows that ended are worth nothing: dropped by the nightly prune (auth.jobs.ts). */
export async function pruneEndedWindows(db: DbOrTx) {
  await db.execute(sql`DELETE FROM rate_limit_hits WHERE resets_at < now()`);
}
