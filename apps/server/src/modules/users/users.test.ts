import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, clientAs, createOrg, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { users } from './users.schema.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('account management', () => {
  it('creates an account with a generated password shown once, which must be changed at first login', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await api.post('/api/v1/users', {
      username: 'Li.Hua',
      displayName: '李华',
      role: 'community_staff',
      regionCode: TREE.communityA1,
      phone: '13812345678',
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json();
    expect(user.username).toBe('li.hua');
    expect(user.phone).toBe('138****5678');
    expect(initialPassword).toHaveLength(16);
    const token = await loginToken(s.app, 'li.hua', initialPassword);
    expect((await client(s.app, token).get('/api/v1/regions')).statusCode).toBe(403);
    const [row] = await s.ctx.db.select().from(users).where(eq(users.username, 'li.hua'));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain(initialPassword);
  });

  it('refuses a duplicate username, a weak chosen password and a region outside the admin scope', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    await api.post('/api/v1/users', { username: 'dup-user', displayName: 'A', role: 'operator', regionCode: TREE.district });
    const dup = await api.post('/api/v1/users', {
      username: 'DUP-user',
      displayName: 'B',
      role: 'operator',
      regionCode: TREE.district,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe('body.username');
    const weak = await api.post('/api/v1/users', {
      username: 'weak-pw',
      displayName: 'C',
      role: 'operator',
      regionCode: TREE.district,
      password: 'abcdefgh',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('body.password');
    const streetAdmin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA });
    const outside = await streetAdmin.api.post('/api/v1/users', {
      username: 'outside',
      displayName: 'D',
      role: 'community_staff',
      regionCode: TREE.communityB1,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors[0].path).toBe('body.regionCode');
  });

  it('needs an organisation for provider staff and a region for community staff', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const noOrg = await api.post('/api/v1/users', { username: 'worker-x', displayName: 'W', role: 'service_worker' });
    expect(noOrg.json().errors[0].path).toBe('body.orgId');
    const noRegion = await api.post('/api/v1/users', { username: 'staff-x', displayName: 'S', role: 'community_staff' });
    expect(noRegion.json().errors[0].path).toBe('body.regionCode');
    const org = await createOrg(s.ctx, 'provider', TREE.streetA);
    const ok = await api.post('/api/v1/users', { username: 'worker-y', displayName: 'W', role: 'service_worker', orgId: org.id });
    expect(ok.statusCode).toBe(201);
  });

  it('disabling an account ends its sessions; a reset password works once and must be changed', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const target = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
    expect((await target.api.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await admin.api.patch(`/api/v1/users/${target.account.id}`, { status: 'disabled' })).json().status).toBe('disabled');
    expect((await target.api.get('/api/v1/auth/me')).statusCode).toBe(401);
    await admin.api.patch(`/api/v1/users/${target.account.id}`, { status: 'active' });
    const reset = await admin.api.post(`/api/v1/users/${target.account.id}/reset-password`);
    const token = await loginToken(s.app, target.account.username, reset.json().temporaryPassword);
    expect((await client(s.app, token).get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
  });

  it('an admin cannot disable himself', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect((await admin.api.patch(`/api/v1/users/${admin.account.id}`, { status: 'disabled' })).statusCode).toBe(403);
  });

  it('a district admin of one street does not see, nor can touch, accounts of another street (404)', async () => {
    const other = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA });
    expect((await admin.api.get(`/api/v1/users/${other.account.id}`)).statusCode).toBe(404);
    expect((await admin.api.patch(`/api/v1/users/${other.account.id}`, { displayName: 'x' })).statusCode).toBe(404);
    const list = (await admin.api.get('/api/v1/users?limit=200')).json().items;
    expect(list.some((u: { id: string }) => u.id === other.account.id)).toBe(false);
  });
});
