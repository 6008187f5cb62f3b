import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { type client, clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { makeCreditCode } from '../../testing/service.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
});
afterAll(() => s.close());

const register = (creditCode: string, name = '康乐居家养老服务有限公司') =>
  admin.post('/api/v1/providers', { name, regionCode: TREE.streetA, creditCode, legalPerson: '刘强', dailyCapacity: 30 });

describe('provider onboarding', () => {
  it('checks the unified social credit code (GB 32100) and refuses duplicates', async () => {
    const bad = await register('91350100M000100Y44');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.creditCode', message: expect.stringMatching(/check character/) });
    const code = makeCreditCode();
    const ok = await register(code.toLowerCase());
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ creditCode: code, approvalStatus: 'pending', dailyCapacity: 30 });
    expect((await register(code, '另一家')).statusCode).toBe(409);
  });

  it('is approved by the bureau only with a valid licence, and can be suspended and reinstated', async () => {
    const p = (await register(makeCreditCode(), '审批测试')).json();
    expect((await admin.post(`/api/v1/providers/${p.id}/approve`, {})).statusCode).toBe(409);
    const soon = addDays(cstDate(), 10);
    const lic = await admin.post(`/api/v1/providers/${p.id}/licences`, {
      kind: '营业执照',
      number: 'YYZZ-001',
      validUntil: soon,
    });
    expect(lic.json()).toMatchObject({ state: 'expiring' });
    expect((await admin.post(`/api/v1/providers/${p.id}/approve`, {})).json().approvalStatus).toBe('approved');
    const warnings = (await admin.get('/api/v1/providers/licence-warnings')).json();
    expect(warnings.items.find((w: { providerId: string }) => w.providerId === p.id)).toMatchObject({
      state: 'expiring',
      validUntil: soon,
    });
    expect((await admin.post(`/api/v1/providers/${p.id}/suspend`, {})).statusCode).toBe(400); // a reason is required
    expect((await admin.post(`/api/v1/providers/${p.id}/suspend`, { reason: '投诉核查' })).json()).toMatchObject({
      approvalStatus: 'suspended',
      statusReason: '投诉核查',
    });
    expect((await admin.post(`/api/v1/providers/${p.id}/reinstate`, {})).json().approvalStatus).toBe('approved');
    // The provider page's 失信名单 button is the credit module's listing by decision: one list.
    expect((await admin.put(`/api/v1/providers/${p.id}/dishonesty`, { dishonest: true })).statusCode).toBe(400);
    const listed = await admin.put(`/api/v1/providers/${p.id}/dishonesty`, { dishonest: true, reason: '虚报服务' });
    expect(listed.json()).toMatchObject({ dishonest: true, dishonestReason: '虚报服务' });
    const file = (await admin.get(`/api/v1/credit/organizations/${p.id}`)).json();
    expect(file.organization).toMatchObject({ listed: true, blocked: true });
    expect(file.listings[0]).toMatchObject({ basis: 'decision', reason: '虚报服务', status: 'listed' });
    // Asked again, nothing changes; taken off, the listing is removed with the reason.
    expect((await admin.put(`/api/v1/providers/${p.id}/dishonesty`, { dishonest: true, reason: '再次' })).json()).toMatchObject({
      dishonestReason: '虚报服务',
    });
    const off = await admin.put(`/api/v1/providers/${p.id}/dishonesty`, { dishonest: false, reason: '整改完成' });
    expect(off.json()).toMatchObject({ dishonest: false, dishonestReason: null });
    const after = (await admin.get(`/api/v1/credit/organizations/${p.id}`)).json();
    expect(after.organization).toMatchObject({ listed: false });
    expect(after.listings[0]).toMatchObject({ status: 'removed', removalReason: '整改完成' });
  });
});

describe('a provider manages its own sites, staff and offerings', () => {
  it('within its own organisation only', async () => {
    const p = (await register(makeCreditCode(), '自管服务')).json();
    const other = (await register(makeCreditCode(), '别家服务')).json();
    const pa = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: p.id })).api;

    expect(
      (await pa.put(`/api/v1/providers/${p.id}/areas`, { regionCodes: [TREE.communityA1, '990101009009'] })).statusCode,
    ).toBe(400);
    expect(
      (await pa.put(`/api/v1/providers/${p.id}/areas`, { regionCodes: [TREE.communityA1, TREE.communityA2] })).json().areas,
    ).toHaveLength(2);
    const site = await pa.post(`/api/v1/providers/${p.id}/sites`, {
      name: '甲一服务站',
      regionCode: TREE.communityA1,
      lat: 30.61,
      lng: 104.01,
    });
    expect(site.statusCode).toBe(201);

    const staff = await pa.post(`/api/v1/providers/${p.id}/staff`, {
      username: 'worker-zhao',
      name: '赵敏',
      careLevel: 'intermediate',
      careCertNo: 'HL-2024-001',
      careCertValidUntil: addDays(cstDate(), 400),
      healthCertValidUntil: addDays(cstDate(), 200),
    });
    expect(staff.statusCode).toBe(201);
    expect(staff.json()).toMatchObject({ assignable: true, username: 'worker-zhao' });
    expect(staff.json().initialPassword).toMatch(/.{16}/);
    const phoneAsName = await pa.post(`/api/v1/providers/${p.id}/staff`, { username: '13812340009', name: '钱多' });
    expect(phoneAsName.statusCode).toBe(400);
    expect(phoneAsName.json().errors[0].path).toBe('body.username');
    const noCert = (await pa.post(`/api/v1/providers/${p.id}/staff`, { username: 'worker-qian', name: '钱多' })).json();
    expect(noCert.assignable).toBe(false);
    const renewed = await pa.patch(`/api/v1/providers/${p.id}/staff/${noCert.userId}`, {
      careCertValidUntil: addDays(cstDate(), 100),
      healthCertValidUntil: addDays(cstDate(), 100),
    });
    expect(renewed.json().assignable).toBe(true);
    // The worker's first login must change the password.
    const w = await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'worker-zhao', password: staff.json().initialPassword },
    });
    expect(w.statusCode).toBe(200);

    const items = (await pa.get('/api/v1/service-items')).json().items;
    const cleaning = items.find((i: { code: string }) => i.code === 'cleaning');
    const over = await pa.put(`/api/v1/providers/${p.id}/offerings`, {
      items: [{ itemId: cleaning.id, priceFen: cleaning.ceilingPriceFen + 1 }],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0].path).toBe('body.items.0.priceFen');
    expect(
      (await pa.put(`/api/v1/providers/${p.id}/offerings`, { items: [{ itemId: cleaning.id, priceFen: 3800 }] })).statusCode,
    ).toBe(200);
    const detail = (await pa.get(`/api/v1/providers/${p.id}`)).json();
    expect(detail).toMatchObject({
      areas: [TREE.communityA1, TREE.communityA2],
      staffCount: 2,
      offerings: [{ itemId: cleaning.id, priceFen: 3800 }],
    });

    // Another provider is out of reach (404), and a provider cannot approve itself (403).
    expect((await pa.get(`/api/v1/providers/${other.id}`)).statusCode).toBe(404);
    expect(
      (await pa.post(`/api/v1/providers/${other.id}/sites`, { name: 'x', regionCode: TREE.communityA1, lat: 30, lng: 104 }))
        .statusCode,
    ).toBe(404);
    expect((await pa.post(`/api/v1/providers/${p.id}/approve`, {})).statusCode).toBe(403);
    expect((await pa.get('/api/v1/providers')).json().items.map((x: { id: string }) => x.id)).toEqual([p.id]);
  });
});

describe('catalogue', () => {
  it('holds the GB/T 43153 categories and the seeds items; only the bureau edits it', async () => {
    const items = (await admin.get('/api/v1/service-items')).json().items;
    expect(items.length).toBeGreaterThanOrEqual(22);
    expect(items.find((i: { code: string }) => i.code === 'wardrobe_tidy')).toMatchObject({
      name: '衣橱整理',
      unit: 'hour',
      points: 40,
    });
    expect(new Set(items.map((i: { category: string }) => i.category)).size).toBe(7);
    const pa = (
      await clientAs(s.app, s.ctx, 'provider_admin', { orgId: (await register(makeCreditCode(), '目录测试')).json().id })
    ).api;
    const body = {
      code: 'foot_care',
      category: 'basic_care',
      name: '足部护理',
      unit: 'visit',
      durationMinutes: 45,
      refPriceFen: 3000,
      ceilingPriceFen: 3600,
      points: 30,
    };
    expect((await pa.post('/api/v1/service-items', body)).statusCode).toBe(403);
    expect((await admin.post('/api/v1/service-items', { ...body, ceilingPriceFen: 100 })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/service-items', { ...body, points: 2.5 })).statusCode).toBe(400);
    expect((await admin.post('/api/v1/service-items', body)).statusCode).toBe(201);
    expect((await admin.post('/api/v1/service-items', body)).statusCode).toBe(409);
  });
});
