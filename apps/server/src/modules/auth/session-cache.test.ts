import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../lib/crypto.ts';
import { testDbKind } from '../../testing/db.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TEST_PASSWORD, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { secondWebProcess } from '../../testing/server-process.ts';
import { USER_ACCESS_CHANGED } from './access-events.ts';
import { sessionCacheFor } from './session-cache.ts';

// Cached session checks live 10 minutes in these tests, so a change seen within the poll's few
// seconds was carried by the invalidation, never by the entry running out.
const LONG_CACHE_SECONDS = 600;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ listen: true, config: { sessionCacheSeconds: LONG_CACHE_SECONDS } });
  await seedTree(s.ctx);
});
afterAll(() => s?.close());

/** A GET with a bearer token over real HTTP: the status, and the body when it is JSON. */
async function get(base: string, token: string, url: string) {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (res.headers.get('content-type')?.includes('json') ? await res.json() : null) as {
    items: Array<{ code: string }>;
  } | null;
  return { status: res.status, body };
}
const status = async (base: string, token: string, url = '/api/v1/regions') => (await get(base, token, url)).status;
/** The region codes a session's list shows (its scope), or its status when it cannot list them. */
async function scope(base: string, token: string) {
  const r = await get(base, token, '/api/v1/regions?limit=200');
  return r.status === 200 ? (r.body?.items ?? []).map((x) => x.code).sort() : r.status;
}

/**
 * Each change is made through the server `s`; the session was first used (so cached) on the
 * server at `where()`, which is `s` itself or another process on the same database.
 */
function invalidations(where: () => string) {
  const poll = { timeout: 10_000, interval: 50 };

  it('logout ends the session at once', async () => {
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(where(), u.token)).toBe(200);
    expect(await status(where(), u.token)).toBe(200);
    expect((await u.api.post('/api/v1/auth/logout')).statusCode).toBe(204);
    await expect.poll(() => status(where(), u.token), poll).toBe(401);
  });

  it("a password change ends the user's other sessions and keeps the one that changed it", async () => {
    const acc = await createAccount(s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const changer = await loginToken(s.app, acc.username);
    const other = await loginToken(s.app, acc.username);
    expect(await status(where(), other)).toBe(200);
    expect(await status(where(), changer)).toBe(200);
    const changed = await client(s.app, changer).post('/api/v1/auth/change-password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Other#Pass2026x',
    });
    expect(changed.statusCode).toBe(204);
    await expect.poll(() => status(where(), other), poll).toBe(401);
    expect(await status(where(), changer)).toBe(200);
  });

  it('a password reset by an administrator ends every session of the user', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(where(), u.token)).toBe(200);
    expect((await admin.api.post(`/api/v1/users/${u.account.id}/reset-password`)).statusCode).toBe(200);
    await expect.poll(() => status(where(), u.token), poll).toBe(401);
  });

  it("a role change applies the new role's permissions", async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(where(), u.token, '/api/v1/elders')).toBe(200);
    const res = await admin.api.patch(`/api/v1/users/${u.account.id}`, { role: 'responder' });
    expect(res.statusCode).toBe(200);
    // A responder may not search the elder archive.
    await expect.poll(() => status(where(), u.token, '/api/v1/elders'), poll).toBe(403);
  });

  it('a scope change shows the new region at once', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await scope(where(), u.token)).toEqual([TREE.streetA, TREE.communityA1, TREE.communityA2]);
    expect((await admin.api.patch(`/api/v1/users/${u.account.id}`, { regionCode: TREE.streetB })).statusCode).toBe(200);
    await expect.poll(() => scope(where(), u.token), poll).toEqual([TREE.streetB, TREE.communityB1]);
  });

  it('a disabled account is refused at once', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(where(), u.token)).toBe(200);
    expect((await admin.api.patch(`/api/v1/users/${u.account.id}`, { status: 'disabled' })).statusCode).toBe(200);
    await expect.poll(() => status(where(), u.token), poll).toBe(401);
  });
}

describe('session cache in one process', () => {
  it('answers a repeated session check from memory', async () => {
    const cache = sessionCacheFor(s.ctx.events);
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(s.url, u.token)).toBe(200);
    const hits = cache.stats.hits;
    expect(await status(s.url, u.token)).toBe(200);
    expect(await status(s.url, u.token)).toBe(200);
    expect(cache.stats.hits).toBe(hits + 2);
  });

  it('writes the activity of a burst of requests back to the session within seconds', async () => {
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    // Idle for 10 of the 30 minutes allowed; a burst of requests then counts as activity.
    await s.ctx.database.query("UPDATE sessions SET last_seen_at = now() - interval '10 minutes' WHERE id = $1", [
      sha256Hex(u.token),
    ]);
    await Promise.all(Array.from({ length: 20 }, () => status(s.url, u.token)));
    const idleSeconds = async () =>
      (
        await s.ctx.database.query<{ idle: number }>(
          'SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM sessions WHERE id = $1',
          [sha256Hex(u.token)],
        )
      ).rows[0].idle;
    await expect.poll(idleSeconds, { timeout: 20_000 }).toBeLessThan(60);
  });

  invalidations(() => s.url);
});

// Two processes with separate caches, connected only by the database: PostgreSQL (PGlite is one process).
describe.runIf(testDbKind() === 'postgres')('the connection that listens for invalidations on PostgreSQL', () => {
  const listeners = async () =>
    (
      await s.database.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'zhiyang-listen'",
      )
    ).rows.map((r) => r.pid);

  it('is opened again when it is cut, and what it may have missed meanwhile is not served from the cache', async () => {
    const u = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(s.url, u.token)).toBe(200);
    // Disabled behind the platform's back (no notice sent): the cached check, ten minutes long,
    // would keep answering 200 — like an invalidation sent while the listener was down.
    await s.database.query("UPDATE users SET status = 'disabled' WHERE id = $1", [u.account.id]);
    expect(await status(s.url, u.token)).toBe(200);

    const before = await listeners();
    expect(before.length).toBe(1);
    await s.database.query('SELECT pg_terminate_backend($1)', [before[0]]);
    // Back on a new connection, the cache forgets everything it held: the next check reads the user.
    await expect
      .poll(
        async () => {
          const now = await listeners();
          return now.length === 1 && now[0] !== before[0];
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(true);
    await expect.poll(() => status(s.url, u.token), { timeout: 10_000, interval: 50 }).toBe(401);

    // And notices flow again on the new connection: another process's notice (sent here through
    // the database only, as another process would) ends a cached session.
    const v = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect(await status(s.url, v.token)).toBe(200);
    await s.database.query("UPDATE users SET status = 'disabled' WHERE id = $1", [v.account.id]);
    expect(await status(s.url, v.token)).toBe(200);
    await s.ctx.events.publish(s.ctx.db, { type: USER_ACCESS_CHANGED, data: { userId: v.account.id }, audience: {} });
    await expect.poll(() => status(s.url, v.token), { timeout: 10_000, interval: 50 }).toBe(401);
  });
});

describe.runIf(testDbKind() === 'postgres')('session cache across two server processes on one PostgreSQL', () => {
  const urlOfB = secondWebProcess(() => s, { SESSION_CACHE_SECONDS: String(LONG_CACHE_SECONDS) });

  invalidations(() => urlOfB());
});
