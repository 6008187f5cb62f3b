import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { users } from '../users/users.schema.ts';

// SQL of the login by phone number with a one-time code (phone-login.service.ts).

/**
 * Serialise code requests and checks of one number (and of one client address), across
 * processes: the rate limits and the wrong-try count are read and written under the lock.
 */
export async function lockPhoneLogin(db: DbOrTx, phoneHash: string, address?: string) {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`phone-login:${phoneHash}`}, 0))`);
  if (address !== undefined)
    await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`phone-login-address:${address}`}, 0))`);
}

/**
 * Seconds to wait before this number (or this address) may ask for another code, 0 if it may now:
 * one code per `resendSeconds` per number, `perHour` per number and `addressPerHour` per address
 * in any hour. The wait runs until the oldest request that fills the hour leaves it.
 */
export async function phoneCodeWait(
  db: DbOrTx,
  phoneHash: string,
  address: string,
  limits: { resendSeconds: number; perHour: number; addressPerHour: number },
): Promise<{ seconds: number; reason: 'resend' | 'phone-hour' | 'address-hour' | null }> {
  const [row] = await queryRows<{ resend: number | null; phone_hour: number | null; address_hour: number | null }>(
    db,
    sql`SELECT
      (SELECT ceil(extract(epoch FROM max(created_at) + make_interval(secs => ${limits.resendSeconds}) - now()))::int
         FROM phone_login_codes WHERE phone_hash = ${phoneHash}) AS resend,
      (SELECT ceil(extract(epoch FROM created_at + interval '1 hour' - now()))::int FROM phone_login_codes
         WHERE phone_hash = ${phoneHash} AND created_at > now() - interval '1 hour'
         ORDER BY created_at DESC OFFSET ${limits.perHour - 1} LIMIT 1) AS phone_hour,
      (SELECT ceil(extract(epoch FROM created_at + interval '1 hour' - now()))::int FROM phone_login_codes
         WHERE address = ${address} AND created_at > now() - interval '1 hour'
         ORDER BY created_at DESC OFFSET ${limits.addressPerHour - 1} LIMIT 1) AS address_hour`,
  );
  const waits = [
    ['resend', row.resend],
    ['phone-hour', row.phone_hour],
    ['address-hour', row.address_hour],
  ] as const;
  let worst: { seconds: number; reason: 'resend' | 'phone-hour' | 'address-hour' | null } = { seconds: 0, reason: null };
  for (const [reason, s] of waits) if (s !== null && s > worst.seconds) worst = { seconds: s, reason };
  return worst;
}

/**
 * The accounts that may log in with this number (its blind index): an active elder account whose
 * elder record has this phone, and an active family account whose own phone is this number and is
 * also one of its elder's emergency contacts. The family rows carry the account's phone index
 * for that last check (and the plain text of an account not yet encrypted by the backfill,
 * users.phone.ts); the index decides which rows are read, nothing is decrypted.
 */
export async function phoneLoginCandidates(db: DbOrTx, phoneHash: string) {
  return queryRows<{ id: string; role: string; phone_hash: string | null; plain_phone: string | null }>(
    db,
    sql`SELECT u.id, u.role, NULL AS phone_hash, NULL AS plain_phone FROM users u JOIN elders e ON e.id = u.elder_id
         WHERE u.role = 'elder' AND u.status = 'active' AND e.phone_hash = ${phoneHash}
        UNION
        SELECT u.id, u.role, u.phone_hash, u.phone FROM users u JOIN elder_contacts c ON c.elder_id = u.elder_id
         WHERE u.role = 'family' AND u.status = 'active' AND c.phone_hash = ${phoneHash}`,
  );
}

export async function insertPhoneCode(
  db: DbOrTx,
  row: { phoneHash: string; userId: string | null; codeHash: string; address: string; ttlMinutes: number },
) {
  await db.execute(sql`INSERT INTO phone_login_codes (phone_hash, user_id, code_hash, address, expires_at)
    VALUES (${row.phoneHash}, ${row.userId}, ${row.codeHash}, ${row.address}, now() + make_interval(mins => ${row.ttlMinutes}))`);
}

/** The number's latest code (a new request replaces the earlier ones), with its state read on the database clock. */
export async function latestPhoneCode(db: DbOrTx, phoneHash: string) {
  const [row] = await queryRows<{
    id: string;
    user_id: string | null;
    code_hash: string;
    attempts: number;
    used: boolean;
    expired: boolean;
  }>(
    db,
    sql`SELECT id, user_id, code_hash, attempts, used_at IS NOT NULL AS used, expires_at <= now() AS expired
          FROM phone_login_codes WHERE phone_hash = ${phoneHash} ORDER BY created_at DESC LIMIT 1`,
  );
  return row;
}

/** Count one wrong try; returns the tries so far. */
export async function countWrongCode(db: DbOrTx, id: string): Promise<number> {
  const [row] = await queryRows<{ attempts: number }>(
    db,
    sql`UPDATE phone_login_codes SET attempts = attempts + 1 WHERE id = ${id} RETURNING attempts`,
  );
  return row.attempts;
}

export async function markPhoneCodeUsed(db: DbOrTx, id: string) {
  await db.execute(sql`UPDATE phone_login_codes SET used_at = now() WHERE id = ${id}`);
}

/** A login by code: the last-login time (password failures and locks are the password's business). */
export async function notePhoneLogin(db: DbOrTx, id: string) {
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, id));
}

/** Codes older than a day count for no limit any more. */
export async function prunePhoneCodes(db: DbOrTx) {
  await db.execute(sql`DELETE FROM phone_login_codes WHERE created_at < now() - interval '1 day'`);
}
