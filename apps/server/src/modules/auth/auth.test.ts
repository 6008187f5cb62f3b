import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/crypto.ts';
import { client, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { users } from '../users/users.schema.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('first admin', () => {
  it('logs in with the generated password and must change it before anything else', async () => {
    expect(s.adminPassword).toMatch(/.{16}/);
    const token = await loginToken(s.app, 'admin', s.adminPassword);
    const api = client(s.app, token);
    const blocked = await api.get('/api/v1/regions');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json().type).toContain('password-change-required');
    expect((await api.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);

    const weak = await api.post('/api/v1/auth/change-password', { currentPassword: s.adminPassword, newPassword: 'password' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('body.newPassword');

    const ok = await api.post('/api/v1/auth/change-password', {
      currentPassword: s.adminPassword,
      newPassword: 'Strong#Pass2026',
    });
    expect(ok.statusCode).toBe(204);
    expect((await api.get('/api/v1/regions')).statusCode).toBe(200);
  });
});

describe('login', () => {
  it('returns a token and an HttpOnly SameSite cookie that both authenticate', async () => {
    const acc = await createAccount(s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: acc.username, password: acc.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/zy_session=zy_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const viaCookie = await s.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookie.split(';')[0] } });
    expect(viaCookie.json().username).toBe(acc.username);
    const viaBearer = await client(s.app, res.json().token).get('/api/v1/auth/me');
    expect(viaBearer.json().role).toBe('street_staff');
  });

  it('locks the account for 15 minutes after 5 failed attempts, even for the right password', async () => {
    const acc = await createAccount(s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    for (let i = 0; i < 4; i++) {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: acc.username, password: 'wrong' },
      });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: acc.username, password: 'wrong' },
    });
    expect(fifth.statusCode).toBe(423);
    const right = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: acc.username, password: acc.password },
    });
    expect(right.statusCode).toBe(423);
    const [row] = await s.ctx.db.select().from(users).where(eq(users.id, acc.id));
    const minutes = ((row.lockedUntil?.getTime() ?? 0) - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15.1);
  });

  it('ends a session after 30 idle minutes, and keeps an active one alive', async () => {
    const acc = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
    const idle = await loginToken(s.app, acc.username);
    const active = await loginToken(s.app, acc.username);
    const age = async (token: string, minutes: number) =>
      s.ctx.database.query('UPDATE sessions SET last_seen_at = now() - make_interval(mins => $2) WHERE id = $1', [
        sha256Hex(token),
        minutes,
      ]);
    await age(idle, 31);
    await age(active, 29);
    expect((await client(s.app, idle).get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await client(s.app, active).get('/api/v1/auth/me')).statusCode).toBe(200);
    // The request refreshed it: 29 more minutes later it is still alive.
    await age(active, 29);
    expect((await client(s.app, active).get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('ends the session at logout', async () => {
    const acc = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
    const token = await loginToken(s.app, acc.username);
    const api = client(s.app, token);
    expect((await api.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await api.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});
