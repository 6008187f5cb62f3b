import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { sealAll } from '../modules/audit/audit.chain.ts';

/**
 * Row counts of every table in the public schema: "nothing changed" for the whole database. The
 * rate limits' request counts are left out: a refused request counts against its client's limit on
 * purpose (a flood of bad requests must not escape it).
 */
export async function tableCounts(ctx: Pick<AppContext, 'db'>): Promise<Record<string, number>> {
  // Audit rows are chained after commit by the sealer: seal first, so its entries count the rows
  // that were there before, not whether the sealer's timer happened to fire in between.
  await sealAll(ctx.db, { block: true });
  const tables = await queryRows<{ t: string }>(
    ctx.db,
    sql`SELECT table_name AS t FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'rate_limit_hits' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    out[t] = Number((await queryRows<{ n: string }>(ctx.db, sql`SELECT count(*) AS n FROM ${sql.identifier(t)}`))[0].n);
  }
  return out;
}
