import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';
import { runGrant } from './policies.service.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>['api'];
const year = new Date().getUTCFullYear();

const wuhou = {
  name: '高龄老人居家养老服务积分',
  kind: 'points_grant',
  amount: 300,
  period: 'year',
  regionCode: TREE.district,
  conditions: { minAge: 80, hukouLocal: true },
  validFrom: `${year - 1}-01-01`,
  expireUnused: true,
};

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  // 6 local 80+ elders, one non-local 85, one 70-year-old, one deceased 90.
  for (let i = 0; i < 6; i++)
    await createElder(s.ctx, i % 2 ? TREE.communityA1 : TREE.communityB1, { birthDate: `${year - 81 - i}-03-01` });
  await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 85}-01-01`, hukouLocal: false });
  await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 70}-01-01` });
  await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 90}-01-01`, status: 'deceased' });
});
afterAll(() => s.close());

const grants = async (policyId: string) => {
  const [r] = await queryRows<{ n: string; total: string }>(
    s.ctx.db,
    sql`SELECT count(*) n, COALESCE(sum(amount),0) total FROM policy_grants WHERE policy_id = ${policyId}`,
  );
  return { n: Number(r.n), total: Number(r.total) };
};

describe('policies as data', () => {
  it('previews how many elders match and the budget before switching on', async () => {
    const res = await admin.post('/api/v1/policies/preview', wuhou);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ matching: 6, unit: 'points', budgetPerPeriod: 1800, budgetPerYear: 1800 });
    const monthly = await admin.post('/api/v1/policies/preview', {
      ...wuhou,
      kind: 'purchase_credit',
      amount: 10000,
      period: 'month',
      conditions: { minAge: 80, livingSituations: ['alone'] },
    });
    expect(monthly.json().matching).toBe(0);
  });

  it('refuses fractional or negative amounts and conditions that reach the deceased', async () => {
    for (const amount of [-300, 12.5, 0])
      expect((await admin.post('/api/v1/policies', { ...wuhou, amount })).statusCode).toBe(400);
    const bad = await admin.post('/api/v1/policies', { ...wuhou, conditions: { statuses: ['deceased'] } });
    expect(bad.statusCode).toBe(400);
    const unknownField = await admin.post('/api/v1/policies', { ...wuhou, conditions: { minAge: 80, shoeSize: 42 } });
    expect(unknownField.statusCode).toBe(400);
  });

  it('grants once per elder per period: a second run pays nothing', async () => {
    const p = (await admin.post('/api/v1/policies', wuhou)).json();
    expect(p.status).toBe('draft');
    expect(
      (await admin.post(`/api/v1/policies/${p.id}/run`, {}, { 'idempotency-key': 'run-before-activate' })).json().granted,
    ).toBe(0);
    expect((await admin.post(`/api/v1/policies/${p.id}/activate`)).statusCode).toBe(200);
    const noKey = await admin.post(`/api/v1/policies/${p.id}/run`, { day: `${year}-01-02` });
    expect(noKey.statusCode).toBe(400);
    const first = await admin.post(`/api/v1/policies/${p.id}/run`, { day: `${year}-01-02` }, { 'idempotency-key': 'run-1-aaaa' });
    expect(first.json()).toMatchObject({ periodKey: String(year), amount: 300, granted: 6 });
    const again = await admin.post(`/api/v1/policies/${p.id}/run`, { day: `${year}-01-03` }, { 'idempotency-key': 'run-2-bbbb' });
    expect(again.json()).toMatchObject({ granted: 0, alreadyGranted: 6 });
    expect(await grants(p.id)).toEqual({ n: 6, total: 1800 });
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('survives a crash half-way: the re-run pays only those not yet paid', async () => {
    const p = (await admin.post('/api/v1/policies', { ...wuhou, name: '崩溃测试', conditions: { minAge: 60 } })).json();
    await admin.post(`/api/v1/policies/${p.id}/activate`);
    await expect(
      runGrant(s.ctx, p.id, {
        day: `${year}-01-05`,
        batchSize: 3,
        onBatch: (n) => {
          if (n === 2) throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect((await grants(p.id)).n).toBe(6); // two batches of 3 committed
    const rerun = await runGrant(s.ctx, p.id, { day: `${year}-01-05`, batchSize: 3 });
    expect(rerun.granted).toBe(2); // the 8 living elders, 6 already paid
    const rerun2 = await runGrant(s.ctx, p.id, { day: `${year}-01-06`, batchSize: 3 });
    expect(rerun2.granted).toBe(0);
    expect(await grants(p.id)).toEqual({ n: 8, total: 2400 });
    const per = await queryRows<{ elder_id: string; n: string }>(
      s.ctx.db,
      sql`SELECT elder_id, count(*) n FROM ledger_transactions WHERE policy_id = ${p.id} AND kind = 'grant' GROUP BY elder_id HAVING count(*) > 1`,
    );
    expect(per).toEqual([]);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('two runs at the same time still pay each elder once', async () => {
    const p = (await admin.post('/api/v1/policies', { ...wuhou, name: '并发测试', conditions: { minAge: 75 } })).json();
    await admin.post(`/api/v1/policies/${p.id}/activate`);
    const [a, b] = await Promise.all([
      runGrant(s.ctx, p.id, { day: `${year}-01-07`, batchSize: 2 }),
      runGrant(s.ctx, p.id, { day: `${year}-01-07`, batchSize: 2 }),
    ]);
    expect(a.granted + b.granted).toBe(7);
    expect((await grants(p.id)).n).toBe(7);
  });

  it('pro-rates elders who become eligible mid-year and expires unused balance at the period end', async () => {
    const p = (
      await admin.post('/api/v1/policies', {
        ...wuhou,
        name: '折算测试',
        regionCode: TREE.streetA,
        conditions: { minAge: 90 },
        validFrom: `${year - 1}-01-01`,
      })
    ).json();
    await admin.post(`/api/v1/policies/${p.id}/activate`);
    // Turned 90 by May of last year: granted in May → 8/12 of 300.
    const e = await createElder(s.ctx, TREE.communityA2, { birthDate: `${year - 91}-04-15` });
    const may = await runGrant(s.ctx, p.id, { day: `${year - 1}-05-10` });
    expect(may).toMatchObject({ periodKey: String(year - 1), amount: 200, granted: 1 });
    // New year: last year's unused 200 expire, then 300 for this year.
    const jan = await runGrant(s.ctx, p.id, { day: `${year}-01-01` });
    expect(jan).toMatchObject({ periodKey: String(year), expired: 200, granted: 1, amount: 300 });
    const w = (await admin.get(`/api/v1/wallets/${e.id}`)).json();
    expect(w.points.available).toBe(300);
    const kinds = (await admin.get(`/api/v1/wallets/${e.id}/entries`))
      .json()
      .items.map((i: { kind: string; amount: number }) => `${i.kind}:${i.amount}`);
    expect(kinds).toEqual(['grant:300', 'expire:-200', 'grant:200']);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('only active, then ended: rules of an active policy cannot be edited', async () => {
    const p = (await admin.post('/api/v1/policies', { ...wuhou, name: '编辑测试' })).json();
    await admin.post(`/api/v1/policies/${p.id}/activate`);
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { amount: 500 })).statusCode).toBe(409);
    expect((await admin.patch(`/api/v1/policies/${p.id}`, { name: '改名' })).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/policies/${p.id}/end`)).json().status).toBe('ended');
    const street = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
    expect((await street.post('/api/v1/policies', wuhou)).statusCode).toBe(403);
  });
});
