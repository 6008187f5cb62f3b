import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { regions } from '../modules/regions/regions.schema.ts';
import { browserClient, createAccount, loginToken, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
let token: string;
beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
  token = await loginToken(s.app, (await createAccount(s.ctx, 'district_admin', { regionCode: TREE.district })).username);
});
afterAll(() => s.close());

let seq = 0;
/** A new street to create under the test district; each call a new code. */
const street = () => ({ code: `990101${String(100 + ++seq)}`, name: `街道${seq}` });
const exists = async (code: string) => (await s.ctx.db.select().from(regions).where(eq(regions.code, code))).length > 0;
const cookie = () => `zy_session=${token}`;

const expectCrossSiteRefusal = (res: { statusCode: number; headers: Record<string, unknown>; json(): { type: string } }) => {
  expect(res.statusCode).toBe(403);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.json().type).toMatch(/\/cross-site-request$/);
};

describe('cookie-session writes from another site (CSRF)', () => {
  it('refuses the bodies a cross-site form can send without a preflight: text/plain, multipart, urlencoded, empty', async () => {
    const bodies: Array<{ type?: string; payload?: string }> = [
      { type: 'text/plain', payload: JSON.stringify(street()) },
      {
        type: 'multipart/form-data; boundary=b',
        payload: '--b\r\nContent-Disposition: form-data; name="code"\r\n\r\n990101199\r\n--b--\r\n',
      },
      { type: 'application/x-www-form-urlencoded', payload: 'code=990101198&name=x' },
      {},
    ];
    for (const b of bodies) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/v1/regions',
        payload: b.payload,
        headers: { cookie: cookie(), ...(b.type ? { 'content-type': b.type } : {}) },
      });
      expectCrossSiteRefusal(res);
    }
    // Even JSON (which a cross-site page cannot send without a preflight) needs an Origin or the console's header.
    const json = street();
    expectCrossSiteRefusal(
      await s.app.inject({ method: 'POST', url: '/api/v1/regions', payload: json, headers: { cookie: cookie() } }),
    );
    expect(await exists(json.code)).toBe(false);
    // An empty-bodied logout from another site leaves the session alive.
    expectCrossSiteRefusal(await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookie() } }));
    expect((await browserClient(s.app, token).get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  /** A cookie-session region creation with exactly these extra headers. */
  const create = (body: { code: string; name: string }, headers: Record<string, string>) =>
    s.app.inject({ method: 'POST', url: '/api/v1/regions', payload: body, headers: { cookie: cookie(), ...headers } });

  it('refuses a foreign Origin or a cross-site Sec-Fetch-Site, even with the console header', async () => {
    const cases: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { origin: 'http://localhost.evil.example' },
      { origin: 'http://localhost:8080' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://localhost:80', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of cases) {
      const body = street();
      expectCrossSiteRefusal(await create(body, { ...headers, 'x-zhiyang-client': 'web' }));
      expect(await exists(body.code), JSON.stringify(headers)).toBe(false);
    }
  });

  it('accepts the console: same Origin, Sec-Fetch-Site same-origin, or the X-Zhiyang-Client header', async () => {
    const cases: Array<Record<string, string>> = [
      { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin', 'x-zhiyang-client': 'web' },
      { origin: 'http://localhost:80' },
      { 'sec-fetch-site': 'same-origin' },
      { 'x-zhiyang-client': 'web' },
    ];
    for (const headers of cases) {
      const body = street();
      const res = await create(body, headers);
      expect(res.statusCode, `${JSON.stringify(headers)} ${res.body}`).toBe(201);
      expect(await exists(body.code)).toBe(true);
    }
    // The test helper that acts like the console passes the same rule.
    const body = street();
    expect((await browserClient(s.app, token).post('/api/v1/regions', body)).statusCode).toBe(201);
  });

  it('leaves bearer clients, cookie reads and signed device intake alone', async () => {
    const body = street();
    const bearer = await s.app.inject({
      method: 'POST',
      url: '/api/v1/regions',
      payload: body,
      headers: { authorization: `Bearer ${token}`, origin: 'https://integration.example' },
    });
    expect(bearer.statusCode).toBe(201);
    // A GET changes nothing; SameSite=Strict keeps the cookie off cross-site requests anyway.
    const read = await s.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: cookie(), origin: 'https://evil.example' },
    });
    expect(read.statusCode).toBe(200);
    // Device intake: no cookie, no browser headers; it gets to its own signature check.
    const device = await s.app.inject({
      method: 'POST',
      url: '/api/v1/devices/NOPE-1/events',
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(device.statusCode).toBe(404);
  });

  it('refuses a login posted from another site, but not one from a script', async () => {
    const account = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
    const login = (headers: Record<string, string>) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: account.username, password: account.password },
        headers,
      });
    expectCrossSiteRefusal(await login({ origin: 'https://evil.example' }));
    expectCrossSiteRefusal(await login({ 'sec-fetch-site': 'cross-site' }));
    expect((await login({})).statusCode).toBe(200);
    expect((await login({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });
});

describe('PUBLIC_URL', () => {
  it('makes the configured origin the only one accepted', async () => {
    const p = await startTestServer({ config: { publicUrl: 'https://zhiyang.example.gov.cn' } });
    try {
      await seedTree(p.ctx);
      const t = await loginToken(p.app, (await createAccount(p.ctx, 'district_admin', { regionCode: TREE.district })).username);
      const post = (origin: string) =>
        p.app.inject({
          method: 'POST',
          url: '/api/v1/regions',
          payload: street(),
          headers: { cookie: `zy_session=${t}`, origin, host: 'zhiyang.example.gov.cn' },
        });
      expect((await post('https://zhiyang.example.gov.cn')).statusCode).toBe(201);
      expectCrossSiteRefusal(await post('http://zhiyang.example.gov.cn'));
      expectCrossSiteRefusal(await post('https://other.example.gov.cn'));
    } finally {
      await p.close();
    }
  });
});

describe('realtime WebSocket with the session cookie (cross-site WebSocket hijacking)', () => {
  /** Opens the socket; resolves with the first message, or with the HTTP status of a refused upgrade. */
  const open = (headers: Record<string, string>) =>
    new Promise<{ status?: number; first?: { type: string } }>((resolve, reject) => {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/api/v1/realtime`, { headers });
      ws.on('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode });
        res.resume();
      });
      ws.on('message', (m) => {
        resolve({ first: JSON.parse(String(m)) });
        ws.close();
      });
      ws.on('error', (err) => {
        if (!String(err.message).includes('Unexpected server response')) reject(err);
      });
    });

  it('refuses an upgrade from another origin and accepts the console', async () => {
    const host = new URL(s.url).host;
    expect(await open({ cookie: cookie(), origin: 'https://evil.example' })).toEqual({ status: 403 });
    expect(await open({ cookie: cookie(), origin: `http://${host}`, 'sec-fetch-site': 'cross-site' })).toEqual({ status: 403 });
    expect((await open({ cookie: cookie(), origin: `http://${host}` })).first?.type).toBe('hello');
    // Bearer clients (no cookie) may come from anywhere: there is no ambient credential to hijack.
    expect((await open({ authorization: `Bearer ${token}`, origin: 'https://dashboard.example' })).first?.type).toBe('hello');
  });
});
