import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { earlierTodayCst } from '../../testing/clock.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { runGrant } from '../policies/policies.service.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api; // district admin
let kitchen: Api; // canteen staff of canteen A (community A1)
let kitchenB: Api; // canteen staff of canteen B (community B1)
let communityA1: Api;
let communityA2: Api;
let streetB: Api;
let canteenA: string;
let canteenB: string;
const dishes: Record<string, string> = {};
let hypertensive: string; // 85, 低保, 高血压, 软食, allergic to 海鲜, community A1
let plain80: string; // 82, no category, community A2
let young: string; // 70, community A1
let outsider: string; // community B1 (not served by canteen A)
let basePolicy: string; // 80+: lunch 5.00, breakfast 2.00, daily cap 6.00, monthly 30.00
let dibaoPolicy: string; // 低保 top-up: lunch 3.00, one meal a day, monthly 20.00
const today = cstDate();
const year = Number(today.slice(0, 4));
let keySeq = 0;
const key = () => `meal-test-${Date.now()}-${++keySeq}`;

const serve = (api: Api, body: unknown, k = key(), canteen = canteenA) =>
  api.post(`/api/v1/canteens/${canteen}/meals`, body, { 'idempotency-key': k });

async function walletFen(elderId: string) {
  const [r] = await queryRows<{ balance: string }>(
    s.ctx.db,
    sql`SELECT balance FROM ledger_accounts WHERE kind = 'elder' AND currency = 'fen' AND owner_id = ${elderId}`,
  );
  return Number(r?.balance ?? 0);
}
async function lot(policyId: string, elderId: string) {
  const [r] = await queryRows<{ remaining: number }>(
    s.ctx.db,
    sql`SELECT remaining FROM policy_grants WHERE policy_id = ${policyId} AND elder_id = ${elderId}`,
  );
  return r === undefined ? undefined : Number(r.remaining);
}
async function count(q: ReturnType<typeof sql>) {
  const [r] = await queryRows<{ n: string }>(s.ctx.db, q);
  return Number(r.n);
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteenA = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  canteenB = (await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂')).id;
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenA })).api;
  kitchenB = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenB })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityA2 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA2 })).api;
  streetB = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  hypertensive = (
    await createElder(s.ctx, TREE.communityA1, {
      name: '张秀英',
      birthDate: `${year - 85}-03-01`,
      categories: ['dibao'],
      chronicConditions: ['高血压'],
      dietRestrictions: ['软食'],
      allergies: ['海鲜'],
    })
  ).id;
  plain80 = (await createElder(s.ctx, TREE.communityA2, { name: '李国华', birthDate: `${year - 82}-06-01` })).id;
  young = (await createElder(s.ctx, TREE.communityA1, { name: '王建国', birthDate: `${year - 70}-01-01` })).id;
  outsider = (await createElder(s.ctx, TREE.communityB1, { name: '赵桂兰', birthDate: `${year - 88}-01-01` })).id;
});
afterAll(() => s.close());

describe('canteen profile (食堂档案)', () => {
  it('canteen staff set their own profile; the communities decide whose elders they serve', async () => {
    const res = await kitchen.put(`/api/v1/canteens/${canteenA}/profile`, {
      address: '甲一社区服务中心一楼',
      communities: [TREE.communityA1, TREE.communityA2],
      openTime: '06:30',
      closeTime: '19:30',
      mealPeriods: [
        { period: 'lunch', start: '10:30', end: '13:00' },
        { period: 'breakfast', start: '06:30', end: '09:00' },
        { period: 'dinner', start: '16:30', end: '18:30' },
      ],
      capacity: 60,
      deliveryCommunities: [TREE.communityA1],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: canteenA,
      profiled: true,
      capacity: 60,
      communities: [TREE.communityA1, TREE.communityA2],
      mealPeriods: [{ period: 'breakfast' }, { period: 'lunch' }, { period: 'dinner' }],
    });
    const audit = await count(sql`SELECT count(*) n FROM audit_log WHERE action = 'canteen.profile' AND target_id = ${canteenA}`);
    expect(audit).toBe(1);
  });

  it('refuses a bad profile with the field named, never a 500', async () => {
    const bad = [
      { mealPeriods: [{ period: 'lunch', start: '13:00', end: '11:00' }] },
      {
        mealPeriods: [
          { period: 'lunch', start: '11:00', end: '12:00' },
          { period: 'lunch', start: '12:00', end: '13:00' },
        ],
      },
      { communities: ['990101009009'] },
      { openTime: '25:00' },
      { capacity: -1 },
      { unknown: true },
    ];
    for (const body of bad) {
      const res = await kitchen.put(`/api/v1/canteens/${canteenA}/profile`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('each sees the canteens of their reach; another canteen or region is a 404', async () => {
    const names = async (api: Api) => (await api.get('/api/v1/canteens')).json().items.map((c: { id: string }) => c.id);
    expect(await names(kitchen)).toEqual([canteenA]);
    expect(await names(kitchenB)).toEqual([canteenB]);
    expect(await names(communityA1)).toEqual([canteenA]);
    // A2 has no canteen of its own, but canteen A serves it.
    expect(await names(communityA2)).toEqual([canteenA]);
    expect(await names(streetB)).toEqual([canteenB]);
    expect((await names(bureau)).sort()).toEqual([canteenA, canteenB].sort());
    expect((await kitchen.get(`/api/v1/canteens/${canteenB}`)).statusCode).toBe(404);
    expect((await streetB.get(`/api/v1/canteens/${canteenA}`)).statusCode).toBe(404);
    expect((await kitchenB.put(`/api/v1/canteens/${canteenA}/profile`, {})).statusCode).toBe(404);
    expect((await communityA1.put(`/api/v1/canteens/${canteenA}/profile`, {})).statusCode).toBe(403);
    const b = await bureau.get(`/api/v1/canteens/${canteenB}`);
    expect(b.json()).toMatchObject({ profiled: false, communities: [], mealPeriods: [] });
  });
});

describe('dishes, menus and recommendations', () => {
  it('adds dishes with health tags and allergens and sets the day’s menus', async () => {
    const add = [
      { name: '清蒸鲈鱼', category: 'meat', priceFen: 1200, healthTags: ['low_salt', 'low_fat'], allergens: ['fish'] },
      { name: '白灼虾', category: 'meat', priceFen: 1500, healthTags: ['low_fat'], allergens: ['shellfish'] },
      { name: '清炒时蔬', category: 'vegetable', priceFen: 600, healthTags: ['low_salt', 'low_fat', 'vegetarian'] },
      { name: '红烧肉', category: 'meat', priceFen: 1000 },
      { name: '南瓜小米粥', category: 'porridge', priceFen: 300, healthTags: ['soft', 'low_salt'] },
      { name: '米饭', category: 'staple', priceFen: 100 },
    ];
    for (const d of add) {
      const res = await kitchen.post(`/api/v1/canteens/${canteenA}/dishes`, d);
      expect(res.statusCode, res.body).toBe(201);
      dishes[d.name] = res.json().id;
    }
    const dup = await kitchen.post(`/api/v1/canteens/${canteenA}/dishes`, add[0]);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('duplicate');
    expect(
      (await kitchen.post(`/api/v1/canteens/${canteenA}/dishes`, { ...add[0], name: '鱼', healthTags: ['salty'] })).statusCode,
    ).toBe(400);
    expect((await kitchenB.post(`/api/v1/canteens/${canteenA}/dishes`, { ...add[0], name: '鱼' })).statusCode).toBe(404);

    const lunch = await kitchen.put(`/api/v1/canteens/${canteenA}/menus/${today}/lunch`, {
      items: ['清蒸鲈鱼', '白灼虾', '清炒时蔬', '红烧肉', '米饭'].map((n) => ({ dishId: dishes[n] })),
    });
    expect(lunch.statusCode, lunch.body).toBe(200);
    expect(lunch.json().items.map((i: { name: string }) => i.name)).toEqual(['清蒸鲈鱼', '白灼虾', '清炒时蔬', '红烧肉', '米饭']);
    const breakfast = await kitchen.put(`/api/v1/canteens/${canteenA}/menus/${today}/breakfast`, {
      items: [{ dishId: dishes.南瓜小米粥, priceFen: 250 }],
    });
    expect(breakfast.json().items[0]).toMatchObject({ name: '南瓜小米粥', priceFen: 300, menuPriceFen: 250 });
    const other = await kitchenB.post(`/api/v1/canteens/${canteenB}/dishes`, { name: '面条', category: 'staple', priceFen: 500 });
    const foreign = await kitchen.put(`/api/v1/canteens/${canteenA}/menus/${today}/dinner`, {
      items: [{ dishId: other.json().id }],
    });
    expect(foreign.statusCode).toBe(400);
    const week = await communityA1.get(`/api/v1/canteens/${canteenA}/menus?from=${today}&to=${addDays(today, 6)}`);
    expect(
      week
        .json()
        .items.map((m: { period: string }) => m.period)
        .sort(),
    ).toEqual(['breakfast', 'lunch']);
    expect((await communityA1.get(`/api/v1/canteens/${canteenA}/menus?from=${today}&to=${addDays(today, 40)}`)).statusCode).toBe(
      400,
    );
  });

  it('recommends from the archive: 高血压 → 低盐, allergens never recommended and shown as warnings', async () => {
    const res = await kitchen.get(`/api/v1/canteens/${canteenA}/recommendations?elderId=${hypertensive}&period=lunch`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ elderName: '张秀英', period: 'lunch', day: today });
    const byName = Object.fromEntries(r.items.map((i: { name: string }) => [i.name, i]));
    expect(byName.清蒸鲈鱼).toMatchObject({ recommended: false, warnings: ['含鱼，老人对海鲜过敏'] });
    expect(byName.白灼虾).toMatchObject({ recommended: false, warnings: ['含虾蟹贝类，老人对海鲜过敏'] });
    expect(byName.清炒时蔬.recommended).toBe(true);
    expect(byName.清炒时蔬.reason).toContain('高血压宜低盐');
    expect(byName.红烧肉.recommended).toBe(false);
    // Recommended first; every item explained in one line.
    const firstNot = r.items.findIndex((i: { recommended: boolean }) => !i.recommended);
    expect(r.items.slice(firstNot).every((i: { recommended: boolean }) => !i.recommended)).toBe(true);
    for (const i of r.items) expect(i.reason).not.toMatch(/\n/);
    const read = await count(
      sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.recommend' AND target_id = ${hypertensive}`,
    );
    expect(read).toBe(1);
  });

  it('an elder outside the canteen’s communities, or another canteen, is a 404', async () => {
    expect((await kitchen.get(`/api/v1/canteens/${canteenA}/recommendations?elderId=${outsider}`)).statusCode).toBe(404);
    expect((await kitchenB.get(`/api/v1/canteens/${canteenA}/recommendations?elderId=${hypertensive}`)).statusCode).toBe(404);
    expect((await communityA1.get(`/api/v1/canteens/${canteenA}/recommendations?elderId=${hypertensive}`)).statusCode).toBe(403);
  });
});

describe('meal checkout with the subsidy per policy', () => {
  beforeAll(async () => {
    const mk = async (body: Record<string, unknown>, rule: Record<string, unknown>) => {
      const p = await bureau.post('/api/v1/policies', {
        kind: 'purchase_credit',
        period: 'month',
        regionCode: TREE.district,
        validFrom: `${year - 1}-01-01`,
        prorate: false,
        ...body,
      });
      expect(p.statusCode, p.body).toBe(201);
      const id = p.json().id;
      expect((await bureau.post(`/api/v1/policies/${id}/activate`)).statusCode).toBe(200);
      const r = await bureau.put(`/api/v1/meal-subsidy-rules/${id}`, rule);
      expect(r.statusCode, r.body).toBe(200);
      await runGrant(s.ctx, id);
      return id;
    };
    basePolicy = await mk(
      { name: '80岁以上老人助餐补贴', amount: 3000, conditions: { minAge: 80 } },
      { perMealFen: { breakfast: 200, lunch: 500 }, dailyCapFen: 600 },
    );
    dibaoPolicy = await mk(
      { name: '低保老人助餐补贴', amount: 2000, conditions: { categoriesAny: ['dibao'] } },
      { perMealFen: { lunch: 300 }, dailyMeals: 1 },
    );
  });

  it('the rules read back with their policy: monthly cap, who, per meal, daily caps', async () => {
    // Like the policies themselves: the bureau's district policies are read at the district.
    const res = await bureau.get('/api/v1/meal-subsidy-rules');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          policyId: basePolicy,
          monthlyCapFen: 3000,
          perMealFen: { breakfast: 200, lunch: 500 },
          dailyCapFen: 600,
        }),
        expect.objectContaining({ policyId: dibaoPolicy, monthlyCapFen: 2000, dailyMeals: 1, dailyCapFen: null }),
      ]),
    );
    const points = await bureau.post('/api/v1/policies', {
      name: '积分',
      kind: 'points_grant',
      amount: 300,
      period: 'year',
      regionCode: TREE.district,
      conditions: {},
      validFrom: `${year}-01-01`,
    });
    expect((await bureau.put(`/api/v1/meal-subsidy-rules/${points.json().id}`, { perMealFen: { lunch: 100 } })).statusCode).toBe(
      422,
    );
    expect((await bureau.put(`/api/v1/meal-subsidy-rules/${basePolicy}`, { perMealFen: {} })).statusCode).toBe(422);
    expect((await communityA1.put(`/api/v1/meal-subsidy-rules/${basePolicy}`, { perMealFen: { lunch: 1 } })).statusCode).toBe(
      403,
    );
  });

  it('pays each policy’s part from its lot, within the daily caps; the elder pays the rest', async () => {
    expect(await walletFen(hypertensive)).toBe(5000);
    const first = await serve(kitchen, {
      elderId: hypertensive,
      period: 'lunch',
      items: [{ dishId: dishes.清炒时蔬 }, { dishId: dishes.米饭, qty: 2 }],
      payMethod: 'mobile',
    });
    expect(first.statusCode, first.body).toBe(201);
    const m = first.json();
    expect(m).toMatchObject({
      totalFen: 800,
      subsidyFen: 800,
      selfPayFen: 0,
      payMethod: 'none',
      status: 'served',
      period: 'lunch',
    });
    expect(m.ticketNo).toMatch(/^L\d{3}$/);
    expect(m.subsidies).toEqual([
      { policyId: basePolicy, policyName: '80岁以上老人助餐补贴', amountFen: 500 },
      { policyId: dibaoPolicy, policyName: '低保老人助餐补贴', amountFen: 300 },
    ]);
    expect(await walletFen(hypertensive)).toBe(4200);
    expect(await lot(basePolicy, hypertensive)).toBe(2500);
    expect(await lot(dibaoPolicy, hypertensive)).toBe(1700);

    // Second lunch: the base policy has 1.00 left of its 6.00 day, the 低保 top-up one meal a day.
    const second = await serve(kitchen, {
      elderId: hypertensive,
      period: 'lunch',
      items: [{ dishId: dishes.红烧肉 }],
      payMethod: 'cash',
    });
    expect(second.json()).toMatchObject({ totalFen: 1000, subsidyFen: 100, selfPayFen: 900, payMethod: 'cash' });
    expect(await lot(basePolicy, hypertensive)).toBe(2400);

    const breakfast = await serve(kitchen, { elderId: plain80, period: 'breakfast', items: [{ dishId: dishes.南瓜小米粥 }] });
    expect(breakfast.json()).toMatchObject({ totalFen: 250, subsidyFen: 200, selfPayFen: 50, payMethod: 'cash' });
    expect(await lot(dibaoPolicy, plain80)).toBeUndefined(); // not 低保: no lot, no top-up

    const none = await serve(kitchen, {
      elderId: young,
      period: 'lunch',
      items: [{ dishId: dishes.米饭 }],
      payMethod: 'mobile',
    });
    expect(none.json()).toMatchObject({ subsidyFen: 0, selfPayFen: 100, payMethod: 'mobile', subsidies: [] });
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);

    const events = await count(sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.serve'`);
    expect(events).toBe(4);
  });

  it('refuses what is not on the menu, an elder out of reach, no key; never a 500', async () => {
    const notOnMenu = await serve(kitchen, { elderId: plain80, period: 'dinner', items: [{ dishId: dishes.米饭 }] });
    expect(notOnMenu.statusCode).toBe(400);
    expect(notOnMenu.json().errors[0].path).toBe('body.items.0.dishId');
    expect((await serve(kitchen, { elderId: outsider, period: 'lunch', items: [{ dishId: dishes.米饭 }] })).statusCode).toBe(400);
    const noKey = await kitchen.post(`/api/v1/canteens/${canteenA}/meals`, {
      elderId: plain80,
      period: 'lunch',
      items: [{ dishId: dishes.米饭 }],
    });
    expect(noKey.statusCode).toBe(400);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect(
      (await serve(kitchen, { elderId: plain80, period: 'lunch', eatenAt: future, items: [{ dishId: dishes.米饭 }] })).statusCode,
    ).toBe(400);
    expect((await serve(kitchenB, { elderId: plain80, period: 'lunch', items: [{ dishId: dishes.米饭 }] })).statusCode).toBe(404);
    expect((await serve(communityA1, { elderId: plain80, period: 'lunch', items: [{ dishId: dishes.米饭 }] })).statusCode).toBe(
      403,
    );
  });

  it('a retried or replayed meal with the same key is counted once, also when the retries race', async () => {
    const body = { elderId: plain80, period: 'lunch', items: [{ dishId: dishes.清炒时蔬 }] };
    const k = key();
    const before = await walletFen(plain80);
    const first = await serve(kitchen, body, k);
    expect(first.statusCode, first.body).toBe(201);
    const retry = await serve(kitchen, body, k);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    // A second kiosk account of the same canteen replaying the offline queue: the same meal.
    const otherKiosk = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenA })).api;
    expect((await serve(otherKiosk, body, k)).json().id).toBe(first.json().id);
    const reused = await serve(kitchen, { ...body, items: [{ dishId: dishes.米饭 }] }, k);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency-key-reused');

    // Eight tries of one new meal at once.
    const raceKey = key();
    const raced = await Promise.all(Array.from({ length: 8 }, () => serve(kitchen, body, raceKey)));
    for (const r of raced) expect(r.statusCode, r.body).toBe(201);
    expect(new Set(raced.map((r) => r.json().id)).size).toBe(1);
    const mealId = raced[0].json().id;
    expect(await count(sql`SELECT count(*) n FROM meals WHERE idempotency_key = ${raceKey}`)).toBe(1);
    expect(await count(sql`SELECT count(*) n FROM ledger_transactions WHERE order_id = ${mealId}`)).toBe(
      raced[0].json().subsidyFen > 0 ? 1 : 0,
    );
    expect(await count(sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.serve' AND target_id = ${mealId}`)).toBe(1);
    // After a 2.00 breakfast the 6.00 day leaves 4.00 for the first lunch and nothing for the second.
    expect(first.json().subsidyFen).toBe(400);
    expect(raced[0].json().subsidyFen).toBe(0);
    expect(before - (await walletFen(plain80))).toBe(400);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('meal lots are left to meals: a wallet correction does not draw on them', async () => {
    const [base, dibao] = [await lot(basePolicy, hypertensive), await lot(dibaoPolicy, hypertensive)];
    const res = await bureau.post(
      `/api/v1/wallets/${hypertensive}/adjustments`,
      { currency: 'fen', direction: 'debit', amount: 100, reason: '更正' },
      { 'idempotency-key': key() },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect([await lot(basePolicy, hypertensive), await lot(dibaoPolicy, hypertensive)]).toEqual([base, dibao]);
    const back = await bureau.post(
      `/api/v1/wallets/${hypertensive}/adjustments`,
      { currency: 'fen', direction: 'credit', amount: 100, reason: '更正' },
      { 'idempotency-key': key() },
    );
    expect(back.statusCode, back.body).toBe(201);
  });

  it('an offline meal keeps its original time', async () => {
    const eatenAt = earlierTodayCst(5 * 60_000).toISOString();
    const res = await serve(kitchen, {
      elderId: young,
      period: 'lunch',
      eatenAt,
      items: [{ dishId: dishes.米饭 }],
      payMethod: 'cash',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().eatenAt).toBe(eatenAt);
  });
});

describe('refund (退餐)', () => {
  it('same day, with a reason, by the canteen: the ledger and the lots are reversed exactly', async () => {
    const list = await kitchen.get(`/api/v1/meals?elderId=${hypertensive}&day=${today}`);
    expect(list.json().total).toBe(2);
    const meal = list.json().items.find((m: { subsidyFen: number }) => m.subsidyFen === 800);
    const wallet = await walletFen(hypertensive);
    const [base, dibao] = [await lot(basePolicy, hypertensive), await lot(dibaoPolicy, hypertensive)];
    expect((await kitchen.post(`/api/v1/meals/${meal.id}/refund`, { reason: '' })).statusCode).toBe(400);
    expect((await kitchenB.post(`/api/v1/meals/${meal.id}/refund`, { reason: '菜品有误' })).statusCode).toBe(404);
    expect((await communityA1.post(`/api/v1/meals/${meal.id}/refund`, { reason: '菜品有误' })).statusCode).toBe(403);
    const res = await kitchen.post(`/api/v1/meals/${meal.id}/refund`, { reason: '菜品有误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'refunded', refundReason: '菜品有误' });
    expect(await walletFen(hypertensive)).toBe(wallet + 800);
    expect(await lot(basePolicy, hypertensive)).toBe((base as number) + 500);
    expect(await lot(dibaoPolicy, hypertensive)).toBe((dibao as number) + 300);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
    expect(await count(sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.refund' AND target_id = ${meal.id}`)).toBe(1);
    const again = await kitchen.post(`/api/v1/meals/${meal.id}/refund`, { reason: '菜品有误' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already-handled');
    // The day's caps are free again: the 低保 top-up pays a lunch once more.
    const lunch = await serve(kitchen, { elderId: hypertensive, period: 'lunch', items: [{ dishId: dishes.清炒时蔬 }] });
    expect(lunch.json().subsidies.map((p: { policyId: string }) => p.policyId)).toContain(dibaoPolicy);
  });

  it('meals and refunds show on the elder’s 360° timeline', async () => {
    const tl = await communityA1.get(`/api/v1/elders/${hypertensive}/timeline`);
    expect(tl.statusCode, tl.body).toBe(200);
    const titles: string[] = tl
      .json()
      .items.filter((e: { source: string }) => e.source === 'meals')
      .map((e: { title: string }) => e.title);
    expect(titles).toContain('长寿食堂就餐：甲一社区长寿食堂 午餐 8.00 元（补贴 8.00 元）');
    expect(titles).toContain('助餐退餐：甲一社区长寿食堂 午餐（菜品有误）');
  });

  it('a meal of an earlier day is not refunded', async () => {
    await s.ctx.db.execute(sql`UPDATE meals SET day = ${addDays(today, -1)} WHERE elder_id = ${young} AND subsidy_fen = 0`);
    const [m] = await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM meals WHERE elder_id = ${young} LIMIT 1`);
    const res = await kitchen.post(`/api/v1/meals/${m.id}/refund`, { reason: '补退' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('invalid-state');
  });

  it('scope: community staff read their elders’ meals; other regions and canteens get a 404', async () => {
    const mine = await communityA2.get('/api/v1/meals');
    expect(mine.json().items.every((m: { elderId: string }) => m.elderId === plain80)).toBe(true);
    expect(mine.json().total).toBeGreaterThan(0);
    const anyA1 = (await kitchen.get(`/api/v1/meals?elderId=${hypertensive}`)).json().items[0].id;
    expect((await communityA2.get(`/api/v1/meals/${anyA1}`)).statusCode).toBe(404);
    expect((await kitchenB.get(`/api/v1/meals/${anyA1}`)).statusCode).toBe(404);
    expect((await streetB.get(`/api/v1/meals/${anyA1}`)).statusCode).toBe(404);
    expect((await communityA1.get(`/api/v1/meals/${anyA1}`)).statusCode).toBe(200);
  });
});

describe('closed ledger periods', () => {
  it('a meal dated in a closed month is refused and nothing is recorded', async () => {
    const month = today.slice(0, 7);
    await s.ctx.db.execute(sql`INSERT INTO ledger_closed_periods (period) VALUES (${month})`);
    try {
      const k = key();
      const res = await serve(kitchen, { elderId: plain80, period: 'lunch', items: [{ dishId: dishes.米饭 }] }, k);
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('closed-period');
      expect(await count(sql`SELECT count(*) n FROM meals WHERE idempotency_key = ${k}`)).toBe(0);
    } finally {
      await s.ctx.db.execute(sql`DELETE FROM ledger_closed_periods WHERE period = ${month}`);
    }
  });
});

describe('statistics (助餐统计)', () => {
  type M = {
    elderId: string;
    status: string;
    subsidyFen: number;
    selfPayFen: number;
    items: Array<{ name: string; qty: number }>;
  };
  const sums = (ms: M[]) => {
    const served = ms.filter((m) => m.status === 'served');
    return {
      meals: served.length,
      subsidyFen: served.reduce((a, m) => a + m.subsidyFen, 0),
      selfPayFen: served.reduce((a, m) => a + m.selfPayFen, 0),
      eldersServed: new Set(served.map((m) => m.elderId)).size,
      refunded: ms.length - served.length,
    };
  };

  it('meals, subsidy and elders per day per canteen, and the top dishes, agree with the meals themselves', async () => {
    const all: M[] = (await kitchen.get(`/api/v1/meals?day=${today}&limit=200`)).json().items;
    // Today only: an earlier test moved two meals to yesterday.
    const res = await kitchen.get(`/api/v1/meal-stats?from=${today}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const st = res.json();
    expect(st.totals).toEqual(sums(all));
    expect(st.perDay).toEqual([
      {
        day: today,
        canteenId: canteenA,
        canteenName: '甲一社区长寿食堂',
        meals: st.totals.meals,
        subsidyFen: st.totals.subsidyFen,
        selfPayFen: st.totals.selfPayFen,
      },
    ]);
    const expected = new Map<string, number>();
    for (const m of all.filter((x) => x.status === 'served'))
      for (const i of m.items) expected.set(i.name, (expected.get(i.name) ?? 0) + i.qty);
    expect(st.topDishes.length).toBe(expected.size);
    for (const d of st.topDishes) expect(d.servings).toBe(expected.get(d.name));
    const servings = st.topDishes.map((d: { servings: number }) => d.servings);
    expect(servings).toEqual([...servings].sort((a, b) => b - a));
  });

  it('community staff count their elders’ meals; another canteen or a bad range is refused', async () => {
    const mine: M[] = (await communityA2.get('/api/v1/meals?limit=200')).json().items;
    const st = (await communityA2.get(`/api/v1/meal-stats?from=${today}&to=${today}`)).json();
    expect(st.totals).toEqual(sums(mine));
    expect(st.totals.eldersServed).toBe(1);
    expect((await kitchenB.get(`/api/v1/meal-stats?from=${today}&to=${today}&canteenId=${canteenA}`)).statusCode).toBe(404);
    expect((await kitchen.get(`/api/v1/meal-stats?from=${today}&to=${addDays(today, -1)}`)).statusCode).toBe(400);
    expect((await bureau.get(`/api/v1/meal-stats?from=${addDays(today, -400)}&to=${today}`)).statusCode).toBe(400);
    const empty = (await kitchenB.get(`/api/v1/meal-stats?from=${today}&to=${today}`)).json();
    expect(empty.totals).toEqual({ meals: 0, subsidyFen: 0, selfPayFen: 0, eldersServed: 0, refunded: 0 });
  });
});
