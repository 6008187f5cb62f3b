import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import { sealElderPrivate } from './elders.private.ts';
import { lockUnsealedElders, setElderPrivate } from './elders.repo.ts';

/**
 * Seal the address, health notes and notes of elders written before 0995 (`private_enc`, with
 * `address_masked` for lists) and clear their plain-text columns: the key lives with the
 * application, so the migration cannot. New and edited elders are sealed by `encodeElder`.
 * Batches of `batch`, each in its own transaction; safe to run any number of times and from
 * several processes at once (rows are locked and skipped, a sealed row is never picked again).
 * Nothing decrypted is logged.
 */
export function backfillElderPrivate(ctx: AppContext, batch = 500): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await lockUnsealedElders(tx, limit);
    for (const r of rows)
      await setElderPrivate(
        tx,
        r.id,
        sealElderPrivate(ctx.cipher, {
          address: r.address,
          chronicConditions: r.chronic_conditions ?? [],
          allergies: r.allergies ?? [],
          dietRestrictions: r.diet_restrictions ?? [],
          notes: r.notes,
        }),
      );
    return rows.length;
  });
}
