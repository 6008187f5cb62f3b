import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { runGrant } from '../policies/policies.service.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let kitchen: Api;
let kitchenB: Api;
let communityA1: Api;
let streetB: Api;
let canteen: string;
let elderId: string;
let dishId: string;
const today = cstDate();
const thisMonth = today.slice(0, 7);
// The last day of last month: at most 31 days back, within the kiosk's offline window.
const lastDay = addDays(`${thisMonth}-01`, -1);
const lastMonth = lastDay.slice(0, 7);
const eatenAt = `${lastDay}T12:00:00+08:00`;
let statement: string;

async function balance(kind: string, owner: string | null) {
  const [r] = await queryRows<{ b: string }>(
    s.ctx.db,
    sql`SELECT COALESCE(sum(balance), 0) b FROM ledger_accounts WHERE kind = ${kind} AND currency = 'fen'
        AND owner_id IS NOT DISTINCT FROM ${owner}::uuid`,
  );
  return Number(r.b);
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  const canteenB = (await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂')).id;
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteen })).api;
  kitchenB = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenB })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  streetB = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  const year = Number(today.slice(0, 4));
  elderId = (await createElder(s.ctx, TREE.communityA1, { name: '陈玉兰', birthDate: `${year - 86}-02-01` })).id;
  expect((await kitchen.put(`/api/v1/canteens/${canteen}/profile`, { communities: [TREE.communityA1] })).statusCode).toBe(200);
  dishId = (
    await kitchen.post(`/api/v1/canteens/${canteen}/dishes`, { name: '午餐套餐', category: 'set_meal', priceFen: 1200 })
  ).json().id;
  expect((await kitchen.put(`/api/v1/canteens/${canteen}/menus/${lastDay}/lunch`, { items: [{ dishId }] })).statusCode).toBe(200);
  const p = await bureau.post('/api/v1/policies', {
    name: '高龄助餐补贴',
    kind: 'purchase_credit',
    amount: 3000,
    period: 'month',
    regionCode: TREE.district,
    conditions: { minAge: 80 },
    validFrom: `${year - 1}-01-01`,
    prorate: false,
  });
  await bureau.post(`/api/v1/policies/${p.json().id}/activate`);
  await bureau.put(`/api/v1/meal-subsidy-rules/${p.json().id}`, { perMealFen: { lunch: 500 } });
  await runGrant(s.ctx, p.json().id, { day: lastDay });
  // Two lunches on the last day of last month, sent by a kiosk that was offline.
  for (const k of ['settle-meal-1', 'settle-meal-2']) {
    const m = await kitchen.post(
      `/api/v1/canteens/${canteen}/meals`,
      { elderId, period: 'lunch', eatenAt, items: [{ dishId }], payMethod: 'cash' },
      { 'idempotency-key': k },
    );
    expect(m.statusCode, m.body).toBe(201);
    expect(m.json()).toMatchObject({ day: lastDay, subsidyFen: 500, selfPayFen: 700 });
  }
});
afterAll(() => s.close());

describe('monthly canteen settlement (食堂月结)', () => {
  it('the bureau draws up a finished month: meals, subsidy, each policy’s part', async () => {
    const open = await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: thisMonth });
    expect(open.statusCode).toBe(422);
    expect(open.json().code).toBe('period-open');
    const res = await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'draft',
      period: lastMonth,
      canteenName: '甲一社区长寿食堂',
      mealCount: 2,
      subsidyFen: 1000,
      selfPayFen: 1400,
      policyParts: [expect.objectContaining({ policyName: '高龄助餐补贴', meals: 2, amountFen: 1000 })],
    });
    statement = res.json().id;
    // A draft can be drawn up again: the same statement.
    expect((await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth })).json().id).toBe(
      statement,
    );
    expect((await kitchen.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth })).statusCode).toBe(403);
  });

  it('each sees the statements of their reach', async () => {
    expect((await kitchen.get('/api/v1/canteen-settlements')).json().total).toBe(1);
    expect((await communityA1.get(`/api/v1/canteen-settlements/${statement}`)).statusCode).toBe(200);
    expect((await kitchenB.get(`/api/v1/canteen-settlements/${statement}`)).statusCode).toBe(404);
    expect((await streetB.get(`/api/v1/canteen-settlements/${statement}`)).statusCode).toBe(404);
    const x = await kitchen.get(`/api/v1/canteen-settlements/${statement}/export`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(x.rawPayload.length).toBeGreaterThan(1000);
  });

  it('the canteen confirms, the bureau approves: the subsidy is paid out and the month closed', async () => {
    const early = await bureau.post(`/api/v1/canteen-settlements/${statement}/approve`);
    expect(early.statusCode).toBe(409);
    expect((await bureau.post(`/api/v1/canteen-settlements/${statement}/confirm`)).statusCode).toBe(404);
    expect((await kitchenB.post(`/api/v1/canteen-settlements/${statement}/confirm`)).statusCode).toBe(404);
    const c = await kitchen.post(`/api/v1/canteen-settlements/${statement}/confirm`);
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().status).toBe('confirmed');
    expect((await bureau.post('/api/v1/canteen-settlements', { canteenId: canteen, period: lastMonth })).statusCode).toBe(409);
    expect((await kitchen.post(`/api/v1/canteen-settlements/${statement}/approve`)).statusCode).toBe(403);
    const payoutBefore = await balance('payout', null);
    expect(await balance('provider', canteen)).toBe(1000);
    const a = await bureau.post(`/api/v1/canteen-settlements/${statement}/approve`);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().status).toBe('approved');
    expect(await balance('provider', canteen)).toBe(0);
    expect((await balance('payout', null)) - payoutBefore).toBe(1000);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
    const late = await kitchen.post(
      `/api/v1/canteens/${canteen}/meals`,
      { elderId, period: 'lunch', eatenAt, items: [{ dishId }] },
      { 'idempotency-key': 'settle-meal-late' },
    );
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('closed-period');
    const audits = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${statement} ORDER BY at`,
    );
    expect(audits.map((r) => r.action)).toEqual([
      'canteen.settlement.draw-up',
      'canteen.settlement.draw-up',
      'canteen.settlement.confirm',
      'canteen.settlement.approve',
    ]);
  });
});
