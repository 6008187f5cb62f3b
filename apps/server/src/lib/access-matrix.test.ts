import type { Role } from '@zhiyang/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, createOrg, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
let providerOrg: string;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  providerOrg = (await createOrg(s.ctx, 'provider', TREE.streetA)).id;
});
afterAll(() => s.close());

/**
 * Who may call what, as the bureau expects it. 200 = allowed, 403 = the role may not.
 * This is the specification; ROLE_PERMISSIONS must agree with it.
 */
const MATRIX: Array<[Role, { regions: number; users: number; createUser: number; orgs: number; audit: number }]> = [
  ['district_admin', { regions: 200, users: 200, createUser: 201, orgs: 200, audit: 200 }],
  ['street_staff', { regions: 200, users: 200, createUser: 403, orgs: 200, audit: 403 }],
  ['community_staff', { regions: 200, users: 403, createUser: 403, orgs: 200, audit: 403 }],
  ['operator', { regions: 200, users: 403, createUser: 403, orgs: 200, audit: 403 }],
  ['provider_admin', { regions: 200, users: 403, createUser: 403, orgs: 200, audit: 403 }],
  ['service_worker', { regions: 200, users: 403, createUser: 403, orgs: 403, audit: 403 }],
  ['responder', { regions: 200, users: 403, createUser: 403, orgs: 403, audit: 403 }],
  ['canteen_staff', { regions: 200, users: 403, createUser: 403, orgs: 200, audit: 403 }],
  ['institution_staff', { regions: 200, users: 403, createUser: 403, orgs: 200, audit: 403 }],
  ['elder', { regions: 403, users: 403, createUser: 403, orgs: 403, audit: 403 }],
  ['family', { regions: 403, users: 403, createUser: 403, orgs: 403, audit: 403 }],
];

const placement = (role: Role) =>
  ['provider_admin', 'service_worker', 'canteen_staff', 'institution_staff'].includes(role)
    ? { orgId: providerOrg }
    : ['elder', 'family'].includes(role)
      ? {}
      : {
          regionCode:
            role === 'community_staff' || role === 'responder'
              ? TREE.communityA1
              : role === 'street_staff'
                ? TREE.streetA
                : TREE.district,
        };

describe('role × route matrix', () => {
  it.each(MATRIX)('%s', async (role, expected) => {
    const { api } = await clientAs(s.app, s.ctx, role, placement(role));
    const got = {
      regions: (await api.get('/api/v1/regions')).statusCode,
      users: (await api.get('/api/v1/users')).statusCode,
      createUser: (
        await api.post('/api/v1/users', {
          username: `m-${role.replace(/_/g, '-')}`,
          displayName: 'M',
          role: 'operator',
          regionCode: TREE.district,
        })
      ).statusCode,
      orgs: (await api.get('/api/v1/organizations')).statusCode,
      audit: (await api.get('/api/v1/audit-log')).statusCode,
    };
    expect(got).toEqual(expected);
  });

  it('without a session every route but health answers 401', async () => {
    for (const url of ['/api/v1/regions', '/api/v1/users', '/api/v1/organizations', '/api/v1/audit-log', '/api/v1/auth/me']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });

  it('provider staff see only their own organisation', async () => {
    await createOrg(s.ctx, 'provider', TREE.streetB, '别家服务商');
    const { api } = await clientAs(s.app, s.ctx, 'provider_admin', { orgId: providerOrg });
    const items = (await api.get('/api/v1/organizations?limit=200')).json().items;
    expect(items.map((o: { id: string }) => o.id)).toEqual([providerOrg]);
  });
});
