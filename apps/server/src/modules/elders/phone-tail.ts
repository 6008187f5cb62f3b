import { sql } from 'drizzle-orm';
import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import { normalisePhone } from '../../lib/http.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/**
 * Fill the blind index of the phone's last 4 digits (`phone_tail4_hash`, 0526) for elders
 * written before it existed: the HMAC key lives with the application, so the migration cannot.
 * New and edited elders get it from `encodeElder`. Batches of `batch`, each in its own
 * transaction; safe to run any number of times (only rows still missing it are touched, the
 * value is deterministic). Nothing decrypted is logged or kept.
 */
export function backfillPhoneTails(ctx: AppContext, batch = 500): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await queryRows<{ id: string; phone_enc: string }>(
      tx,
      sql`SELECT id, phone_enc FROM elders WHERE phone_enc IS NOT NULL AND phone_tail4_hash IS NULL
          ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    );
    for (const r of rows) {
      const phone = normalisePhone(ctx.cipher.decrypt(r.phone_enc));
      // A phone too short for a tail still gets a value, so the row is not picked up again.
      const hash = phone.length >= 4 ? ctx.cipher.blindIndex(phone.slice(-4), 'phone') : '-';
      await tx.execute(sql`UPDATE elders SET phone_tail4_hash = ${hash} WHERE id = ${r.id}`);
    }
    return rows.length;
  });
}
