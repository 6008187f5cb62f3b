import { randomBytes } from 'node:crypto';
import { inBatches } from '../../lib/batches.ts';
import type { AppContext } from '../../lib/context.ts';
import type { FieldCipher } from '../../lib/crypto.ts';
import { maskPhone, normalisePhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './users.repo.ts';

/**
 * An account's phone number as it is stored (0991): encrypted, its blind index (the family phone
 * login finds the account by it, with the same key and normalisation as the elders' and contacts'
 * phones) and the masked form the lists show. The plain-text column is cleared.
 */
export function accountPhone(cipher: FieldCipher, phone: string | null) {
  if (!phone) return { phone: null, phoneEnc: null, phoneHash: null, phoneMasked: null };
  const p = normalisePhone(phone);
  return { phone: null, phoneEnc: cipher.encrypt(p), phoneHash: cipher.blindIndex(p, 'phone'), phoneMasked: maskPhone(p) };
}

/** The masked phone of an account row, also for a row not yet encrypted by the backfill. */
export const maskedAccountPhone = (u: { phone: string | null; phoneMasked: string | null }) =>
  u.phoneMasked ?? maskPhone(u.phone === null ? null : normalisePhone(u.phone));

/**
 * Encrypt the phones of accounts written before 0991 and clear their plain text: the key lives
 * with the application, so the migration cannot. Batches of `batch`, each in its own transaction;
 * safe to run any number of times and from several processes at once (rows are locked and
 * skipped). Nothing decrypted is logged.
 */
export function backfillAccountPhones(ctx: AppContext, batch = 500): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockPlainPhones(tx, limit);
    for (const r of rows) await repo.setAccountPhone(tx, r.id, accountPhone(ctx.cipher, r.phone));
    return rows.length;
  });
}

/**
 * A volunteer account's username: not the phone number, which would then stand in plain text in
 * the account lists, the audit log and the login failure counts. The volunteer logs in with the
 * phone (auth.service `login` finds the account by users.phone_hash); the username is the
 * account's handle for administrators.
 */
export const newVolunteerUsername = () => `v${randomBytes(5).toString('hex')}`;

/**
 * Volunteer accounts registered before their phone moved out of the username have the number as
 * their username. Each gets a new handle, and the number becomes the account's encrypted phone
 * (when it has none), so the volunteer goes on logging in with it; running login failure counts
 * move with the account. Audited as `user.rename` by the system, without the old name. Batches
 * in their own transactions, rows locked and skipped: safe to run again and in two processes.
 */
export function renamePhoneUsernames(ctx: AppContext, batch = 500): Promise<number> {
  return inBatches(ctx.db, batch, async (tx, limit) => {
    const rows = await repo.lockPhoneUsernames(tx, limit);
    for (const r of rows) {
      const username = newVolunteerUsername();
      await repo.renameAccount(tx, r.id, r.username, username, r.hasPhone ? null : accountPhone(ctx.cipher, r.username));
      await recordAudit(tx, {
        actor: null,
        action: 'user.rename',
        targetType: 'user',
        targetId: r.id,
        regionCode: r.regionCode,
        detail: { reason: 'phone number as username', username },
      });
    }
    return rows.length;
  });
}
