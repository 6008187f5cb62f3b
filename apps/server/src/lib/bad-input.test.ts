import { ROLES, type Role } from '@zhiyang/shared';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../demo/random.ts';
import { auditLog } from '../modules/audit/audit.schema.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { sessions, users } from '../modules/users/users.schema.ts';
import { clientAs, createOrg, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { tableCounts } from '../testing/table-counts.ts';

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

interface Operation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

/** Every route of the OpenAPI document (the route table the API publishes), with its parameters and body fields. */
function routeTable() {
  const doc = s.app.swagger() as { paths: Record<string, Record<string, Operation>> };
  const routes: Array<{ method: string; path: string; query: string[]; bodyFields: string[] }> = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const schema = Object.values(op.requestBody?.content ?? {})[0]?.schema;
      routes.push({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return routes;
}

describe('NUL, control characters and unpaired surrogates, on every route', () => {
  it('are refused with a 400 problem in the query, path parameters, JSON body and multipart upload, and nothing changes', async () => {
    const providerOrg = (await createOrg(s.ctx, 'provider', TREE.streetA)).id;
    const placement = (role: Role) =>
      ['provider_admin', 'service_worker', 'canteen_staff', 'institution_staff'].includes(role)
        ? { orgId: providerOrg }
        : ['elder', 'family'].includes(role)
          ? {}
          : { regionCode: TREE.district };
    // One account per role: a route is tried as the first role it lets in, so the input check is reached.
    const tokens: string[] = [];
    for (const role of ['district_admin', ...ROLES.filter((r) => r !== 'district_admin')] as Role[])
      tokens.push((await clientAs(s.app, s.ctx, role, placement(role))).token);
    const routes = routeTable();
    expect(routes.length).toBeGreaterThan(100);
    const before = await tableCounts(s.ctx);

    // Each route from its own address, so rate limits (login, password change) count nothing of the others.
    let address = '';
    const send = (method: string, url: string, token: string, payload?: string, headers: Record<string, string> = {}) =>
      s.app.inject({
        method: method as 'GET',
        url,
        payload,
        remoteAddress: address,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      });
    /** The answer of the first role the route lets in (a 403 "forbidden" means: try the next role). */
    const tryRoles = async (method: string, url: string, payload?: string, headers?: Record<string, string>) => {
      let res = await send(method, url, tokens[0], payload, headers);
      for (let i = 1; i < tokens.length && res.statusCode === 403 && res.json().type.endsWith('/forbidden'); i++)
        res = await send(method, url, tokens[i], payload, headers);
      return res;
    };
    const refused = (res: Awaited<ReturnType<typeof send>>, where: string, what: string) => {
      expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json();
      expect(problem.type, what).toMatch(/\/validation$/);
      expect(problem.errors[0].path, what).toMatch(new RegExp(`^${where}`));
    };
    const plain = (path: string) => path.replace(/\{[^}]+\}/g, 'x1');
    const withNul = (path: string) => path.replace(/\{[^}]+\}/g, '%00');
    const isDeviceIntake = (path: string) => path.endsWith('/devices/{deviceId}/events');

    let tried = 0;
    for (const r of routes) {
      address = `10.77.${tried >> 8}.${tried & 255}`;
      const what = `${r.method} ${r.path}`;
      // Query: every declared parameter, and one nobody declared.
      const query = [...r.query, 'zz'].map((q) => `${encodeURIComponent(q)}=%00`).join('&');
      refused(await tryRoles(r.method, `${plain(r.path)}?${query}`), 'query', `${what} query`);
      if (r.path.includes('{')) refused(await tryRoles(r.method, withNul(r.path)), 'params', `${what} params`);
      if (['POST', 'PUT', 'PATCH'].includes(r.method) && !isDeviceIntake(r.path)) {
        const fields = r.bodyFields.length ? r.bodyFields : ['x'];
        refused(
          await tryRoles(r.method, plain(r.path), JSON.stringify(Object.fromEntries(fields.map((f) => [f, 'a\u0000b'])))),
          'body',
          `${what} body`,
        );
        // Any depth, and the other characters PostgreSQL or the console choke on.
        refused(await tryRoles(r.method, plain(r.path), `{"${fields[0]}":{"deep":[["\\ud800"]]}}`), 'body', `${what} surrogate`);
        refused(
          await tryRoles(r.method, plain(r.path), JSON.stringify({ [fields[0]]: 'bell\u0007' })),
          'body',
          `${what} control`,
        );
      }
      tried++;
    }
    expect(tried).toBe(routes.length);
    expect(await tableCounts(s.ctx)).toEqual(before);
  });

  it('refuses a NUL in a header value, and a control character in an uploaded file name or form field', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await tableCounts(s.ctx);
    const header = await s.app.inject({
      method: 'POST',
      url: '/api/v1/regions',
      payload: { code: '990101003', name: '丙街道' },
      headers: { authorization: `Bearer ${admin.token}`, 'idempotency-key': 'a\u0000b' },
    });
    expect(header.statusCode).toBe(400);
    expect(header.json().errors[0].path).toBe('headers.idempotency-key');

    // Every upload route of the API (lib/upload.ts).
    const uploads = ['/api/v1/regions/import', '/api/v1/elders/import', '/api/v1/devices/import'];
    const table = routeTable().map((r) => `${r.method} ${r.path}`);
    for (const url of uploads) expect(table).toContain(`POST ${url}`);
    const multipart = (filename: string, field?: string) => {
      const b = 'zyboundary';
      const parts = [
        ...(field === undefined ? [] : [`--${b}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${field}\r\n`]),
        `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\ncode,name\r\n`,
        `--${b}--\r\n`,
      ];
      return { payload: parts.join(''), headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
    };
    for (const url of uploads) {
      for (const [body, where] of [
        [multipart('a\u0000.xlsx'), 'multipart.filename'],
        [multipart('a.xlsx', 'x\u0000y'), 'multipart.note'],
      ] as const) {
        const res = await s.app.inject({
          method: 'POST',
          url,
          payload: body.payload,
          headers: { ...body.headers, authorization: `Bearer ${admin.token}` },
        });
        expect(res.statusCode, `${url} ${where}`).toBe(400);
        expect(res.json().errors[0].path).toBe(where);
      }
    }
    expect(await tableCounts(s.ctx)).toEqual(before);
  });

  it('refuses them in the cells of an imported spreadsheet, on every import route', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const before = await tableCounts(s.ctx);
    const uploads = ['/api/v1/regions/import', '/api/v1/elders/import', '/api/v1/devices/import'];
    for (const url of uploads) {
      for (const cell of ['a\u0000b', 'bell\u0007']) {
        const b = 'zyboundary';
        const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="t.csv"\r\nContent-Type: text/csv\r\n\r\ncode,name\r\n990101009,${cell}\r\n--${b}--\r\n`;
        const res = await s.app.inject({
          method: 'POST',
          url,
          payload,
          headers: { 'content-type': `multipart/form-data; boundary=${b}`, authorization: `Bearer ${admin.token}` },
        });
        expect(res.statusCode, `${url} ${JSON.stringify(cell)} ${res.body}`).toBe(400);
        expect(res.json().detail).toMatch(/^Row 2, column 2: the text must not contain/);
      }
    }
    expect(await tableCounts(s.ctx)).toEqual(before);
  });

  it('keeps tabs, line breaks, emoji and Chinese text', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await admin.api.patch(`/api/v1/regions/${TREE.communityA2}`, { name: '甲二\t社区 😀' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('甲二\t社区 😀');
  });
});
