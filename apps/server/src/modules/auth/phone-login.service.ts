import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { maskPhone, normalisePhone } from '../../lib/http.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findUserById, insertSession, setPassword } from './auth.repo.ts';
import { presentMe } from './auth.service.ts';
import * as repo from './phone-login.repo.ts';
import { sendSms, smsAvailable, smsNotConfigured } from './sms.service.ts';

/** A code lives 5 minutes, is used once and is void after 5 wrong tries. */
export const CODE_TTL_MINUTES = 5;
export const MAX_CODE_TRIES = 5;
/** Per number: one code a minute, five an hour. Per client address: thirty an hour (a community centre helps several elders). */
export const PHONE_CODE_LIMITS = { resendSeconds: 60, perHour: 5, addressPerHour: 30 };

/** Thrown for a rate limit; the route turns `retryAfter` into the Retry-After header. */
export class PhoneCodeRateLimited extends AppError {
  constructor(readonly retryAfter: number) {
    super(
      429,
      'Too Many Requests',
      `Too many codes asked for; try again in ${retryAfter} s.`,
      undefined,
      'phone-code-rate-limited',
    );
  }
}

const wrongCode = () => new AppError(401, 'Unauthorized', 'The code is wrong.', undefined, 'phone-code-wrong');
const expiredCode = () =>
  new AppError(
    401,
    'Unauthorized',
    'The code has expired, was already used or was entered wrong too often; ask for a new one.',
    undefined,
    'phone-code-expired',
  );

/** Not an argon2 hash: no password verifies against it (the account logs in by code until staff reset it). */
const NO_PASSWORD = '!sms-code-only';

const phoneHashOf = (ctx: AppContext, phone: string) => ctx.cipher.blindIndex(phone, 'phone');
/** Keyed (the blind-index key) and bound to the number: a stolen table gives no code, not even by trying all 10⁶. */
const codeHashOf = (ctx: AppContext, phoneHash: string, code: string) =>
  ctx.cipher.blindIndex(`${phoneHash}:${code}`, 'phone-login-code');

const codeText = (code: string) =>
  `【智养】您的登录验证码为 ${code}，${CODE_TTL_MINUTES}分钟内有效。如非本人操作，请忽略本短信。`;

/**
 * Ask for a login code. Whatever the number, the answer is the same 202 after the same work: a
 * code row is written (for a number with no account the code is random and never sent), so the
 * limits, the expiry and the wrong-try count behave alike. Only an elder or family account whose
 * number is on record (see phoneLoginCandidates) gets a text; a number matching several accounts
 * gets none (it cannot tell which one is meant). The text goes out after the answer is decided,
 * not awaited, so the time taken does not tell either.
 */
export async function requestPhoneCode(ctx: AppContext, input: { phone: string; ip?: string }) {
  if (!smsAvailable(ctx)) throw smsNotConfigured();
  const phoneHash = phoneHashOf(ctx, input.phone);
  const address = (input.ip ?? '').slice(0, 100);
  const masked = maskPhone(input.phone);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const result = await ctx.db.transaction(async (tx) => {
    await repo.lockPhoneLogin(tx, phoneHash, address);
    const wait = await repo.phoneCodeWait(tx, phoneHash, address, PHONE_CODE_LIMITS);
    if (wait.seconds > 0) return { limited: wait };
    const accounts = (await repo.phoneLoginCandidates(tx, phoneHash)).filter(
      (a) =>
        a.role === 'elder' ||
        a.phone_hash === phoneHash ||
        (a.plain_phone !== null && normalisePhone(a.plain_phone) === input.phone),
    );
    const account = accounts.length === 1 ? accounts[0] : null;
    await repo.insertPhoneCode(tx, {
      phoneHash,
      userId: account?.id ?? null,
      codeHash: codeHashOf(ctx, phoneHash, code),
      address,
      ttlMinutes: CODE_TTL_MINUTES,
    });
    const reason = account ? undefined : accounts.length ? 'several accounts' : 'no account';
    await recordAudit(tx, {
      actor: null,
      action: 'auth.sms-code',
      targetType: 'user',
      targetId: account?.id,
      outcome: account ? 'ok' : 'failed',
      detail: { phone: masked, ...(reason ? { reason } : {}) },
      ip: input.ip,
    });
    return { account };
  });
  if ('limited' in result && result.limited) {
    await recordAudit(ctx.db, {
      actor: null,
      action: 'auth.sms-code',
      targetType: 'user',
      outcome: 'denied',
      detail: { phone: masked, reason: `rate limit (${result.limited.reason})` },
      ip: input.ip,
    });
    throw new PhoneCodeRateLimited(result.limited.seconds);
  }
  if (result.account) {
    const userId = result.account.id;
    void sendSms(ctx, {
      purpose: 'login-code',
      to: input.phone,
      toHash: phoneHash,
      userId,
      body: codeText(code),
      maskedBody: codeText('******'),
      template: 'login-code',
      params: { code },
    }).catch((err) => ctx.log.error({ err: { message: (err as Error).message } }, 'login code not recorded'));
  }
  return { expiresInSeconds: CODE_TTL_MINUTES * 60, resendAfterSeconds: PHONE_CODE_LIMITS.resendSeconds };
}

/**
 * Log in with a number and its code: the same session (token, cookie) as a password login. Only
 * the number's latest code counts; it must be unused, younger than 5 minutes and tried wrong fewer
 * than 5 times. A wrong code counts a try (the fifth voids it); every failure is audited with the
 * masked number and never the code. An account that still had its first, temporary password loses
 * it (no password verifies any more), so the elder is not sent to change a password they will never
 * use and the temporary one, known to staff, stops working; staff can reset it to a new one.
 */
export async function loginWithPhoneCode(
  ctx: AppContext,
  input: { phone: string; code: string; ip?: string; userAgent?: string },
) {
  const phoneHash = phoneHashOf(ctx, input.phone);
  const masked = maskPhone(input.phone);
  const given = Buffer.from(codeHashOf(ctx, phoneHash, input.code));
  const result = await ctx.db.transaction(async (tx) => {
    await repo.lockPhoneLogin(tx, phoneHash);
    const row = await repo.latestPhoneCode(tx, phoneHash);
    if (!row || row.used || row.expired || row.attempts >= MAX_CODE_TRIES) {
      const reason = !row ? 'no code' : row.used ? 'used' : row.expired ? 'expired' : 'too many tries';
      return { fail: 'expired' as const, reason, userId: row?.user_id ?? null, attempts: row?.attempts ?? 0 };
    }
    const matches = timingSafeEqual(Buffer.from(row.code_hash), given) && row.user_id !== null;
    if (!matches) {
      const attempts = await repo.countWrongCode(tx, row.id);
      const fail = attempts >= MAX_CODE_TRIES ? ('expired' as const) : ('wrong' as const);
      return { fail, reason: 'wrong code', userId: row.user_id, attempts };
    }
    await repo.markPhoneCodeUsed(tx, row.id);
    const user = await findUserById(tx, row.user_id as string);
    if (user?.status !== 'active' || (user.role !== 'elder' && user.role !== 'family')) {
      return { fail: 'expired' as const, reason: 'account no longer allowed', userId: row.user_id, attempts: row.attempts };
    }
    const token = `zy_${randomToken()}`;
    let voidedTemporaryPassword = false;
    if (user.mustChangePassword) {
      await setPassword(tx, user.id, NO_PASSWORD, false);
      voidedTemporaryPassword = true;
    }
    await repo.notePhoneLogin(tx, user.id);
    await insertSession(tx, { id: sha256Hex(token), userId: user.id, ip: input.ip, userAgent: input.userAgent });
    const actor: Actor = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      regionCode: user.regionCode,
      orgId: user.orgId,
      ip: input.ip,
    };
    await recordAudit(tx, {
      actor,
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      detail: { method: 'sms-code', phone: masked, ...(voidedTemporaryPassword ? { temporaryPasswordVoided: true } : {}) },
    });
    return { token, user: { ...user, mustChangePassword: false } };
  });
  if ('fail' in result) {
    await recordAudit(ctx.db, {
      actor: null,
      action: 'auth.login',
      targetType: 'user',
      targetId: result.userId ?? undefined,
      outcome: 'failed',
      detail: { method: 'sms-code', phone: masked, reason: result.reason, tries: result.attempts },
      ip: input.ip,
    });
    throw result.fail === 'wrong' ? wrongCode() : expiredCode();
  }
  return { token: result.token, user: presentMe(result.user) };
}
