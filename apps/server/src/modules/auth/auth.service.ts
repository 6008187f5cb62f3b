import { checkPassword, PASSWORD_PROBLEM_TEXT, ROLE_PERMISSIONS, type Role } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { AppError, badRequest, unauthorized } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
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

/** Log in: argon2id check, lockout after 5 failures for 15 minutes, a new session token. */
export async function login(ctx: AppContext, input: LoginInput) {
  const username = input.username.trim().toLowerCase();
  const user = await repo.findUserByUsername(ctx.db, username);
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    await recordAudit(ctx.db, {
      actor: null,
      action: 'auth.login',
      targetType: 'user',
      targetId: username,
      outcome: 'failed',
      detail: { reason: 'unknown user' },
      ip: input.ip,
    });
    throw unauthorized('Wrong username or password.');
  }
  const actorLike: Actor = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    regionCode: user.regionCode,
    orgId: user.orgId,
    ip: input.ip,
  };
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    await recordAudit(ctx.db, {
      actor: actorLike,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      outcome: 'denied',
      detail: { reason: 'locked' },
    });
    throw lockedError(user.lockedUntil);
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok) {
    const state = await repo.recordFailedLogin(ctx.db, user.id, MAX_FAILED_LOGINS, LOCK_MINUTES);
    await recordAudit(ctx.db, {
      actor: actorLike,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      outcome: 'failed',
      detail: { reason: 'bad password', failures: state?.failedLogins },
    });
    if (state?.lockedUntil && state.lockedUntil.getTime() > Date.now()) throw lockedError(state.lockedUntil);
    throw unauthorized('Wrong username or password.');
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
    await repo.recordSuccessfulLogin(tx, user.id);
    await repo.insertSession(tx, { id: sha256Hex(token), userId: user.id, ip: input.ip, userAgent: input.userAgent });
    await recordAudit(tx, { actor: actorLike, action: 'auth.login', targetType: 'user', targetId: user.id });
  });
  return { token, user: presentMe(user) };
}

function lockedError(until: Date) {
  return new AppError(
    423,
    'Locked',
    `Too many failed logins; the account is locked until ${until.toISOString()}.`,
    undefined,
    'account-locked',
  );
}

export async function logout(ctx: AppContext, actor: Actor, sessionId: string) {
  await ctx.db.transaction(async (tx) => {
    await repo.revokeSession(tx, sessionId);
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
