import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkPassword } from '@zhiyang/shared';
import { ConfigError } from '../../config.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { generatePassword, hashPassword } from '../auth/passwords.ts';
import { insertUser, usernameTaken } from './users.repo.ts';

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD_FILE = 'initial-admin-password.txt';

/**
 * The first account, `admin`: district admin of the whole tree. No default password: it gets
 * ZHIYANG_ADMIN_PASSWORD, or a generated one written to DATA_DIR/initial-admin-password.txt
 * (mode 0600) that must be changed at first login. Returns the generated password, once.
 */
export async function ensureFirstAdmin(
  ctx: AppContext,
): Promise<{ created: boolean; generatedPassword?: string; file?: string }> {
  if (await usernameTaken(ctx.db, ADMIN_USERNAME)) return { created: false };
  const fromEnv = ctx.config.adminPassword;
  if (fromEnv && checkPassword(fromEnv, ADMIN_USERNAME).length) {
    throw new ConfigError(
      'Invalid ZHIYANG_ADMIN_PASSWORD: use ≥ 8 characters with three of upper case, lower case, digits, symbols, not containing "admin"',
    );
  }
  const password = fromEnv ?? generatePassword();
  const row = await insertUser(ctx.db, {
    username: ADMIN_USERNAME,
    displayName: '系统管理员',
    role: 'district_admin',
    regionCode: null,
    passwordHash: await hashPassword(password),
    mustChangePassword: !fromEnv,
  });
  await recordAudit(ctx.db, {
    actor: SYSTEM_ACTOR,
    action: 'user.create',
    targetType: 'user',
    targetId: row.id,
    detail: { username: ADMIN_USERNAME, bootstrap: true },
  });
  if (fromEnv) return { created: true };
  mkdirSync(ctx.config.dataDir, { recursive: true });
  const file = path.join(ctx.config.dataDir, ADMIN_PASSWORD_FILE);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { created: true, generatedPassword: password, file };
}
