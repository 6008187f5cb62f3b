import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { sessions, users } from '../users/users.schema.ts';

export type UserRow = typeof users.$inferSelect;

export async function findUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return rows[0];
}

/**
 * The volunteer account whose phone (users.phone_hash, 0991) is this blind index: volunteers log
 * in with their mobile number. Only when exactly one account has it, so a number can never open
 * a choice of accounts.
 */
export async function findVolunteerByPhoneHash(db: DbOrTx, phoneHash: string): Promise<UserRow | undefined> {
  const rows = await db
    .select()
    .from(users)
    .where(and(eq(users.phoneHash, phoneHash), eq(users.role, 'volunteer')))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0];
}

/**
 * The lock on (username, address), if one is running: five failures from one address lock only
 * that address out of that username, so nobody elsewhere can lock the real user out.
 */
export async function activeLock(db: DbOrTx, username: string, address: string): Promise<Date | null> {
  const [row] = await queryRows<{ locked_until: Date | string }>(
    db,
    sql`SELECT locked_until FROM login_failures
        WHERE username = ${username} AND address = ${address} AND locked_until > now()`,
  );
  return row ? new Date(row.locked_until) : null;
}

/**
 * Count a failed login from `address` for `username` (known or not: unknown names are counted
 * the same way, so the work and the answer do not tell whether the account exists). The count
 * starts again when the last failure is older than the lock time or a lock has run out; while a
 * lock runs, failures neither extend it nor start a new one. Returns the lock end, if any.
 */
export async function recordLoginFailure(
  db: DbOrTx,
  username: string,
  address: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const lock = sql`now() + make_interval(mins => ${lockMinutes})`;
  const [row] = await queryRows<{ failures: number; locked_until: Date | string | null }>(
    db,
    sql`INSERT INTO login_failures AS f (username, address, failures, locked_until, last_failure_at)
        VALUES (${username}, ${address}, 1, CASE WHEN 1 >= ${maxFailures} THEN ${lock} END, now())
        ON CONFLICT (username, address) DO UPDATE SET
          failures = CASE
            WHEN f.locked_until > now() THEN f.failures + 1
            WHEN f.locked_until IS NOT NULL OR f.last_failure_at < now() - make_interval(mins => ${lockMinutes}) THEN 1
            ELSE f.failures + 1 END,
          locked_until = CASE
            WHEN f.locked_until > now() THEN f.locked_until
            WHEN f.locked_until IS NULL AND f.last_failure_at >= now() - make_interval(mins => ${lockMinutes})
              AND f.failures + 1 >= ${maxFailures} THEN ${lock}
            ELSE NULL END,
          last_failure_at = now()
        RETURNING failures, locked_until`,
  );
  return { failures: row.failures, lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
}

/** Account-wide summary for the console: failures so far and the latest lock from any address. */
export async function noteFailedLogin(db: DbOrTx, id: string, lockedUntil: Date | null) {
  await db
    .update(users)
    .set({
      failedLogins: sql`${users.failedLogins} + 1`,
      lockedUntil: lockedUntil ? sql`GREATEST(${users.lockedUntil}, ${lockedUntil.toISOString()}::timestamptz)` : undefined,
    })
    .where(eq(users.id, id));
}

/** A successful login clears its own address's count; locks of other addresses stay. */
export async function recordSuccessfulLogin(db: DbOrTx, id: string, username: string, address: string) {
  await db.execute(sql`DELETE FROM login_failures WHERE username = ${username} AND address = ${address}`);
  await db
    .update(users)
    .set({
      failedLogins: 0,
      lockedUntil: sql`(SELECT max(locked_until) FROM login_failures
        WHERE login_failures.username = ${username} AND locked_until > now())`,
      lastLoginAt: sql`now()`,
    })
    .where(eq(users.id, id));
}

/** Unlock an account from every address (administrator's unlock, password reset). */
export async function clearLoginFailures(db: DbOrTx, id: string) {
  await db.execute(sql`DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = ${id})`);
  await db.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, id));
}

/** Forget failures nobody has repeated for a day (unknown usernames tried once, old locks). */
export async function pruneLoginFailures(db: DbOrTx) {
  await db.execute(sql`DELETE FROM login_failures WHERE last_failure_at < now() - interval '1 day'
    AND (locked_until IS NULL OR locked_until < now())`);
}

export async function setPassword(db: DbOrTx, id: string, passwordHash: string, mustChange: boolean) {
  await db
    .update(users)
    .set({
      passwordHash,
      mustChangePassword: mustChange,
      passwordChangedAt: sql`now()`,
      failedLogins: 0,
      lockedUntil: null,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, id));
  // A new password ends every lock on the account, from every address.
  await db.execute(sql`DELETE FROM login_failures WHERE username = (SELECT username FROM users WHERE id = ${id})`);
}

export async function insertSession(db: DbOrTx, s: { id: string; userId: string; ip?: string; userAgent?: string }) {
  await db.insert(sessions).values({ id: s.id, userId: s.userId, ip: s.ip, userAgent: s.userAgent?.slice(0, 300) });
}

/**
 * The live session and its user, or nothing when the session is unknown, revoked, idle for
 * longer than `idleMinutes` or older than `maxHours` (whatever its activity). Touching
 * `last_seen_at` at most once a minute keeps reads cheap; `touch: false` checks without
 * counting as activity (the WebSocket hub's re-check must not keep an idle session alive).
 */
export async function touchSession(db: DbOrTx, id: string, limits: { idleMinutes: number; maxHours: number }, touch = true) {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, id),
        isNull(sessions.revokedAt),
        sql`${sessions.lastSeenAt} > now() - make_interval(mins => ${limits.idleMinutes})`,
        sql`${sessions.createdAt} > now() - make_interval(hours => ${limits.maxHours})`,
      ),
    )
    .limit(1);
  const row = rows[0];
  if (!row) return undefined;
  if (touch && Date.now() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));
  }
  return row;
}

/** Record activity on many live sessions in one statement (the session cache's batched bookkeeping). */
export async function touchSessions(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(inArray(sessions.id, ids), isNull(sessions.revokedAt)));
}

export async function revokeSession(db: DbOrTx, id: string) {
  await db.update(sessions).set({ revokedAt: sql`now()` }).where(eq(sessions.id, id));
}

export async function revokeUserSessions(db: DbOrTx, userId: string, exceptId?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptId ? sql`${sessions.id} <> ${exceptId}` : undefined),
    );
}
