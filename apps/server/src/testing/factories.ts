import type { Role } from '@zhiyang/shared';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../lib/context.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { organizations } from '../modules/organizations/organizations.schema.ts';
import { existingRegionCache } from '../modules/regions/regions.cache.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { users } from '../modules/users/users.schema.ts';

export const TEST_PASSWORD = 'Test#Pass2026';

/** A small tree: district 990101; streets …001 and …002; communities …001001, …001002, …002001. */
export const TREE = {
  district: '990101',
  streetA: '990101001',
  streetB: '990101002',
  communityA1: '990101001001',
  communityA2: '990101001002',
  communityB1: '990101002001',
} as const;

export async function seedTree(ctx: AppContext) {
  await ctx.db
    .insert(regions)
    .values([
      { code: TREE.district, parentCode: null, level: 'district', name: '测试区', lat: 30.6, lng: 104.0 },
      { code: TREE.streetA, parentCode: TREE.district, level: 'street', name: '甲街道' },
      { code: TREE.streetB, parentCode: TREE.district, level: 'street', name: '乙街道' },
      { code: TREE.communityA1, parentCode: TREE.streetA, level: 'community', name: '甲一社区', lat: 30.61, lng: 104.01 },
      { code: TREE.communityA2, parentCode: TREE.streetA, level: 'community', name: '甲二社区' },
      { code: TREE.communityB1, parentCode: TREE.streetB, level: 'community', name: '乙一社区' },
    ])
    .onConflictDoNothing();
  // This process reads its own write at once (other processes: the table trigger's NOTIFY).
  existingRegionCache(ctx.events)?.invalidate();
}

export async function createOrg(
  ctx: AppContext,
  type: typeof organizations.$inferInsert.type,
  regionCode: string,
  name = `${type}-${regionCode}`,
) {
  return (await ctx.db.insert(organizations).values({ type, name, regionCode }).returning())[0];
}

let passwordHash: Promise<string> | null = null;
let seq = 0;

/** An account that can log in at once (no forced password change) with TEST_PASSWORD. */
export async function createAccount(
  ctx: AppContext,
  role: Role,
  opts: { regionCode?: string | null; orgId?: string | null; username?: string } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = opts.username ?? `${role.replace(/_/g, '-')}-${++seq}-${Math.random().toString(36).slice(2, 6)}`;
  const [row] = await ctx.db
    .insert(users)
    .values({
      username,
      displayName: username,
      role,
      regionCode: opts.regionCode ?? null,
      orgId: opts.orgId ?? null,
      passwordHash: await passwordHash,
      mustChangePassword: false,
    })
    .returning();
  return { ...row, password: TEST_PASSWORD };
}

export async function loginToken(app: FastifyInstance, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

/** A small client over app.inject() with a bearer token. */
export function client(app: FastifyInstance, token?: string) {
  const headers = (extra?: Record<string, string>) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    extra?: Record<string, string>,
  ): Promise<LightMyRequestResponse> => app.inject({ method, url, payload: payload as never, headers: headers(extra) });
  return {
    get: (url: string, extra?: Record<string, string>) => call('GET', url, undefined, extra),
    post: (url: string, body?: unknown, extra?: Record<string, string>) => call('POST', url, body ?? {}, extra),
    patch: (url: string, body?: unknown, extra?: Record<string, string>) => call('PATCH', url, body ?? {}, extra),
    put: (url: string, body?: unknown, extra?: Record<string, string>) => call('PUT', url, body ?? {}, extra),
    delete: (url: string, extra?: Record<string, string>) => call('DELETE', url, undefined, extra),
  };
}

/**
 * A client that authenticates like the web console: the session cookie, the browser's Origin and
 * Sec-Fetch-Site headers (inject's default Host is localhost:80) and the console's X-Zhiyang-Client header,
 * so it passes the same CSRF guard (lib/csrf.ts) a browser does. `extra` headers override these.
 */
export function browserClient(app: FastifyInstance, token: string, origin = 'http://localhost:80') {
  const headers = (extra?: Record<string, string>) => ({
    cookie: `zy_session=${token}`,
    origin,
    'sec-fetch-site': 'same-origin',
    'x-zhiyang-client': 'web',
    ...extra,
  });
  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    extra?: Record<string, string>,
  ): Promise<LightMyRequestResponse> => app.inject({ method, url, payload: payload as never, headers: headers(extra) });
  return {
    get: (url: string, extra?: Record<string, string>) => call('GET', url, undefined, extra),
    post: (url: string, body?: unknown, extra?: Record<string, string>) => call('POST', url, body, extra),
    patch: (url: string, body?: unknown, extra?: Record<string, string>) => call('PATCH', url, body ?? {}, extra),
    put: (url: string, body?: unknown, extra?: Record<string, string>) => call('PUT', url, body ?? {}, extra),
    delete: (url: string, extra?: Record<string, string>) => call('DELETE', url, undefined, extra),
  };
}

/** Log in as a new account of `role` and return its client. */
export async function clientAs(
  app: FastifyInstance,
  ctx: AppContext,
  role: Role,
  opts: Parameters<typeof createAccount>[2] = {},
) {
  const account = await createAccount(ctx, role, opts);
  const token = await loginToken(app, account.username);
  return { account, token, api: client(app, token) };
}
