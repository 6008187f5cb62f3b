import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice, NotificationProvider } from '../../lib/notification-providers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { addContact, createElder } from '../../testing/elders.ts';
import { client, createAccount, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { accountPhone } from '../users/users.phone.ts';
import { users } from '../users/users.schema.ts';

// The tests read the code the way a phone would: from the text the SMS provider was handed. The
// provider is the config hook (`smsProvider`), a capture in memory; nothing in the app exposes codes.
const sent: Notice[] = [];
const capture: NotificationProvider = {
  name: 'capture',
  async send(n) {
    sent.push(n);
  },
};

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ config: { smsProvider: capture } });
  await seedTree(s.ctx);
});
afterAll(() => s.close());

let phoneSeq = 0;
const newPhone = () => `137${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSeq).padStart(5, '0')}`;
let ipSeq = 0;
/** Each test asks from its own address, so the per-address limits of one test leave the others alone. */
const newAddress = () => `198.51.100.${++ipSeq}`;
const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`;

const askCode = (phone: string, ip: string) =>
  s.app.inject({ method: 'POST', url: '/api/v1/auth/phone-code', remoteAddress: ip, payload: { phone } });
const logIn = (phone: string, code: string, ip: string) =>
  s.app.inject({ method: 'POST', url: '/api/v1/auth/phone-login', remoteAddress: ip, payload: { phone, code } });

/** The code of the `nth` text sent to `phone` (1-based), once the provider has it. */
async function codeSentTo(phone: string, nth = 1): Promise<string> {
  await expect.poll(() => sent.filter((n) => n.to === phone).length).toBeGreaterThanOrEqual(nth);
  const n = sent.filter((m) => m.to === phone)[nth - 1];
  return n.params?.code as string;
}

/** An elder account whose elder record has `phone`. */
async function elderWithPhone(phone: string, opts: { mustChangePassword?: boolean } = {}) {
  const elder = await createElder(s.ctx, TREE.communityA1, { phone });
  const acc = await createAccount(s.ctx, 'elder');
  await s.ctx.db
    .update(users)
    .set({ elderId: elder.id, mustChangePassword: opts.mustChangePassword ?? false })
    .where(eq(users.id, acc.id));
  return { elder, acc };
}

const auditOf = (action: string, targetId: string) =>
  s.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)))
    .orderBy(auditLog.at);

describe('login by phone number and code', () => {
  it('an elder asks for a code, gets it by text and logs in with the same session as a password login', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const { acc } = await elderWithPhone(phone);
    const asked = await askCode(phone, ip);
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toEqual({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    const code = await codeSentTo(phone);
    expect(code).toMatch(/^[0-9]{6}$/);
    const text = sent.find((n) => n.to === phone) as Notice;
    expect(text).toMatchObject({ channel: 'sms', template: 'login-code' });
    expect(text.body).toContain(code);

    const res = await logIn(phone, code, ip);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: acc.id, role: 'elder', mustChangePassword: false });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/zy_session=zy_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const viaCookie = await s.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.json().username).toBe(acc.username);
    expect((await client(s.app, res.json().token).get('/api/v1/auth/me')).json().role).toBe('elder');

    // Stored hashed only: neither the code table nor the outbox holds the code or the number.
    const [row] = await queryRows<Record<string, unknown>>(
      s.ctx.db,
      sql`SELECT * FROM phone_login_codes WHERE user_id = ${acc.id}`,
    );
    expect(JSON.stringify(row)).not.toContain(code);
    expect(JSON.stringify(row)).not.toContain(phone);
    const outbox = await queryRows<Record<string, unknown>>(s.ctx.db, sql`SELECT * FROM sms_outbox WHERE user_id = ${acc.id}`);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      purpose: 'login-code',
      status: 'sent',
      provider: 'capture',
      recipient_masked: masked(phone),
    });
    expect(outbox[0].body_masked).toContain('******');
    expect(JSON.stringify(outbox[0])).not.toContain(code);
    expect(JSON.stringify(outbox[0])).not.toContain(phone);

    // Audited: the request and the login, with the masked number and without the code.
    const requested = await auditOf('auth.sms-code', acc.id);
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ outcome: 'ok', ip, detail: { phone: masked(phone) } });
    const login = await auditOf('auth.login', acc.id);
    expect(login).toHaveLength(1);
    expect(login[0]).toMatchObject({ outcome: 'ok', actorId: acc.id, detail: { method: 'sms-code', phone: masked(phone) } });
    expect(JSON.stringify([...requested, ...login])).not.toContain(code);
  });

  it('a code is used once', async () => {
    const phone = newPhone();
    const ip = newAddress();
    await elderWithPhone(phone);
    await askCode(phone, ip);
    const code = await codeSentTo(phone);
    expect((await logIn(phone, code, ip)).statusCode).toBe(200);
    const again = await logIn(phone, code, ip);
    expect(again.statusCode).toBe(401);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json().code).toBe('phone-code-expired');
  });

  it('a wrong code counts a try; the fifth wrong try voids the code, even for the right one after it', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const { acc } = await elderWithPhone(phone);
    await askCode(phone, ip);
    const code = await codeSentTo(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const r = await logIn(phone, wrong, ip);
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('phone-code-wrong');
    }
    const fifth = await logIn(phone, wrong, ip);
    expect(fifth.json().code).toBe('phone-code-expired');
    const right = await logIn(phone, code, ip);
    expect(right.statusCode).toBe(401);
    expect(right.json().code).toBe('phone-code-expired');
    const failed = (await auditOf('auth.login', acc.id)).filter((a) => a.outcome === 'failed');
    expect(failed.map((a) => (a.detail as { reason: string }).reason)).toEqual([
      ...Array(5).fill('wrong code'),
      'too many tries',
    ]);
    expect(failed[0].detail).toMatchObject({ method: 'sms-code', phone: masked(phone), tries: 1 });
    expect(JSON.stringify(failed)).not.toContain(code);
  });

  it('a code older than 5 minutes is refused; a new request replaces the old code', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const { acc } = await elderWithPhone(phone);
    await askCode(phone, ip);
    const first = await codeSentTo(phone, 1);
    await s.ctx.database.query(
      "UPDATE phone_login_codes SET expires_at = now() - interval '1 second', created_at = now() - interval '301 seconds' WHERE user_id = $1",
      [acc.id],
    );
    const late = await logIn(phone, first, ip);
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe('phone-code-expired');
    expect((await askCode(phone, ip)).statusCode).toBe(202);
    const second = await codeSentTo(phone, 2);
    if (second !== first) expect((await logIn(phone, first, ip)).json().code).toBe('phone-code-wrong');
    expect((await logIn(phone, second, ip)).statusCode).toBe(200);
  });

  it('a family account logs in by its own phone when that phone is one of its elder’s contacts', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const elder = await createElder(s.ctx, TREE.communityA1);
    await addContact(s.ctx, elder.id, { name: '王一', relationship: 'son', phone, callOrder: 1 });
    const fam = await createAccount(s.ctx, 'family');
    await s.ctx.db
      .update(users)
      .set({ elderId: elder.id, ...accountPhone(s.ctx.cipher, phone) })
      .where(eq(users.id, fam.id));
    // Another family account of the same elder with another phone is not the one that gets the code.
    const other = await createAccount(s.ctx, 'family');
    await s.ctx.db
      .update(users)
      .set({ elderId: elder.id, ...accountPhone(s.ctx.cipher, newPhone()) })
      .where(eq(users.id, other.id));
    expect((await askCode(phone, ip)).statusCode).toBe(202);
    const res = await logIn(phone, await codeSentTo(phone), ip);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: fam.id, role: 'family' });
  });

  it('a family account whose phone is still in plain text (before 0991, not yet backfilled) logs in too', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const elder = await createElder(s.ctx, TREE.communityA1);
    await addContact(s.ctx, elder.id, { name: '王二', relationship: 'son', phone, callOrder: 1 });
    const fam = await createAccount(s.ctx, 'family');
    await s.ctx.db
      .update(users)
      .set({ elderId: elder.id, phone: `${phone.slice(0, 3)}-${phone.slice(3)}` })
      .where(eq(users.id, fam.id));
    expect((await askCode(phone, ip)).statusCode).toBe(202);
    const res = await logIn(phone, await codeSentTo(phone), ip);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: fam.id, role: 'family' });
  });
});

describe('the answer does not tell whether a number has an account', () => {
  it('an unknown number gets the same answer, no text, and the same wrong-code answers', async () => {
    const known = newPhone();
    const unknown = newPhone();
    const ip = newAddress();
    await elderWithPhone(known);
    const a = await askCode(known, ip);
    const b = await askCode(unknown, ip);
    expect(b.statusCode).toBe(a.statusCode);
    expect(b.headers['content-type']).toBe(a.headers['content-type']);
    expect(b.json()).toEqual(a.json());
    await codeSentTo(known);
    // The known number's text went out (awaited above); the unknown one had nothing to send.
    expect(sent.filter((n) => n.to === unknown)).toHaveLength(0);
    for (let i = 0; i < 5; i++) {
      const k = await logIn(known, '999999', ip);
      const u = await logIn(unknown, '999999', ip);
      expect(u.statusCode).toBe(k.statusCode);
      expect(u.json()).toEqual(k.json());
    }
    // Both are limited alike, too.
    const k2 = await askCode(known, ip);
    const u2 = await askCode(unknown, ip);
    expect(k2.statusCode).toBe(429);
    expect(u2.statusCode).toBe(429);
    expect(u2.json()).toEqual(k2.json());
    // The administrator's trail says what happened (masked number).
    const [trail] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.sms-code'), sql`${auditLog.detail}->>'phone' = ${masked(unknown)}`));
    expect(trail).toMatchObject({ outcome: 'failed', detail: { reason: 'no account' } });
  });

  it('staff phones get no code: only elder and family accounts log in by text', async () => {
    const phone = newPhone();
    const ip = newAddress();
    // A staff account with the number on its own record, and one pointed at an elder with that number.
    const elder = await createElder(s.ctx, TREE.communityA1, { phone });
    await addContact(s.ctx, elder.id, { name: '赵二', relationship: 'daughter', phone, callOrder: 1 });
    for (const role of ['community_staff', 'operator', 'district_admin'] as const) {
      const staff = await createAccount(s.ctx, role, {
        regionCode: role === 'community_staff' ? TREE.communityA1 : TREE.district,
      });
      await s.ctx.db
        .update(users)
        .set({ ...accountPhone(s.ctx.cipher, phone), elderId: elder.id })
        .where(eq(users.id, staff.id));
    }
    const res = await askCode(phone, ip);
    expect(res.statusCode).toBe(202);
    // The answer is decided, and no account chosen, before the request returns: nothing was handed to the provider.
    expect(sent.filter((n) => n.to === phone)).toHaveLength(0);
    const [row] = await queryRows<{ user_id: string | null }>(
      s.ctx.db,
      sql`SELECT user_id FROM phone_login_codes WHERE phone_hash = ${s.ctx.cipher.blindIndex(phone, 'phone')}`,
    );
    expect(row.user_id).toBeNull();
  });

  it('a disabled elder account gets no code', async () => {
    const phone = newPhone();
    const { acc } = await elderWithPhone(phone);
    await s.ctx.db.update(users).set({ status: 'disabled' }).where(eq(users.id, acc.id));
    expect((await askCode(phone, newAddress())).statusCode).toBe(202);
    const [row] = await queryRows<{ user_id: string | null }>(
      s.ctx.db,
      sql`SELECT user_id FROM phone_login_codes WHERE phone_hash = ${s.ctx.cipher.blindIndex(phone, 'phone')}`,
    );
    expect(row.user_id).toBeNull();
  });
});

describe('rate limits', () => {
  const age = (phone: string, seconds: number) =>
    s.ctx.database.query(
      'UPDATE phone_login_codes SET created_at = created_at - make_interval(secs => $2) WHERE phone_hash = $1',
      [s.ctx.cipher.blindIndex(phone, 'phone'), seconds],
    );

  it('one code a minute per number: 429 with Retry-After, and it changes nothing', async () => {
    const phone = newPhone();
    const ip = newAddress();
    await elderWithPhone(phone);
    expect((await askCode(phone, ip)).statusCode).toBe(202);
    const again = await askCode(newPhone(), ip); // another number from the same address is fine
    expect(again.statusCode).toBe(202);
    const limited = await askCode(phone, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('phone-code-rate-limited');
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM phone_login_codes WHERE phone_hash = ${s.ctx.cipher.blindIndex(phone, 'phone')}`,
    );
    expect(n).toBe(1);
    await codeSentTo(phone, 1);
    expect(sent.filter((m) => m.to === phone)).toHaveLength(1);
    await age(phone, 61);
    expect((await askCode(phone, ip)).statusCode).toBe(202);
    const denied = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'auth.sms-code'), eq(auditLog.outcome, 'denied'), eq(auditLog.ip, ip)));
    expect(denied).toHaveLength(1);
    expect(denied[0].detail).toMatchObject({ phone: masked(phone), reason: 'rate limit (resend)' });
  });

  it('five codes an hour per number; the sixth waits until the oldest leaves the hour', async () => {
    const phone = newPhone();
    const ip = newAddress();
    for (let i = 0; i < 5; i++) {
      expect((await askCode(phone, ip)).statusCode).toBe(202);
      await age(phone, 61);
    }
    const sixth = await askCode(phone, ip);
    expect(sixth.statusCode).toBe(429);
    const wait = Number(sixth.headers['retry-after']);
    // The oldest of the five is 5 × 61 s old: it leaves the hour in 3600 − 305 s.
    expect(wait).toBeGreaterThan(3600 - 310);
    expect(wait).toBeLessThanOrEqual(3600 - 300);
  });

  it('thirty codes an hour per client address, whatever the numbers', async () => {
    const ip = newAddress();
    await s.ctx.database.query(
      `INSERT INTO phone_login_codes (phone_hash, code_hash, address, expires_at)
       SELECT repeat('a', 63) || (g % 10)::text, repeat('b', 64), $1, now() FROM generate_series(1, 30) g`,
      [ip],
    );
    const res = await askCode(newPhone(), ip);
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('phone-code-rate-limited');
    expect((await askCode(newPhone(), newAddress())).statusCode).toBe(202);
  });
});

describe('first login', () => {
  it('an account still on its temporary password logs in by code without being sent to change it; the temporary password stops working', async () => {
    const phone = newPhone();
    const ip = newAddress();
    const { acc } = await elderWithPhone(phone, { mustChangePassword: true });
    await askCode(phone, ip);
    const res = await logIn(phone, await codeSentTo(phone), ip);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.mustChangePassword).toBe(false);
    const home = await client(s.app, res.json().token).get('/api/v1/auth/me');
    expect(home.json().mustChangePassword).toBe(false);
    const byPassword = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: ip,
      payload: { username: acc.username, password: acc.password },
    });
    expect(byPassword.statusCode).toBe(401);
    const [login] = (await auditOf('auth.login', acc.id)).filter((a) => a.outcome === 'ok');
    expect(login.detail).toMatchObject({ method: 'sms-code', temporaryPasswordVoided: true });
  });
});

describe('bad input', () => {
  it('a malformed number or code is a 400 and writes nothing', async () => {
    const ip = newAddress();
    const count = async () =>
      (await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM phone_login_codes`))[0].n;
    const before = await count();
    for (const phone of ['12345', '02812345678', '1380013800a', '']) {
      const r = await askCode(phone, ip);
      expect(r.statusCode).toBe(400);
      expect(r.json().code).toBe('validation');
    }
    expect((await logIn('13800138000', '12345', ip)).statusCode).toBe(400);
    expect(await count()).toBe(before);
  });
});

describe('logs', () => {
  it('with a gateway configured, no log line holds a number or a code', async () => {
    const phone = newPhone();
    const ip = newAddress();
    await elderWithPhone(phone);
    await askCode(phone, ip);
    const code = await codeSentTo(phone);
    await logIn(phone, code === '000000' ? '111111' : '000000', ip);
    await logIn(phone, code, ip);
    const all = s.logs.join('\n');
    expect(all).not.toContain(phone);
    expect(all).not.toContain(code);
    for (const p of sent.map((n) => n.to)) expect(all).not.toContain(p);
  });
});

describe('the embedded provider (no SMS gateway)', () => {
  it('in development it writes the outbox and logs the code once, in the one development line', async () => {
    const dev = await startTestServer();
    try {
      await seedTree(dev.ctx);
      const phone = newPhone();
      const elder = await createElder(dev.ctx, TREE.communityA1, { phone });
      const acc = await createAccount(dev.ctx, 'elder');
      await dev.ctx.db.update(users).set({ elderId: elder.id }).where(eq(users.id, acc.id));
      const r = await dev.app.inject({ method: 'POST', url: '/api/v1/auth/phone-code', payload: { phone } });
      expect(r.statusCode).toBe(202);
      await expect.poll(() => dev.logs.filter((l) => l.includes('DEVELOPMENT ONLY')).length).toBe(1);
      const line = dev.logs.find((l) => l.includes('DEVELOPMENT ONLY')) as string;
      const code = (line.match(/验证码为 ([0-9]{6})/) as RegExpMatchArray)[1];
      expect(dev.logs.filter((l) => l.includes(code))).toEqual([line]);
      expect(dev.logs.join('\n')).not.toContain(phone);
      await expect
        .poll(async () => (await queryRows(dev.ctx.db, sql`SELECT provider FROM sms_outbox WHERE user_id = ${acc.id}`)).length)
        .toBe(1);
      const login = await dev.app.inject({ method: 'POST', url: '/api/v1/auth/phone-login', payload: { phone, code } });
      expect(login.statusCode).toBe(200);
    } finally {
      await dev.close();
    }
  });

  it('in production it refuses with 503 sms-not-configured and logs nothing of the number', async () => {
    const prod = await startTestServer({ config: { production: true } });
    try {
      const phone = newPhone();
      const r = await prod.app.inject({ method: 'POST', url: '/api/v1/auth/phone-code', payload: { phone } });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().code).toBe('sms-not-configured');
      expect(prod.logs.join('\n')).not.toContain(phone);
      const [{ n }] = await queryRows<{ n: number }>(prod.ctx.db, sql`SELECT count(*)::int AS n FROM phone_login_codes`);
      expect(n).toBe(0);
    } finally {
      await prod.close();
    }
  });
});
