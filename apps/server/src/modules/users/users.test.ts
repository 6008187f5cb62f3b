import { eq, isNotNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { client, clientAs, createOrg, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { userJobs } from './users.jobs.ts';
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

  it('refuses a phone or ID number as the login name: it would stand in clear in every audit row', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    for (const username of ['13912345678', '11010519491231002X', '110105491231002']) {
      const r = await api.post('/api/v1/users', { username, displayName: '王', role: 'operator', regionCode: TREE.district });
      expect([username, r.statusCode]).toEqual([username, 400]);
      expect(r.json().errors[0].path).toBe('body.username');
    }
    const written = await s.ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) IN ('13912345678', '11010519491231002x', '110105491231002')`);
    expect(written).toEqual([]);
    // Digits are fine otherwise: a work number, a short code.
    const ok = await api.post('/api/v1/users', {
      username: 'op-0571',
      displayName: '王',
      role: 'operator',
      regionCode: TREE.district,
    });
    expect(ok.statusCode, ok.body).toBe(201);
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

describe('an account’s phone at rest', () => {
  it('is stored encrypted with its blind index, shown masked, changed and cleared through the API', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const res = await api.post('/api/v1/users', {
      username: 'phone-enc',
      displayName: '周敏',
      role: 'community_staff',
      regionCode: TREE.communityA1,
      phone: '138 1234-0001',
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().user.id as string;
    const stored = async () => (await s.ctx.db.select().from(users).where(eq(users.id, id)))[0];
    let row = await stored();
    expect(row.phone).toBeNull();
    expect(row.phoneEnc).not.toContain('12340001');
    expect(s.ctx.cipher.decrypt(row.phoneEnc as string)).toBe('13812340001');
    expect(row.phoneHash).toBe(s.ctx.cipher.blindIndex('13812340001', 'phone'));
    expect((await api.get(`/api/v1/users/${id}`)).json().phone).toBe('138****0001');

    expect((await api.patch(`/api/v1/users/${id}`, { phone: '13912340002' })).json().phone).toBe('139****0002');
    row = await stored();
    expect(s.ctx.cipher.decrypt(row.phoneEnc as string)).toBe('13912340002');
    expect(row.phone).toBeNull();
    // Another field changed leaves the phone as it is; null clears every phone column.
    expect((await api.patch(`/api/v1/users/${id}`, { displayName: '周敏敏' })).json().phone).toBe('139****0002');
    expect((await api.patch(`/api/v1/users/${id}`, { phone: null })).json().phone).toBeNull();
    row = await stored();
    expect([row.phone, row.phoneEnc, row.phoneHash, row.phoneMasked]).toEqual([null, null, null, null]);
  });

  it('an account written before encryption is shown masked, then encrypted and cleared by the backfill job', async () => {
    const { api } = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const made = await api.post('/api/v1/users', {
      username: 'phone-legacy',
      displayName: '吴刚',
      role: 'operator',
      regionCode: TREE.district,
    });
    const id = made.json().user.id as string;
    // As 0991 found it: the number in plain text, nothing else.
    await s.ctx.db.update(users).set({ phone: '137-0000-1234' }).where(eq(users.id, id));
    expect((await api.get(`/api/v1/users/${id}`)).json().phone).toBe('137****1234');
    const job = userJobs.find((j) => j.name === 'users.phone-backfill');
    if (!job) throw new Error('no backfill job');
    await runJob(s.ctx, job, {});
    await runJob(s.ctx, job, {}); // a second run finds nothing left to do
    const [row] = await s.ctx.db.select().from(users).where(eq(users.id, id));
    expect(row.phone).toBeNull();
    expect(s.ctx.cipher.decrypt(row.phoneEnc as string)).toBe('13700001234');
    expect(row.phoneHash).toBe(s.ctx.cipher.blindIndex('13700001234', 'phone'));
    expect((await api.get(`/api/v1/users/${id}`)).json().phone).toBe('137****1234');
    // No account is left in plain text anywhere.
    const plain = await s.ctx.db.select({ id: users.id }).from(users).where(isNotNull(users.phone));
    expect(plain).toEqual([]);
  });
});
