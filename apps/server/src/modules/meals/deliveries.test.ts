import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { runGrant } from '../policies/policies.service.ts';
import { users } from '../users/users.schema.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let operator: Api;
let family: Api;
let kitchen: Api;
let kitchenB: Api;
let communityA2: Api;
let communityB1: Api;
let canteen: string;
let canteenB: string;
let elderId: string;
let neighbourId: string;
let dishId: string;
let todayLunch: string;
let tomorrowLunch: string;
const today = cstDate();
const tomorrow = addDays(today, 1);
const year = Number(today.slice(0, 4));

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  canteenB = (await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂')).id;
  const bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteen })).api;
  kitchenB = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenB })).api;
  communityA2 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA2 })).api;
  communityB1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  elderId = (
    await createElder(s.ctx, TREE.communityA2, {
      name: '孙淑芬',
      birthDate: `${year - 88}-04-01`,
      lat: 30.6,
      lng: 104.0,
      address: '甲二社区3栋',
    })
  ).id;
  neighbourId = (
    await createElder(s.ctx, TREE.communityA2, { name: '周德明', birthDate: `${year - 75}-04-01`, lat: 30.6, lng: 104.0 })
  ).id;
  const fam = await clientAs(s.app, s.ctx, 'family');
  await s.ctx.db.update(users).set({ elderId }).where(eq(users.id, fam.account.id));
  family = fam.api;
  await kitchen.put(`/api/v1/canteens/${canteen}/profile`, {
    communities: [TREE.communityA1],
    deliveryCommunities: [TREE.communityA2],
  });
  await kitchenB.put(`/api/v1/canteens/${canteenB}/profile`, {
    communities: [TREE.communityB1],
    deliveryCommunities: [TREE.communityB1],
  });
  dishId = (
    await kitchen.post(`/api/v1/canteens/${canteen}/dishes`, { name: '软烂午餐', category: 'set_meal', priceFen: 1200 })
  ).json().id;
  for (const [day, period] of [
    [today, 'lunch'],
    [today, 'dinner'],
    [tomorrow, 'lunch'],
  ])
    expect((await kitchen.put(`/api/v1/canteens/${canteen}/menus/${day}/${period}`, { items: [{ dishId }] })).statusCode).toBe(
      200,
    );
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
  await bureau.put(`/api/v1/meal-subsidy-rules/${p.json().id}`, { perMealFen: { lunch: 500, dinner: 300 } });
  await runGrant(s.ctx, p.json().id);
});
afterAll(() => s.close());

describe('meal delivery (送餐入户)', () => {
  it('the call centre and the family book from the day’s menu at a canteen that delivers there', async () => {
    const byPhone = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: today,
      period: 'lunch',
      items: [{ dishId }],
      note: '腿脚不便，请敲门',
    });
    expect(byPhone.statusCode, byPhone.body).toBe(201);
    expect(byPhone.json()).toMatchObject({
      status: 'booked',
      bookedVia: 'operator',
      elderName: '孙淑芬',
      address: '甲二社区3栋',
    });
    todayLunch = byPhone.json().id;
    const twice = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: today,
      period: 'lunch',
      items: [{ dishId }],
    });
    expect(twice.statusCode).toBe(409);
    const byFamily = await family.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId }],
    });
    expect(byFamily.statusCode, byFamily.body).toBe(201);
    expect(byFamily.json().bookedVia).toBe('family');
    tomorrowLunch = byFamily.json().id;
  });

  it('refuses a canteen that does not deliver there, an elder out of reach, a day without that dish', async () => {
    const body = { elderId, day: today, period: 'dinner', items: [{ dishId }] };
    expect((await family.post(`/api/v1/canteens/${canteenB}/deliveries`, body)).statusCode).toBe(404);
    expect((await operator.post(`/api/v1/canteens/${canteenB}/deliveries`, body)).statusCode).toBe(422);
    expect((await communityB1.post(`/api/v1/canteens/${canteen}/deliveries`, body)).statusCode).toBe(404);
    expect(
      (
        await communityA2.post(`/api/v1/canteens/${canteen}/deliveries`, {
          ...body,
          elderId: (await createElder(s.ctx, TREE.communityB1)).id,
        })
      ).statusCode,
    ).toBe(400);
    expect((await operator.post(`/api/v1/canteens/${canteen}/deliveries`, { ...body, period: 'breakfast' })).statusCode).toBe(
      400,
    );
    expect((await operator.post(`/api/v1/canteens/${canteen}/deliveries`, { ...body, day: addDays(today, -1) })).statusCode).toBe(
      400,
    );
    expect((await kitchen.post(`/api/v1/canteens/${canteen}/deliveries`, body)).statusCode).toBe(403);
  });

  it('the canteen checks it off at the door: the meal is settled with its subsidy, time and position kept', async () => {
    const round = (await kitchen.get(`/api/v1/meal-deliveries?day=${today}&status=booked`)).json();
    expect(round.items.map((d: { id: string }) => d.id)).toEqual([todayLunch]);
    expect((await kitchenB.post(`/api/v1/meal-deliveries/${todayLunch}/deliver`, { lat: 30.6, lng: 104 })).statusCode).toBe(404);
    expect((await communityA2.post(`/api/v1/meal-deliveries/${todayLunch}/deliver`, { lat: 30.6, lng: 104 })).statusCode).toBe(
      403,
    );
    const res = await kitchen.post(`/api/v1/meal-deliveries/${todayLunch}/deliver`, {
      lat: 30.6002,
      lng: 104.0001,
      payMethod: 'mobile',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().delivery).toMatchObject({ status: 'delivered', far: false });
    expect(res.json().delivery.distanceM).toBeLessThan(50);
    expect(res.json().meal).toMatchObject({
      elderId,
      period: 'lunch',
      totalFen: 1200,
      subsidyFen: 500,
      selfPayFen: 700,
      payMethod: 'mobile',
    });
    expect(res.json().delivery.mealId).toBe(res.json().meal.id);
    const again = await kitchen.post(`/api/v1/meal-deliveries/${todayLunch}/deliver`, { lat: 30.6, lng: 104 });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already-handled');
    const [{ n }] = await queryRows<{ n: string }>(s.ctx.db, sql`SELECT count(*) n FROM meals WHERE elder_id = ${elderId}`);
    expect(Number(n)).toBe(1);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('a check-off far from the address is flagged; tomorrow’s delivery waits; the family may cancel', async () => {
    const b = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId: neighbourId,
      day: today,
      period: 'dinner',
      items: [{ dishId }],
    });
    const far = await kitchen.post(`/api/v1/meal-deliveries/${b.json().id}/deliver`, { lat: 30.62, lng: 104.0 });
    expect(far.statusCode, far.body).toBe(200);
    expect(far.json().delivery.far).toBe(true);
    expect(far.json().meal.subsidyFen).toBe(0); // 75: no meal policy
    const early = await kitchen.post(`/api/v1/meal-deliveries/${tomorrowLunch}/deliver`, { lat: 30.6, lng: 104 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('invalid-state');
    const c = await family.post(`/api/v1/meal-deliveries/${tomorrowLunch}/cancel`, { reason: '子女接去家里吃' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', cancelReason: '子女接去家里吃' });
    expect((await family.post(`/api/v1/meal-deliveries/${tomorrowLunch}/cancel`, { reason: '再取消' })).statusCode).toBe(409);
    const audits = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${tomorrowLunch} ORDER BY at`,
    );
    expect(audits.map((a) => a.action)).toEqual(['meal.delivery.book', 'meal.delivery.cancel']);
  });
});
