import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { runGrant } from './policies.service.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>['api'];
const year = new Date().getUTCFullYear();

const draft = {
  name: '草稿政策',
  kind: 'points_grant',
  amount: 300,
  period: 'year',
  regionCode: TREE.district,
  conditions: { minAge: 80 },
  validFrom: `${year}-01-01`,
};

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 85}-01-01` });
});
afterAll(() => s.close());

const audits = async (id: string) =>
  s.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetId, id), eq(auditLog.action, 'policy.update')));

describe('editing a policy', () => {
  it('edits every field of a draft, validated and audited', async () => {
    const p = (await admin.post('/api/v1/policies', draft)).json();
    const patch = {
      name: '困难老人政府购买服务',
      kind: 'purchase_credit',
      amount: 20000,
      period: 'month',
      regionCode: TREE.streetA,
      conditions: { categoriesAny: ['dibao'], abilityLevels: ['severe', 'total'] },
      validFrom: `${year}-02-01`,
      validTo: `${year + 1}-01-31`,
      prorate: false,
      expireUnused: false,
    };
    const r = await admin.patch(`/api/v1/policies/${p.id}`, patch);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ...patch, status: 'draft' });
    const [a] = await audits(p.id);
    expect(a.detail).toMatchObject({
      status: 'draft',
      changed: { amount: { from: 300, to: 20000 }, kind: { to: 'purchase_credit' } },
    });

    // Bad input: 4xx and nothing changed.
    for (const bad of [
      { amount: 1.5 },
      { amount: -3 },
      { validTo: `${year}-01-15` }, // before validFrom
      { conditions: { minAge: 90, maxAge: 80 } },
      { period: 'week' },
      { currency: 'points' }, // unknown field
      { regionCode: '510108' }, // outside the caller's district
    ]) {
      const res = await admin.patch(`/api/v1/policies/${p.id}`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await admin.get(`/api/v1/policies/${p.id}`)).json()).toMatchObject(patch);
    expect(await audits(p.id)).toHaveLength(1);
  });

  it('lets an active policy change only its name and end date, never into a granted period', async () => {
    const p = (await admin.post('/api/v1/policies', { ...draft, name: '运行中政策', period: 'month' })).json();
    await admin.post(`/api/v1/policies/${p.id}/activate`);
    const month = cstDate().slice(0, 7);
    expect((await runGrant(s.ctx, p.id)).granted).toBe(1);

    for (const unsafe of [
      { amount: 500 },
      { kind: 'purchase_credit' },
      { conditions: { minAge: 60 } },
      { period: 'year' },
      { validFrom: `${year - 1}-01-01` },
      { prorate: false },
      { expireUnused: false },
      { name: '改名', amount: 1 },
    ]) {
      const res = await admin.patch(`/api/v1/policies/${p.id}`, unsafe);
      expect(res.statusCode, JSON.stringify(unsafe)).toBe(409);
      expect(res.json().detail).toMatch(/active policy/);
    }
    // This month is granted: the policy cannot end inside it.
    const [y, m] = month.split('-').map(Number);
    const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    if (cstDate() < monthEnd) {
      const early = await admin.patch(`/api/v1/policies/${p.id}`, { validTo: cstDate() });
      expect(early.statusCode).toBe(409);
      expect(early.json().detail).toMatch(/already granted/);
    }
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { validTo: `${year - 1}-12-31` })).statusCode).toBe(409);
    expect((await admin.get(`/api/v1/policies/${p.id}`)).json()).toMatchObject({
      amount: 300,
      validTo: null,
      name: '运行中政策',
    });

    const ok = await admin.patch(`/api/v1/policies/${p.id}`, { name: '运行中政策（续）', validTo: monthEnd });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: '运行中政策（续）', validTo: monthEnd, status: 'active' });
    // Later again, and open-ended.
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { validTo: `${year + 2}-12-31` })).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { validTo: null })).json().validTo).toBeNull();
    expect((await audits(p.id)).length).toBe(3);

    // Ended: only the name.
    await admin.post(`/api/v1/policies/${p.id}/end`);
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { validTo: `${year + 3}-01-01` })).statusCode).toBe(409);
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { name: '已结束政策' })).statusCode).toBe(200);
  });
});
