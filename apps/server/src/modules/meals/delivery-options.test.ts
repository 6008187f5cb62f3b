import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { runGrant } from '../policies/policies.service.ts';
import { users } from '../users/users.schema.ts';
import { checkLedger, findAccount } from '../wallets/ledger.repo.ts';

/**
 * Booking a delivery from the phone pages and the call centre (送餐预订): what each caller may
 * read for an elder, the cutoff, one live booking per meal, and cancelling.
 */
type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let elder: Api;
let family: Api;
let otherFamily: Api;
let operator: Api;
let kitchen: Api;
let communityB1: Api;
let canteen: string;
let elderId: string;
let otherElderId: string;
let dishId: string;
let porridgeId: string;
const today = cstDate();
const tomorrow = addDays(today, 1);
const year = Number(today.slice(0, 4));

async function bindTo(role: 'elder' | 'family', id: string) {
  const c = await clientAs(s.app, s.ctx, role);
  await s.ctx.db.update(users).set({ elderId: id }).where(eq(users.id, c.account.id));
  return c.api;
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  const canteenB = (await createOrg(s.ctx, 'canteen', TREE.communityB1, '乙一社区长寿食堂')).id;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteen })).api;
  const kitchenB = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteenB })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  communityB1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  const bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  elderId = (
    await createElder(s.ctx, TREE.communityA2, { name: '孙淑芬', birthDate: `${year - 88}-04-01`, address: '甲二社区3栋' })
  ).id;
  otherElderId = (await createElder(s.ctx, TREE.communityB1, { name: '乙区老人', birthDate: `${year - 85}-04-01` })).id;
  elder = await bindTo('elder', elderId);
  family = await bindTo('family', elderId);
  otherFamily = await bindTo('family', otherElderId);
  // Breakfast starts at midnight at this canteen, so today's breakfast is always past its cutoff.
  const profile = await kitchen.put(`/api/v1/canteens/${canteen}/profile`, {
    communities: [TREE.communityA1],
    deliveryCommunities: [TREE.communityA2],
    mealPeriods: [
      { period: 'breakfast', start: '00:00', end: '09:30' },
      { period: 'lunch', start: '10:30', end: '13:30' },
      { period: 'dinner', start: '16:30', end: '19:30' },
    ],
  });
  expect(profile.statusCode, profile.body).toBe(200);
  await kitchenB.put(`/api/v1/canteens/${canteenB}/profile`, { deliveryCommunities: [TREE.communityB1] });
  dishId = (
    await kitchen.post(`/api/v1/canteens/${canteen}/dishes`, {
      name: '软烂午餐',
      category: 'set_meal',
      priceFen: 1200,
      healthTags: ['soft'],
    })
  ).json().id;
  porridgeId = (
    await kitchen.post(`/api/v1/canteens/${canteen}/dishes`, { name: '南瓜小米粥', category: 'porridge', priceFen: 300 })
  ).json().id;
  for (const [day, period, items] of [
    [today, 'breakfast', [{ dishId: porridgeId }]],
    [tomorrow, 'lunch', [{ dishId }, { dishId: porridgeId, priceFen: 400 }]],
    [addDays(today, 6), 'dinner', [{ dishId }]],
    [addDays(today, 7), 'lunch', [{ dishId }]],
  ] as const)
    expect((await kitchen.put(`/api/v1/canteens/${canteen}/menus/${day}/${period}`, { items })).statusCode).toBe(200);
  const bMenu = await kitchenB.post(`/api/v1/canteens/${canteenB}/dishes`, {
    name: '乙区套餐',
    category: 'set_meal',
    priceFen: 1000,
  });
  await kitchenB.put(`/api/v1/canteens/${canteenB}/menus/${tomorrow}/lunch`, { items: [{ dishId: bMenu.json().id }] });
  // 80+: 5 yuan per lunch from a monthly lot of 30 yuan.
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

const options = (api: Api, id = elderId) => api.get(`/api/v1/meal-delivery-options?elderId=${id}`);
type Options = {
  canteens: Array<{
    id: string;
    name: string;
    slots: Array<{
      day: string;
      period: string;
      bookable: boolean;
      subsidyFen: number;
      cutoffAt: string;
      dishes: Array<{ name: string; priceFen: number; selfPayFen: number }>;
    }>;
  }>;
  bookings: Array<{ id: string; day: string; period: string; status: string; cancellable: boolean; dishNames: string[] }>;
};

describe('delivery options for one elder (送餐预订)', () => {
  it('the elder and the family read the canteens delivering there, a week of menus with the subsidised price', async () => {
    const res = await options(elder);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as Options & { elderName: string; days: string[] };
    expect(o.elderName).toBe('孙淑芬');
    expect(o.days).toHaveLength(7);
    expect(o.days[0]).toBe(today);
    // Only the canteen delivering to 甲二社区; the 8th day's menu is not offered.
    expect(o.canteens.map((c) => c.name)).toEqual(['甲一社区长寿食堂']);
    const slots = o.canteens[0].slots;
    expect(slots.map((x) => `${x.day} ${x.period}`)).toEqual([
      `${today} breakfast`,
      `${tomorrow} lunch`,
      `${addDays(today, 6)} dinner`,
    ]);
    // Today's breakfast is past its cutoff (00:00 at this canteen): the elder cannot book it.
    expect(slots[0]).toMatchObject({ bookable: false, subsidyFen: 0 });
    // A day of next month has no lot yet (granted on the 1st): no subsidy is promised for it
    // (tomorrow is next month on a month's last day).
    const thisMonth = (day: string) => day.slice(0, 7) === today.slice(0, 7);
    const lunchSubsidy = thisMonth(tomorrow) ? 500 : 0;
    expect(slots[1]).toMatchObject({ bookable: true, subsidyFen: lunchSubsidy });
    expect(slots[1].cutoffAt).toBe(new Date(`${tomorrow}T10:30:00+08:00`).toISOString());
    expect(slots[1].dishes).toEqual([
      expect.objectContaining({ name: '软烂午餐', priceFen: 1200, selfPayFen: 1200 - lunchSubsidy }),
      expect.objectContaining({ name: '南瓜小米粥', priceFen: 400, selfPayFen: Math.max(0, 400 - lunchSubsidy) }),
    ]);
    expect(slots[2].subsidyFen).toBe(thisMonth(addDays(today, 6)) ? 300 : 0);
    expect((await options(family)).statusCode).toBe(200);
    // The call centre may still arrange today's meal by phone after the cutoff.
    const byPhone = (await options(operator)).json() as Options;
    expect(byPhone.canteens[0].slots[0].bookable).toBe(true);
    // Each read of the elder's options is audited.
    const audits = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.delivery.options' AND target_id = ${elderId}`,
    );
    expect(Number(audits[0].n)).toBe(3);
  });

  it('another elder, another family’s elder, another region: 404; no permission: 403', async () => {
    expect((await options(otherFamily)).statusCode).toBe(404);
    expect((await options(elder, otherElderId)).statusCode).toBe(404);
    expect((await options(family, otherElderId)).statusCode).toBe(404);
    const outOfRegion = await options(communityB1);
    expect(outOfRegion.statusCode).toBe(404);
    expect(outOfRegion.headers['content-type']).toContain('problem+json');
    expect((await options(otherFamily, otherElderId)).json().canteens.map((c: { name: string }) => c.name)).toEqual([
      '乙一社区长寿食堂',
    ]);
    const worker = (await clientAs(s.app, s.ctx, 'service_worker')).api;
    expect((await options(worker)).statusCode).toBe(403);
    expect((await family.get('/api/v1/meal-delivery-options?elderId=nope')).statusCode).toBe(400);
  });

  it('the family books; the booking is listed for the elder too; a second booking of that meal is refused', async () => {
    const booked = await family.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId }],
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const mine = (await options(elder)).json() as Options;
    expect(mine.bookings).toEqual([
      expect.objectContaining({
        id: booked.json().id,
        day: tomorrow,
        period: 'lunch',
        status: 'booked',
        cancellable: true,
        dishNames: ['软烂午餐'],
      }),
    ]);
    const twice = await elder.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId: porridgeId }],
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('duplicate');
  });

  it('after the cutoff the family can neither book nor cancel (409); the canteen still cancels', async () => {
    const late = await family.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: today,
      period: 'breakfast',
      items: [{ dishId: porridgeId }],
    });
    expect(late.statusCode).toBe(409);
    expect(late.headers['content-type']).toContain('problem+json');
    expect(late.json().code).toBe('invalid-state');
    const byPhone = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: today,
      period: 'breakfast',
      items: [{ dishId: porridgeId }],
    });
    expect(byPhone.statusCode, byPhone.body).toBe(201);
    const id = byPhone.json().id;
    expect((await options(family)).json().bookings.find((b: { id: string }) => b.id === id).cancellable).toBe(false);
    const refused = await family.post(`/api/v1/meal-deliveries/${id}/cancel`, { reason: '不需要了' });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('problem+json');
    expect(refused.json().code).toBe('invalid-state');
    expect((await operator.post(`/api/v1/meal-deliveries/${id}/cancel`, { reason: '不需要了' })).statusCode).toBe(409);
    const byCanteen = await kitchen.post(`/api/v1/meal-deliveries/${id}/cancel`, { reason: '老人电话说不要了' });
    expect(byCanteen.statusCode, byCanteen.body).toBe(200);
    expect(byCanteen.json().status).toBe('cancelled');
  });

  it('cancelling before the cutoff frees the meal and moves no money (nothing is reserved at booking)', async () => {
    const balance = async () => Number((await findAccount(s.ctx.db, 'elder', 'fen', elderId))?.balance ?? 0);
    const before = await balance();
    const o = (await options(family)).json() as Options;
    const lunch = o.bookings.find((b) => b.day === tomorrow && b.period === 'lunch');
    expect(lunch?.status).toBe('booked');
    const c = await family.post(`/api/v1/meal-deliveries/${lunch?.id}/cancel`, { reason: '子女接去家里吃' });
    expect(c.statusCode, c.body).toBe(200);
    expect((await family.post(`/api/v1/meal-deliveries/${lunch?.id}/cancel`, { reason: '再取消' })).statusCode).toBe(409);
    expect(await balance()).toBe(before);
    const [{ n }] = await queryRows<{ n: string }>(s.ctx.db, sql`SELECT count(*) n FROM meals WHERE elder_id = ${elderId}`);
    expect(Number(n)).toBe(0);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
    const after = (await options(elder)).json() as Options;
    expect(after.bookings.find((b) => b.id === lunch?.id)).toMatchObject({ status: 'cancelled', cancellable: false });
    // The meal is free again: the elder books it himself.
    const again = await elder.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId: porridgeId }],
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().bookedVia).toBe('elder');
  });
});
