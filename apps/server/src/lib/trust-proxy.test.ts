import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, seedTree, TEST_PASSWORD, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

/**
 * X-Forwarded-* over real HTTP on loopback: believed only from the proxies in TRUST_PROXY.
 * Without it a client could pick its own address (audit log, login rate limit) and scheme (Secure cookie).
 */
describe.each([
  { name: 'without TRUST_PROXY', trustProxy: undefined, trusted: false },
  { name: 'with TRUST_PROXY=127.0.0.1', trustProxy: ['127.0.0.1'], trusted: true },
])('$name', ({ trustProxy, trusted }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ listen: true, config: { trustProxy } });
    await seedTree(s.ctx);
  });
  afterAll(() => s.close());

  const login = (username: string, password: string, headers: Record<string, string>) =>
    fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    });

  it(`${trusted ? 'records' : 'ignores'} X-Forwarded-For as the audited client address`, async () => {
    const account = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
    const res = await login(account.username, TEST_PASSWORD, { 'x-forwarded-for': '203.0.113.7' });
    expect(res.status).toBe(200);
    const rows = await s.ctx.database.query<{ ip: string | null }>(
      "SELECT ip FROM audit_log WHERE action = 'auth.login' AND target_id = $1",
      [account.id],
    );
    expect(rows.rows.map((r) => r.ip)).toEqual([trusted ? '203.0.113.7' : '127.0.0.1']);
  });

  it(`${trusted ? 'sets' : 'does not set'} the cookie's Secure flag for X-Forwarded-Proto: https`, async () => {
    const account = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
    const res = await login(account.username, TEST_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/zy_session=/);
    expect(/;\s*Secure/i.test(cookie)).toBe(trusted);
  });

  it(`${trusted ? 'rate-limits per forwarded address' : 'rate-limits the real address whatever X-Forwarded-For says'}`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await login('nobody-here', 'wrong', { 'x-forwarded-for': `198.51.100.${i + 1}` });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    // The login limit is 10 a minute per address and username.
    if (trusted) expect(statuses).not.toContain(429);
    else expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
