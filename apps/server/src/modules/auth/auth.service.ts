import { checkPassword, PASSWORD_PROBLEM_TEXT, ROLE_PERMISSIONS, type Role } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { badRequest, unauthorized } from '../../lib/errors.ts';
import { isMobile, normalisePhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { publishUserAccessChanged } from './access-events.ts';
import * as repo from './auth.repo.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export interface LoginInput {
  username: string;
  password: string;
  ip?: string;
  userAgent?: string;
}

/**
 * Log in: argon2id check, a new session token. Failures are counted per (username, client
 * address): five from one address within 15 minutes lock that address out of that username for
 * 15 minutes, so an attacker elsewhere cannot lock the real user out. A locked address, an
 * unknown username and a wrong password get the same 401 after the same work (one argon2id
 * verification, one failure count, one audit row), so the answer does not tell which it was.
 *
 * A volunteer logs in with their mobile number: a login name that is one, and is no account's
 * username, finds the volunteer account with that phone. Failures are then counted under the
 * account's username, and for a number that finds no account under its blind index, so no
 * phone number is written in plain text to the failure counts or the audit log.
 */
export async function login(ctx: AppContext, input: LoginInput) {
  const typed = input.username.trim().toLowerCase();
  const address = (input.ip ?? '').slice(0, 100);
  const phone = normalisePhone(typed);
  const phoneHash = isMobile(phone) ? ctx.cipher.blindIndex(phone, 'phone') : null;
  const user =
    (await repo.findUserByUsername(ctx.db, typed)) ??
    (phoneHash ? await repo.findVolunteerByPhoneHash(ctx.db, phoneHash) : undefined);
  // (login_failures.username holds at most 64 characters; 40 hex digits of the index are plenty.)
  const username = user?.username ?? (phoneHash ? `phone:${phoneHash.slice(0, 40)}` : typed);
  const lockedUntil = await repo.activeLock(ctx.db, username, address);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  const actorLike: Actor | null = user
    ? {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        regionCode: user.regionCode,
        orgId: user.orgId,
        ip: input.ip,
      }
    : null;
  if (!user || !ok || lockedUntil) {
    const state = await repo.recordLoginFailure(ctx.db, username, address, MAX_FAILED_LOGINS, LOCK_MINUTES);
    // Also for an unknown name (it updates no row), so both cases do the same work.
    await repo.noteFailedLogin(ctx.db, user?.id ?? NO_USER, state.lockedUntil);
    const reason = lockedUntil ? 'locked' : user ? 'bad password' : 'unknown user';
    await recordAudit(ctx.db, {
      actor: actorLike,
      action: 'auth.login',
      targetType: 'user',
      targetId: user?.id ?? username,
      outcome: lockedUntil ? 'denied' : 'failed',
      detail: { reason, failures: state.failures, locked: state.lockedUntil !== null },
      ip: input.ip,
    });
    throw unauthorized(WRONG_LOGIN);
  }
  if (user.status !== 'active') {
    await recordAudit(ctx.db, {
      actor: actorLike,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      outcome: 'denied',
      detail: { reason: 'disabled' },
    });
    throw unauthorized('This account is disabled.');
  }
  const token = `zy_${randomToken()}`;
  await ctx.db.transaction(async (tx) => {
    await repo.recordSuccessfulLogin(tx, user.id, username, address);
    await repo.insertSession(tx, { id: sha256Hex(token), userId: user.id, ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, { actor: actorLike, action: 'auth.login', targetType: 'user', targetId: user.id });
  });
  return { token, user: presentMe(user) };
}

const NO_USER = '00000000-0000-0000-0000-000000000000';

/** One answer for a wrong password, an unknown username and a locked address. */
const WRONG_LOGIN = 'Wrong username or password.';

export async function logout(ctx: AppContext, actor: Actor, sessionId: string) {
  await ctx.db.transaction(async (tx) => {
    await repo.revokeSession(tx, sessionId);
    // This session's open WebSockets close now, in every process.
    if (actor.id) await publishUserAccessChanged(ctx, tx, actor.id);
    await recordAudit(tx, { actor, action: 'auth.logout', targetType: 'user', targetId: actor.id ?? undefined });
  });
}

export async function me(ctx: AppContext, actor: Actor) {
  const user = await repo.findUserById(ctx.db, actor.id ?? '');
  if (!user) throw unauthorized();
  return presentMe(user);
}

/** Throws a 400 naming `path` when the password breaks a rule. */
export function assertPasswordRules(password: string, username: string, path = 'body.newPassword') {
  const problems = checkPassword(password, username);
  if (problems.length) {
    const errors = problems.map((p) => ({ path, message: PASSWORD_PROBLEM_TEXT[p].en }));
    throw badRequest(`The password does not meet the rules: ${errors.map((e) => e.message).join('; ')}.`, errors);
  }
}

export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
) {
  const user = await repo.findUserById(ctx.db, actor.id ?? '');
  if (!user) throw unauthorized();
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    await recordAudit(ctx.db, {
      actor,
      action: 'auth.change-password',
      targetType: 'user',
      targetId: user.id,
      outcome: 'failed',
    });
    throw badRequest('The current password is wrong.', [{ path: 'body.currentPassword', message: 'wrong password' }]);
  }
  assertPasswordRules(newPassword, user.username);
  if (await verifyPassword(user.passwordHash, newPassword)) {
    throw badRequest('The new password must differ from the current one.', [
      { path: 'body.newPassword', message: 'same as current' },
    ]);
  }
  const hashed = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    await repo.setPassword(tx, user.id, hashed, false);
    // Other sessions of this user end: whoever knew the old password is logged out.
    await repo.revokeUserSessions(tx, user.id, sessionId);
    await publishUserAccessChanged(ctx, tx, user.id);
    await recordAudit(tx, { actor, action: 'auth.change-password', targetType: 'user', targetId: user.id });
  });
}

export function presentMe(user: repo.UserRow) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    regionCode: user.regionCode,
    orgId: user.orgId,
    mustChangePassword: user.mustChangePassword,
    permissions: [...ROLE_PERMISSIONS[user.role as Role]],
  };
}
