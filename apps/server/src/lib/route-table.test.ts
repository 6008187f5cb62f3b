import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { auditActionMatches, auditGuardPlugin } from './audit-guard.ts';
import { authPlugin, declarationProblem, isWriteMethod } from './auth.ts';
import type { AppContext } from './context.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('route table', () => {
  it('every route declares its access: a permission, or auth public / user', () => {
    const routes = s.app.routeTable;
    expect(routes.length).toBeGreaterThan(100);
    const undeclared = routes.filter((r) => declarationProblem(r) !== null).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    for (const r of routes) {
      const kinds = [r.config.permission ? 'permission' : null, r.config.auth ?? null].filter(Boolean);
      expect(kinds, `${r.method} ${r.url}`).toHaveLength(1);
    }
  });

  it('every API write route declares its audit action, or says why it records none', () => {
    const writes = s.app.routeTable.filter((r) => isWriteMethod(r.method) && r.url.startsWith('/api/'));
    expect(writes.length).toBeGreaterThan(80);
    for (const r of writes) {
      const c = r.config;
      const ok = (typeof c.audit === 'string' && /^[a-z-]+(\.[a-z-]+)+$/.test(c.audit)) || (c.audit === false && !!c.noAudit);
      expect(ok, `${r.method} ${r.url} audit=${String(c.audit)}`).toBe(true);
    }
    // The exceptions are few and named.
    expect(writes.filter((r) => r.config.audit === false).map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/devices/:deviceId/events']),
    );
    expect(writes.filter((r) => r.config.audit === false).length).toBeLessThanOrEqual(5);
  });

  it('a route without a declaration stops the app from starting', async () => {
    const app = Fastify();
    await app.register(authPlugin, { ctx: {} as AppContext });
    await expect(
      app.register(async (a) => {
        a.get('/api/v1/forgotten', async () => ({}));
      }),
    ).rejects.toThrow(/GET \/api\/v1\/forgotten declares neither/);
    await app.close().catch(() => {});
  });
});

describe('audit guard', () => {
  async function appWith(strict: boolean, logs: string[]) {
    const app = Fastify({
      logger: { level: 'error', stream: { write: (l: string) => logs.push(l) } },
    });
    await app.register(authPlugin, { ctx: {} as AppContext });
    await app.register(auditGuardPlugin, { strict });
    // As the API's modules are: routes in a child plugin under a prefix, some with hooks of their own.
    await app.register(
      async (api) => {
        api.post(
          '/forgets-audit',
          {
            config: { auth: 'public', audit: 'thing.change' },
            onSend: (_req, reply, payload, done) => {
              reply.header('x-own-hook', 'ran');
              done(null, payload);
            },
          },
          async () => ({ ok: true }),
        );
        api.post('/fails', { config: { auth: 'public', audit: 'thing.change' } }, async (_req, reply) =>
          reply.code(409).send({ ok: false }),
        );
      },
      { prefix: '/api/v1' },
    );
    await app.ready();
    return app;
  }

  it('in the tests a 2xx write that declared an audit but wrote none answers 500, naming the route', async () => {
    const logs: string[] = [];
    const app = await appWith(true, logs);
    const res = await app.inject({ method: 'POST', url: '/api/v1/forgets-audit' });
    expect(res.statusCode).toBe(500);
    expect(res.json().detail).toContain("POST /api/v1/forgets-audit answered 200 but wrote no 'thing.change' audit entry (none)");
    expect(res.headers['x-own-hook']).toBe('ran');
    // A refused write changed nothing, so it owes no entry.
    expect((await app.inject({ method: 'POST', url: '/api/v1/fails' })).statusCode).toBe(409);
    await app.close();
  });

  it('in production the answer stands and the missing entry is logged as an error', async () => {
    const logs: string[] = [];
    const app = await appWith(false, logs);
    const res = await app.inject({ method: 'POST', url: '/api/v1/forgets-audit' });
    expect(res.statusCode).toBe(200);
    expect(logs.some((l) => l.includes("wrote no 'thing.change' audit entry") && l.includes('"level":50'))).toBe(true);
    await app.close();
  });

  it('an entry of another action does not meet the declaration; a variant of it does', () => {
    expect(auditActionMatches('order.review', 'order.review-clear')).toBe(true);
    expect(auditActionMatches('provider.dishonest', 'provider.dishonest-removed')).toBe(true);
    expect(auditActionMatches('order.rate', 'order.confirm')).toBe(false);
    expect(auditActionMatches('order.re', 'order.review')).toBe(false);
  });

  it('a write that records its audit entry passes the strict check', async () => {
    const api = s.app;
    const token = await (await import('../testing/factories.ts')).loginToken(api, 'admin', s.adminPassword);
    // The first admin must change the password first: that write is audited (auth.change-password).
    const res = await api.inject({
      method: 'POST',
      url: '/api/v1/auth/change-password',
      headers: { authorization: `Bearer ${token}` },
      payload: { currentPassword: s.adminPassword, newPassword: 'Another#Pass2026' },
    });
    expect(res.statusCode).toBe(204);
  });
});
