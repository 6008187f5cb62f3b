import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../demo/random.ts';
import { auditLog } from '../modules/audit/audit.schema.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { sessions, users } from '../modules/users/users.schema.ts';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

const rnd = seededRandom(4242);
const NASTY: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  '😀'.repeat(50),
  "'; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  [],
  [1, 2],
  {},
  { $ne: null },
  { __proto__: { admin: true } },
  '990101',
  '99010100100',
  '9'.repeat(12),
  'NaN',
  '2026-13-45',
];
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd.next() * a.length)];

/** A body built from valid field names with hostile values, missing fields and unknown extras. */
function badBody(fields: string[]): unknown {
  const r = rnd.next();
  if (r < 0.05) return pick(NASTY);
  const body: Record<string, unknown> = {};
  for (const f of fields) if (rnd.chance(0.7)) body[f] = pick(NASTY);
  // Make sure the body is invalid: an unknown field, or a value no field accepts.
  if (rnd.chance(0.4)) body[`extra${rnd.int(0, 9)}`] = pick(NASTY);
  else body[pick(fields)] = pick([[], {}, { $ne: null }, 'x'.repeat(5000), [1, 2]]);
  return body;
}

const counts = async () => ({
  users: (await s.ctx.db.select({ n: count() }).from(users))[0].n,
  regions: (await s.ctx.db.select({ n: count() }).from(regions))[0].n,
  orgs: (await s.ctx.db.select({ n: count() }).from(organizations))[0].n,
  sessions: (await s.ctx.db.select({ n: count() }).from(sessions))[0].n,
});

describe('hundreds of generated bad bodies', () => {
  it('never answer 5xx, always problem+json, and write nothing', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await counts();
    const auditBefore = (await s.ctx.db.select({ n: count() }).from(auditLog))[0].n;
    const targets: Array<{ method: 'POST' | 'PATCH'; url: string; fields: string[]; auth: boolean }> = [
      { method: 'POST', url: '/api/v1/auth/login', fields: ['username', 'password'], auth: false },
      {
        method: 'POST',
        url: '/api/v1/users',
        fields: ['username', 'displayName', 'role', 'regionCode', 'orgId', 'phone', 'password'],
        auth: true,
      },
      {
        method: 'PATCH',
        url: `/api/v1/users/${admin.account.id}`,
        fields: ['displayName', 'role', 'regionCode', 'orgId', 'phone', 'status'],
        auth: true,
      },
      { method: 'POST', url: '/api/v1/regions', fields: ['code', 'name', 'lat', 'lng'], auth: true },
      { method: 'PATCH', url: `/api/v1/regions/${TREE.communityA1}`, fields: ['name', 'lat', 'lng'], auth: true },
      { method: 'POST', url: '/api/v1/organizations', fields: ['type', 'name', 'regionCode', 'contactPhone'], auth: true },
      { method: 'POST', url: '/api/v1/auth/change-password', fields: ['currentPassword', 'newPassword'], auth: true },
    ];
    let sent = 0;
    for (let i = 0; i < 350; i++) {
      const t = targets[i % targets.length];
      const body = badBody(t.fields);
      const raw = rnd.chance(0.08) ? '{"username": "a", ' : JSON.stringify(body);
      const res = await s.app.inject({
        method: t.method,
        url: t.url,
        payload: raw,
        headers: { 'content-type': 'application/json', ...(t.auth ? { authorization: `Bearer ${admin.token}` } : {}) },
      });
      sent++;
      expect(res.statusCode, `${t.method} ${t.url} ${raw.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${t.method} ${t.url} ${raw.slice(0, 200)}`).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.title).toBeTruthy();
      expect(problem.status).toBe(res.statusCode);
    }
    expect(sent).toBe(350);
    expect(await counts()).toEqual(before);
    // Failed logins are audited; nothing else may have been written.
    const actions = await s.ctx.database.query<{ action: string }>('SELECT DISTINCT action FROM audit_log WHERE id > $1', [
      auditBefore,
    ]);
    expect(actions.rows.map((r) => r.action).filter((a) => a !== 'auth.login' && a !== 'auth.change-password')).toEqual([]);
  });

  it('rate-limits login attempts from one address', async () => {
    const codes = new Set<number>();
    for (let i = 0; i < 25; i++) {
      codes.add(
        (
          await s.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'nobody', password: 'x' },
            remoteAddress: '10.9.9.9',
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual(new Set([401, 429]));
  });

  it('answers an oversized body with 413 and an unknown route with a problem 404', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: `{"username":"${'a'.repeat(2 * 1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
    });
    expect(res.statusCode).toBe(413);
    const missing = await s.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toContain('no-route');
  });
});
