import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { publishUserAccessChanged } from '../auth/access-events.ts';
import { generatePassword, hashPassword } from '../auth/passwords.ts';
import { accountPhone } from '../users/users.phone.ts';
import { insertUser, updateUser, usernameTaken } from '../users/users.repo.ts';
import * as repo from './providers.repo.ts';
import { assertProviderWritable, presentStaff } from './providers.service.ts';

export interface StaffInput {
  username: string;
  name: string;
  phone?: string | null;
  careLevel?: repo.StaffRow['careLevel'];
  careCertNo?: string | null;
  careCertValidUntil?: string | null;
  healthCertValidUntil?: string | null;
}

export async function listStaff(ctx: AppContext, actor: Actor, providerId: string) {
  await assertProviderVisible(ctx, actor, providerId);
  const rows = await repo.listStaff(ctx.db, providerId);
  return { items: rows.map((r) => presentStaff({ ...r.staff, username: r.username })), total: rows.length };
}

async function assertProviderVisible(ctx: AppContext, actor: Actor, id: string) {
  if (!(await repo.findVisibleProvider(ctx.db, actor, id))) throw notFound('Provider');
}

/**
 * A provider adds a service worker: the worker's login account (role service_worker, in the
 * provider) and the staff record with certificates. The first password is shown once and must
 * be changed at first login.
 */
export async function addStaff(ctx: AppContext, actor: Actor, providerId: string, input: StaffInput) {
  const row = await assertProviderWritable(ctx, actor, providerId);
  if (await usernameTaken(ctx.db, input.username)) throw conflict('This username is taken.', undefined, 'duplicate');
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      username: input.username,
      displayName: input.name,
      role: 'service_worker',
      orgId: providerId,
      ...accountPhone(ctx.cipher, input.phone ?? null),
      passwordHash,
      mustChangePassword: true,
    });
    const staff = await repo.insertStaff(tx, {
      userId: user.id,
      orgId: providerId,
      name: input.name,
      careLevel: input.careLevel ?? null,
      careCertNo: input.careCertNo ?? null,
      careCertValidUntil: input.careCertValidUntil ?? null,
      healthCertValidUntil: input.healthCertValidUntil ?? null,
    });
    await recordAudit(tx, {
      actor,
      action: 'provider.staff-add',
      targetType: 'user',
      targetId: user.id,
      regionCode: row.org.regionCode,
      detail: { username: user.username },
    });
    return { ...presentStaff({ ...staff, username: user.username }), initialPassword: password };
  });
}

export type StaffPatch = Partial<Omit<StaffInput, 'username' | 'phone'>> & { active?: boolean };

export async function updateStaff(ctx: AppContext, actor: Actor, providerId: string, userId: string, patch: StaffPatch) {
  const row = await assertProviderWritable(ctx, actor, providerId);
  const before = await repo.findStaff(ctx.db, userId);
  if (!before || before.orgId !== providerId) throw notFound('Staff member');
  return ctx.db.transaction(async (tx) => {
    const staff = await repo.updateStaff(tx, userId, patch);
    if (patch.active !== undefined) {
      await updateUser(tx, userId, { status: patch.active ? 'active' : 'disabled' });
      // A worker taken off the roster loses their open WebSockets at once.
      await publishUserAccessChanged(ctx, tx, userId);
    }
    await recordAudit(tx, {
      actor,
      action: 'provider.staff-update',
      targetType: 'user',
      targetId: userId,
      regionCode: row.org.regionCode,
      detail: { changed: Object.keys(patch) },
    });
    return presentStaff(staff);
  });
}
