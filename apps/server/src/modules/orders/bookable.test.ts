import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { users } from '../users/users.schema.ts';

type Api = ReturnType<typeof client>;
type Item = { id: string; code: string; category: string; payment: 'points' | 'purchase' | 'self'; refPriceFen: number };
let s: TestServer;
let admin: Api;
let catalogue: Array<{ id: string; code: string; category: string; refPriceFen: number; points: number }>;
const year = new Date().getUTCFullYear();
let n = 0;

/** An active policy that has granted its elders (the elder's policies are those that granted them). */
async function policy(body: Record<string, unknown>) {
  const created = await admin.post('/api/v1/policies', {
    period: 'year',
    regionCode: TREE.district,
    validFrom: `${year}-01-01`,
    ...body,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await admin.post(`/api/v1/policies/${id}/activate`)).statusCode).toBe(200);
  const run = await admin.post(`/api/v1/policies/${id}/run`, {}, { 'idempotency-key': `bookable-run-${id}` });
  expect(run.statusCode, run.body).toBe(200);
  return created.json();
}

async function elderAccount(id: string) {
  const acc = await createAccount(s.ctx, 'elder');
  await s.ctx.db.update(users).set({ elderId: id }).where(eq(users.id, acc.id));
  return client(s.app, await loginToken(s.app, acc.username));
}

const bookable = async (api: Api, elderId: string) => {
  const r = await api.get(`/api/v1/service-orders/bookable-items?elderId=${elderId}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items as Item[];
};
const byCode = (items: Item[]) => Object.fromEntries(items.map((i) => [i.code, i.payment]));

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  catalogue = (await admin.get('/api/v1/service-items')).json().items;
});
afterAll(() => s.close());

describe("the elder's bookable services follow the elder's policies", () => {
  let covered: (typeof catalogue)[number];
  let singleItem: (typeof catalogue)[number];
  let elderId: string;
  let other: string;

  it('a policy names the categories and items it pays for; unknown items are refused', async () => {
    covered = catalogue.find((i) => i.category === 'daily_care' && i.points > 0) as (typeof catalogue)[number];
    singleItem = catalogue.find((i) => i.category === 'comfort' && i.points > 0) as (typeof catalogue)[number];
    expect(covered && singleItem).toBeTruthy();
    // Two elders of 1930 living alone in community B1 reach both policies; one of 1960 reaches none.
    elderId = (await createElder(s.ctx, TREE.communityB1, { birthDate: `${year - 85}-0${++n}-01`, livingSituation: 'alone' })).id;
    other = (await createElder(s.ctx, TREE.communityB1, { birthDate: `${year - 65}-01-01` })).id;

    const unknown = await admin.post('/api/v1/policies', {
      name: '未知项目',
      kind: 'points_grant',
      amount: 100,
      period: 'year',
      regionCode: TREE.communityB1,
      conditions: { minAge: 80 },
      covers: { categories: [], itemIds: ['00000000-0000-4000-8000-000000000000'] },
      validFrom: `${year}-01-01`,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toMatch(/covers/);
    const badCategory = await admin.post('/api/v1/policies', {
      name: '错误类别',
      kind: 'points_grant',
      amount: 100,
      period: 'year',
      regionCode: TREE.communityB1,
      conditions: { minAge: 80 },
      covers: { categories: ['massage'] },
      validFrom: `${year}-01-01`,
    });
    expect(badCategory.statusCode).toBe(400);

    const points = await policy({
      name: '积分：生活照料和一项心理慰藉',
      kind: 'points_grant',
      amount: 300,
      regionCode: TREE.communityB1,
      conditions: { minAge: 80 },
      covers: { categories: ['daily_care'], itemIds: [singleItem.id] },
    });
    expect(points.covers).toEqual({ categories: ['daily_care'], itemIds: [singleItem.id] });
    await policy({
      name: '购买服务：健康管理',
      kind: 'purchase_credit',
      amount: 10000,
      period: 'month',
      regionCode: TREE.communityB1,
      conditions: { minAge: 80, livingSituations: ['alone'] },
      covers: { categories: ['health'] },
    });
  });

  it('covered items are paid by the policy that covers them, the rest are self-paid; the elder sees the same', async () => {
    const items = await bookable(admin, elderId);
    const pay = byCode(items);
    for (const i of catalogue) {
      const expected =
        i.points > 0 && (i.category === 'daily_care' || i.id === singleItem.id)
          ? 'points'
          : i.category === 'health' && i.refPriceFen > 0
            ? 'purchase'
            : i.refPriceFen > 0
              ? 'self'
              : undefined;
      expect([i.code, pay[i.code]]).toEqual([i.code, expected]);
    }
    // Covered first, then self-paid.
    const order = items.map((i) => i.payment);
    expect(order).toEqual(
      [...order].sort((a, b) => ['points', 'purchase', 'self'].indexOf(a) - ['points', 'purchase', 'self'].indexOf(b)),
    );
    const elder = await elderAccount(elderId);
    expect(byCode(await bookable(elder, elderId))).toEqual(pay);
    // Another elder's list is not the elder's to read.
    expect((await elder.get(`/api/v1/service-orders/bookable-items?elderId=${other}`)).statusCode).toBe(404);
  });

  it('an elder no policy reached books only at own expense; points added by hand pay for any item', async () => {
    expect(new Set((await bookable(admin, other)).map((i) => i.payment))).toEqual(new Set(['self']));
    const credit = await admin.post(
      `/api/v1/wallets/${other}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 300, reason: '社区补录' },
      { 'idempotency-key': `bookable-credit-${other}` },
    );
    expect(credit.statusCode).toBe(201);
    const pay = byCode(await bookable(admin, other));
    for (const i of catalogue.filter((x) => x.points > 0)) expect([i.code, pay[i.code]]).toEqual([i.code, 'points']);
  });

  it('an order is held to the same rule: points or credit for an item no policy covers is refused and writes nothing', async () => {
    const uncovered = catalogue.find(
      (i) =>
        i.points > 0 && i.refPriceFen > 0 && i.category !== 'daily_care' && i.category !== 'health' && i.id !== singleItem.id,
    ) as (typeof catalogue)[number];
    const health = catalogue.find((i) => i.category === 'health' && i.refPriceFen > 0) as (typeof catalogue)[number];
    // The cheapest item the points policy covers (its grant holds fewer points than some items cost).
    const cheapCovered = catalogue
      .filter((i) => i.points > 0 && (i.category === 'daily_care' || i.id === singleItem.id))
      .sort((a, b) => a.points - b.points)[0];
    expect(uncovered && health).toBeTruthy();
    const when = new Date(Date.now() + 26 * 3600_000).toISOString();
    const order = (elder: string, itemId: string, payment?: string) =>
      admin.post('/api/v1/service-orders', { elderId: elder, itemId, scheduledAt: when, ...(payment ? { payment } : {}) });
    const written = async (elder: string) => {
      const [r] = await queryRows<{ orders: number; postings: number }>(
        s.ctx.db,
        sql`SELECT (SELECT count(*)::int FROM service_orders WHERE elder_id = ${elder}) AS orders,
                   (SELECT count(*)::int FROM ledger_transactions WHERE elder_id = ${elder}) AS postings`,
      );
      return r;
    };
    const before = await written(elderId);
    for (const payment of ['points', 'purchase', undefined]) {
      const r = await order(elderId, uncovered.id, payment);
      expect([payment, r.statusCode]).toEqual([payment, 422]);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.json().code).toBe('payment-not-covered');
      expect(r.json().errors).toEqual([expect.objectContaining({ path: 'body.payment' })]);
    }
    expect(await written(elderId)).toEqual(before);
    // What the bookable list offers is what an order may use.
    for (const [itemId, payment] of [
      [uncovered.id, 'self'],
      [cheapCovered.id, 'points'],
    ]) {
      const r = await order(elderId, itemId, payment);
      expect([payment, r.statusCode, r.body]).toEqual([payment, 201, r.body]);
    }
    // A covered item passes the rule and goes to the wallet, which decides: the purchase policy's
    // credit this month (prorated to the days left) may be short of the item's price.
    const fenNow = (await admin.get(`/api/v1/wallets/${elderId}`)).json().purchaseFen.available as number;
    const bought = await order(elderId, health.id, 'purchase');
    if (fenNow >= health.refPriceFen) expect(bought.statusCode, bought.body).toBe(201);
    else expect([bought.statusCode, bought.json().code]).toEqual([409, 'insufficient-balance']);
    // Purchased credit a bureau added by hand pays for any item with a price, as points do.
    expect((await order(other, uncovered.id, 'purchase')).statusCode).toBe(422);
    const fen = await admin.post(
      `/api/v1/wallets/${other}/adjustments`,
      { currency: 'fen', direction: 'credit', amount: 50_000, reason: '社区补录' },
      { 'idempotency-key': `bookable-fen-${other}` },
    );
    expect(fen.statusCode, fen.body).toBe(201);
    expect(byCode(await bookable(admin, other))[uncovered.code]).toBe('points');
    expect((await order(other, uncovered.id, 'purchase')).statusCode).toBe(201);
    expect((await order(other, uncovered.id, 'points')).statusCode).toBe(201);
  });

  it('a policy without a coverage list pays for the whole catalogue; an active policy may change its coverage', async () => {
    const all = await policy({
      name: '全部服务',
      kind: 'points_grant',
      amount: 100,
      regionCode: TREE.communityA1,
      conditions: { minAge: 60 },
    });
    expect(all.covers).toEqual({ categories: [], itemIds: [] });
    const e = (await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 70}-05-01` })).id;
    await admin.post(`/api/v1/policies/${all.id}/run`, {}, { 'idempotency-key': `bookable-rerun-${e}` });
    const pay = byCode(await bookable(admin, e));
    for (const i of catalogue.filter((x) => x.points > 0)) expect(pay[i.code]).toBe('points');
    const narrowed = await admin.patch(`/api/v1/policies/${all.id}`, { covers: { categories: ['visiting'] } });
    expect(narrowed.statusCode, narrowed.body).toBe(200);
    const after = byCode(await bookable(admin, e));
    for (const i of catalogue.filter((x) => x.points > 0))
      expect([i.code, after[i.code]]).toEqual([i.code, i.category === 'visiting' ? 'points' : 'self']);
  });
});
