import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
