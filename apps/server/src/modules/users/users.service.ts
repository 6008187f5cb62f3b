import { ORG_SCOPED_ROLES, REGION_SCOPED_ROLES, type Role } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, forbidden, isUniqueViolation, notFound, validationError } from '../../lib/errors.ts';
import { isoDate } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { publishUserAccessChanged } from '../auth/access-events.ts';
import { clearLoginFailures, revokeUserSessions, setPassword } from '../auth/auth.repo.ts';
import { assertPasswordRules } from '../auth/auth.service.ts';
import { generatePassword, hashPassword } from '../auth/passwords.ts';
import { findVisibleOrg } from '../organizations/organizations.repo.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { accountPhone, maskedAccountPhone } from './users.phone.ts';
import * as repo from './users.repo.ts';

export interface UserInput {
  username: string;
  displayName: string;
  role: Role;
  regionCode?: string | null;
  orgId?: string | null;
  phone?: string | null;
  password?: string;
}

export function presentUser(u: repo.UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    regionCode: u.regionCode,
    orgId: u.orgId,
    phone: maskedAccountPhone(u),
    status: u.status,
    mustChangePassword: u.mustChangePassword,
    lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? isoDate(u.lockedUntil) : null,
    lastLoginAt: isoDate(u.lastLoginAt),
    createdAt: isoDate(u.createdAt) as string,
  };
}

export async function listUsers(ctx: AppContext, actor: Actor, f: repo.UserFilter, limit: number, page: number) {
  const { items, total } = await repo.listUsers(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: items.map(presentUser), total };
}

export async function getUser(ctx: AppContext, actor: Actor, id: string) {
  const u = await repo.findVisibleUser(ctx.db, actor, id);
  if (!u) throw notFound('User');
  return presentUser(u);
}

/**
 * A region-scoped role needs a region inside the actor's scope; an organisation role needs an
 * organisation the actor can see. Only an administrator of the whole tree may create another one.
 */
async function checkPlacement(ctx: AppContext, actor: Actor, role: Role, regionCode: string | null, orgId: string | null) {
  if (REGION_SCOPED_ROLES.includes(role)) {
    if (regionCode === null) {
      if (!(role === 'district_admin' && actor.regionCode === null))
        throw validationError('body.regionCode', `required for role ${role}`);
    } else if (!actorCoversRegion(actor, regionCode) || !(await findRegion(ctx.db, regionCode))) {
      throw validationError('body.regionCode', 'unknown region or outside your scope');
    }
    if (orgId !== null) throw validationError('body.orgId', `not used for role ${role}`);
  } else if (ORG_SCOPED_ROLES.includes(role)) {
    if (orgId === null) throw validationError('body.orgId', `required for role ${role}`);
    if (!(await findVisibleOrg(ctx.db, actor, orgId)))
      throw validationError('body.orgId', 'unknown organisation or outside your scope');
  }
}

export async function createUser(ctx: AppContext, actor: Actor, input: UserInput) {
  const username = input.username.toLowerCase();
  const regionCode = input.regionCode ?? null;
  const orgId = input.orgId ?? null;
  await checkPlacement(ctx, actor, input.role, regionCode, orgId);
  if (input.password !== undefined) assertPasswordRules(input.password, username, 'body.password');
  if (await repo.usernameTaken(ctx.db, username))
    throw conflict(`The username ${username} is taken.`, [{ path: 'body.username', message: 'already taken' }], 'duplicate');
  const initialPassword = input.password ?? generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await repo.insertUser(tx, {
        username,
        displayName: input.displayName,
        role: input.role,
        regionCode,
        orgId,
        ...accountPhone(ctx.cipher, input.phone ?? null),
        passwordHash,
        mustChangePassword: true,
      });
      await recordAudit(tx, {
        actor,
        action: 'user.create',
        targetType: 'user',
        targetId: row.id,
        regionCode,
        detail: { username, role: row.role, orgId },
      });
      return { user: presentUser(row), initialPassword: input.password === undefined ? initialPassword : undefined };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw conflict(`The username ${username} is taken.`, [{ path: 'body.username', message: 'already taken' }], 'duplicate');
    throw err;
  }
}

export type UserPatch = Partial<Pick<UserInput, 'displayName' | 'role' | 'regionCode' | 'orgId' | 'phone'>> & {
  status?: 'active' | 'disabled';
};

/** The fields that decide what a user may see, or whether they may log in at all. */
const ACCESS_FIELDS = ['role', 'regionCode', 'orgId', 'status'] as const;

export async function updateUser(ctx: AppContext, actor: Actor, id: string, patch: UserPatch) {
  const before = await repo.findVisibleUser(ctx.db, actor, id);
  if (!before) throw notFound('User');
  if (id === actor.id && (patch.status === 'disabled' || (patch.role && patch.role !== before.role))) {
    throw forbidden('You cannot disable yourself or change your own role.');
  }
  const role = patch.role ?? before.role;
  const regionCode = patch.regionCode !== undefined ? patch.regionCode : before.regionCode;
  const orgId = patch.orgId !== undefined ? patch.orgId : before.orgId;
  if (patch.role || patch.regionCode !== undefined || patch.orgId !== undefined)
    await checkPlacement(ctx, actor, role, regionCode, orgId);
  return ctx.db.transaction(async (tx) => {
    const { phone, ...rest } = patch;
    const row = await repo.updateUser(tx, id, {
      ...rest,
      ...(phone !== undefined ? accountPhone(ctx.cipher, phone) : {}),
    });
    if (patch.status === 'disabled') await revokeUserSessions(tx, id);
    // Open WebSockets re-read who the user is now (or close, for a disabled account).
    if (ACCESS_FIELDS.some((k) => patch[k] !== undefined)) await publishUserAccessChanged(ctx, tx, id);
    const changed = Object.keys(patch);
    await recordAudit(tx, {
      actor,
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      regionCode: row.regionCode,
      detail: { changed, status: patch.status, role: patch.role },
    });
    return presentUser(row);
  });
}

/** A new temporary password, shown once; the user must change it at next login. */
export async function resetPassword(ctx: AppContext, actor: Actor, id: string) {
  const user = await repo.findVisibleUser(ctx.db, actor, id);
  if (!user) throw notFound('User');
  const temporaryPassword = generatePassword();
  const hashed = await hashPassword(temporaryPassword);
  await ctx.db.transaction(async (tx) => {
    await setPassword(tx, id, hashed, true);
    await revokeUserSessions(tx, id);
    await publishUserAccessChanged(ctx, tx, id);
    await recordAudit(tx, {
      actor,
      action: 'user.reset-password',
      targetType: 'user',
      targetId: id,
      regionCode: user.regionCode,
    });
  });
  return { temporaryPassword };
}

/**
 * End every login lock on the account, from every address (the user locked themselves out and
 * called the administrator). Unlocking an account that is not locked is harmless and audited.
 */
export async function unlockUser(ctx: AppContext, actor: Actor, id: string) {
  const user = await repo.findVisibleUser(ctx.db, actor, id);
  if (!user) throw notFound('User');
  return ctx.db.transaction(async (tx) => {
    await clearLoginFailures(tx, id);
    await recordAudit(tx, {
      actor,
      action: 'user.unlock',
      targetType: 'user',
      targetId: id,
      regionCode: user.regionCode,
      detail: { wasLocked: user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now() },
    });
    return presentUser({ ...user, failedLogins: 0, lockedUntil: null });
  });
}
