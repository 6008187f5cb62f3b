import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate, cstDayStart } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { earlierTodayCst } from '../../testing/clock.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, createOrg, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider } from '../../testing/service.ts';
import { runGrant } from '../policies/policies.service.ts';
import { providerStaff } from '../providers/providers.schema.ts';
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
let outsider: string;
let worker: Api;
let otherWorker: Api;
let workerB: Api;
let providerId: string;
let providerBId: string;
let workerId: string;
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
  outsider = (await createElder(s.ctx, TREE.communityB1, { name: '乙区老人' })).id;
  // A provider serving 甲二 (where the canteen delivers) with two workers, and one serving only 乙一.
  const prov = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA2],
    site: { lat: 30.6, lng: 104.0 },
    name: '安康居家服务社',
  });
  providerId = prov.org.id;
  workerId = prov.worker.id;
  worker = client(s.app, await loginToken(s.app, prov.worker.username));
  const second = await createAccount(s.ctx, 'service_worker', { orgId: providerId });
  await s.ctx.db.insert(providerStaff).values({
    userId: second.id,
    orgId: providerId,
    name: second.displayName,
    careLevel: 'intermediate',
    careCertValidUntil: `${year + 2}-12-31`,
    healthCertValidUntil: `${year + 1}-12-31`,
  });
  otherWorker = client(s.app, await loginToken(s.app, second.username));
  const pB = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetB,
    communities: [TREE.communityB1],
    site: { lat: 30.7, lng: 104.1 },
    name: '乙街道服务社',
  });
  providerBId = pB.org.id;
  workerB = client(s.app, await loginToken(s.app, pB.worker.username));
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
    // Canteen staff book only at their own canteen, for the elders it delivers to.
    expect((await kitchenB.post(`/api/v1/canteens/${canteen}/deliveries`, body)).statusCode).toBe(404);
    const outside = (await createElder(s.ctx, TREE.communityA1, { name: '堂食老人' })).id;
    expect((await kitchen.post(`/api/v1/canteens/${canteen}/deliveries`, { ...body, elderId: outside })).statusCode).toBe(422);
    expect((await kitchen.post(`/api/v1/canteens/${canteen}/deliveries`, { ...body, elderId: outsider })).statusCode).toBe(400);
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

  it('the canteen books from its console for an elder it delivers to, and hands it to a provider’s worker', async () => {
    const booked = await kitchen.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId: neighbourId,
      day: today,
      period: 'lunch',
      items: [{ dishId, qty: 2 }],
      note: '电话预订',
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ bookedVia: 'canteen_staff', providerId: null, status: 'booked' });
    const id = booked.json().id;
    // The providers it may hand it to: approved, serving a community it delivers to, with their workers.
    const providers = (await kitchen.get(`/api/v1/canteens/${canteen}/delivery-providers`)).json();
    expect(providers.items.map((p: { id: string }) => p.id)).toEqual([providerId]);
    expect(providers.items[0].workers).toHaveLength(2);
    expect((await kitchenB.get(`/api/v1/canteens/${canteen}/delivery-providers`)).statusCode).toBe(404);
    // A provider that does not serve the elder's community, a worker of another provider: 400.
    expect((await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId: providerBId })).statusCode).toBe(400);
    const wrongWorker = await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId: randomUUID() });
    expect(wrongWorker.statusCode).toBe(400);
    expect(wrongWorker.headers['content-type']).toContain('problem+json');
    expect((await kitchenB.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId })).statusCode).toBe(404);
    expect((await communityA2.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId })).statusCode).toBe(403);
    // Before it is handed over, the worker does not see it.
    expect((await worker.get('/api/v1/meal-delivery-round')).json().items).toEqual([]);
    const handed = await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json()).toMatchObject({ providerId, providerName: '安康居家服务社', workerId });
    // Scoped: the worker it was given to sees it (with the address), the provider's other worker
    // and another provider's worker do not, and their check-off is a 404.
    const mine = (await worker.get('/api/v1/meal-delivery-round')).json();
    expect(mine.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect(mine.items[0]).toMatchObject({ elderName: '周德明', canteenName: '甲一社区长寿食堂' });
    expect((await otherWorker.get('/api/v1/meal-delivery-round')).json().items).toEqual([]);
    expect((await workerB.get('/api/v1/meal-delivery-round')).json().items).toEqual([]);
    expect((await otherWorker.post(`/api/v1/meal-deliveries/${id}/deliver`, { lat: 30.6, lng: 104 })).statusCode).toBe(404);
    expect((await workerB.post(`/api/v1/meal-deliveries/${id}/deliver`, { lat: 30.6, lng: 104 })).statusCode).toBe(404);
    // The canteen's own round leaves it out; its full list still shows it.
    expect((await kitchen.get('/api/v1/meal-delivery-round')).json().items.map((d: { id: string }) => d.id)).not.toContain(id);
    expect((await kitchen.get(`/api/v1/meal-deliveries?day=${today}`)).json().items.map((d: { id: string }) => d.id)).toContain(
      id,
    );
    // Checked off at the door exactly as the canteen's: settled, position kept, far flagged.
    const bad = await worker.post(`/api/v1/meal-deliveries/${id}/deliver`, { lat: 91, lng: 104 });
    expect(bad.statusCode).toBe(400);
    const res = await worker.post(`/api/v1/meal-deliveries/${id}/deliver`, { lat: 30.62, lng: 104.0, payMethod: 'cash' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().delivery).toMatchObject({ status: 'delivered', far: true, providerId, workerId });
    expect(res.json().meal).toMatchObject({
      elderId: neighbourId,
      totalFen: 2400,
      subsidyFen: 0,
      selfPayFen: 2400,
      payMethod: 'cash',
    });
    expect((await worker.post(`/api/v1/meal-deliveries/${id}/deliver`, { lat: 30.6, lng: 104 })).statusCode).toBe(409);
    const [row] = await queryRows<{ delivered_by: string; served_by: string }>(
      s.ctx.db,
      sql`SELECT d.delivered_by, m.served_by FROM meal_deliveries d JOIN meals m ON m.id = d.meal_id WHERE d.id = ${id}`,
    );
    expect(row).toEqual({ delivered_by: workerId, served_by: workerId });
    const audits = await queryRows<{ action: string; actor_id: string }>(
      s.ctx.db,
      sql`SELECT action, actor_id FROM audit_log WHERE target_id = ${id} ORDER BY at`,
    );
    expect(audits.map((a) => a.action)).toEqual(['meal.delivery.book', 'meal.delivery.assign', 'meal.delivery.deliver']);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('a delivery booked with a provider goes to any of its workers; the canteen can take one back', async () => {
    const booked = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: today,
      period: 'dinner',
      items: [{ dishId }],
      providerId,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json().id;
    expect(booked.json()).toMatchObject({ providerId, workerId: null });
    expect((await otherWorker.get('/api/v1/meal-delivery-round')).json().items.map((d: { id: string }) => d.id)).toEqual([id]);
    expect((await worker.get('/api/v1/meal-delivery-round')).json().items.map((d: { id: string }) => d.id)).toContain(id);
    const back = await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId: null });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ providerId: null, workerId: null });
    expect((await otherWorker.get('/api/v1/meal-delivery-round')).json().items).toEqual([]);
    expect((await kitchen.get('/api/v1/meal-delivery-round')).json().items.map((d: { id: string }) => d.id)).toContain(id);
    const refused = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId }],
      providerId: providerBId,
    });
    expect(refused.statusCode).toBe(400);
  });
  it('a check-off kept on the phone offline is sent later with its time and key, and recorded once', async () => {
    // 孙淑芬's dinner of today, taken back to the canteen in the test above, is still booked.
    const list = (await kitchen.get(`/api/v1/meal-deliveries?day=${today}&status=booked`)).json();
    const id = list.items.find((d: { elderId: string; period: string }) => d.elderId === elderId && d.period === 'dinner').id;
    const key = `offline-${randomUUID()}`;
    const headers = { 'idempotency-key': key };
    // The time at the door must fall on the delivery's day: yesterday's is refused, nothing recorded.
    const yesterday = await kitchen.post(
      `/api/v1/meal-deliveries/${id}/deliver`,
      { lat: 30.6, lng: 104, deliveredAt: new Date(cstDayStart(today).getTime() - 3600_000).toISOString() },
      headers,
    );
    expect(yesterday.statusCode).toBe(409);
    expect(yesterday.json().code).toBe('invalid-state');
    const at = earlierTodayCst(120_000).toISOString();
    const body = { lat: 30.6001, lng: 104.0001, deliveredAt: at };
    const first = await kitchen.post(`/api/v1/meal-deliveries/${id}/deliver`, body, headers);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().delivery).toMatchObject({ status: 'delivered', deliveredAt: at });
    expect(first.json().meal).toMatchObject({ elderId, period: 'dinner', eatenAt: at, subsidyFen: 300 });
    // The phone did not get the answer and sends it again: the same check-off, not a second meal.
    const replay = await kitchen.post(`/api/v1/meal-deliveries/${id}/deliver`, body, headers);
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json().meal.id).toBe(first.json().meal.id);
    expect(replay.json().delivery).toMatchObject({ status: 'delivered', mealId: first.json().meal.id });
    // The same key for another position is a different request; another key is a second check-off.
    const other = await kitchen.post(`/api/v1/meal-deliveries/${id}/deliver`, { ...body, lat: 30.7 }, headers);
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('idempotency-key-reused');
    const second = await kitchen.post(`/api/v1/meal-deliveries/${id}/deliver`, body, {
      'idempotency-key': `offline-${randomUUID()}`,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('already-handled');
    const [{ n }] = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) n FROM meals WHERE elder_id = ${elderId} AND period = 'dinner' AND day = ${today}`,
    );
    expect(Number(n)).toBe(1);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});

describe('a provider blocked by its credit file (失信名单 or level D) is handed no deliveries', () => {
  it('booking with it and handing to it are refused with credit-blocked; the canteen’s list leaves it out until removed', async () => {
    const bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
    const listed = await bureau.post(`/api/v1/credit/organizations/${providerId}/listing`, { reason: '多次未按约定上门送餐' });
    expect(listed.statusCode, listed.body).toBe(201);
    expect((await kitchen.get(`/api/v1/canteens/${canteen}/delivery-providers`)).json().items).toEqual([]);
    const countTomorrow = async () =>
      Number(
        (
          await queryRows<{ n: string }>(
            s.ctx.db,
            sql`SELECT count(*) n FROM meal_deliveries WHERE elder_id = ${elderId} AND day = ${tomorrow}`,
          )
        )[0].n,
      );
    const before = await countTomorrow();
    const withIt = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId }],
      providerId,
    });
    expect(withIt.statusCode, withIt.body).toBe(409);
    expect(withIt.headers['content-type']).toContain('application/problem+json');
    expect(withIt.json().code).toBe('credit-blocked');
    expect(await countTomorrow()).toBe(before);

    const booked = await operator.post(`/api/v1/canteens/${canteen}/deliveries`, {
      elderId,
      day: tomorrow,
      period: 'lunch',
      items: [{ dishId }],
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json().id;
    const handed = await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId });
    expect(handed.statusCode, handed.body).toBe(409);
    expect(handed.json().code).toBe('credit-blocked');
    expect((await kitchen.get(`/api/v1/meal-deliveries?day=${tomorrow}`)).json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id, providerId: null, workerId: null })]),
    );

    const off = await bureau.post(`/api/v1/credit/organizations/${providerId}/listing/remove`, { reason: '整改完成，复查合格' });
    expect(off.statusCode, off.body).toBe(200);
    expect(
      (await kitchen.get(`/api/v1/canteens/${canteen}/delivery-providers`)).json().items.map((p: { id: string }) => p.id),
    ).toEqual([providerId]);
    const again = await kitchen.post(`/api/v1/meal-deliveries/${id}/assign`, { providerId, workerId });
    expect(again.statusCode, again.body).toBe(200);
  });
});
