import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import { users } from '../users/users.schema.ts';
import * as wallets from '../wallets/wallets.service.ts';

// 长护险 at booking: the family's phone page and the call centre book an enrolled elder's package
// item, and the policy — not the wallet — pays it; one payer per order on retries and in races,
// and the month's hours are counted one booking after the other.

type Client = Awaited<ReturnType<typeof clientAs>>;
let s: TestServer;
let bureau: Client;
let family: Client;
let operator: Client;
let community: Client;
let cleaning: { id: string; refPriceFen: number; durationMinutes: number; points: number };
let haircut: { id: string };
let policyId: string;
let elderId: string;
// The same China month for every booking here: tomorrow 10:00, or today 23:58 on a month’s last day
// (a file never starts in the five minutes before China midnight: testing/one-china-day.ts).
const when = (() => {
  const today = cstDate();
  const tomorrow = cstDate(new Date(Date.now() + 86_400_000));
  return tomorrow.slice(0, 7) === today.slice(0, 7) ? `${tomorrow}T10:00:00+08:00` : `${today}T23:58:00+08:00`;
})();

const fundingsOf = (orderId: string) =>
  queryRows<{ funder: string; policy_id: string | null }>(
    s.ctx.db,
    sql`SELECT funder, policy_id FROM order_fundings WHERE order_id = ${orderId}`,
  );
const reservesOf = async (orderId: string) =>
  (
    await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE order_id = ${orderId} AND kind = 'reserve'`,
    )
  )[0].n;
const ordersOf = async () =>
  (await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM service_orders WHERE elder_id = ${elderId}`))[0].n;
const book = (itemId: string, key: string) =>
  family.api.post(
    '/api/v1/service-orders',
    { elderId, itemId, scheduledAt: when, payment: 'points' },
    { 'idempotency-key': key },
  );

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  operator = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  community = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  await createServiceProvider(s.ctx, {
    regionCode: TREE.district,
    communities: [TREE.communityA1],
    site: { lat: 30.61, lng: 104.01 },
    itemCodes: ['cleaning', 'haircut'],
  });
  cleaning = await itemByCode(s.ctx, 'cleaning');
  haircut = await itemByCode(s.ctx, 'haircut');
  elderId = (await createElder(s.ctx, TREE.communityA1, { name: '孙长护', lat: 30.61, lng: 104.01 })).id;
  await s.ctx.db.execute(sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total,
      preliminary_level, level, status)
    VALUES (${elderId}, ${TREE.communityA1}, 'first', ${cstDate()}, '{}', '{}', '{}', 40, 'severe', 'severe', 'signed')`);
  await wallets.adjust(s.ctx, SYSTEM_ACTOR, elderId, {
    currency: 'points',
    direction: 'credit',
    amount: 5000,
    reason: '测试充值',
  });
  family = await clientAs(s.app, s.ctx, 'family', {});
  await s.ctx.db.update(users).set({ elderId }).where(eq(users.id, family.account.id));
  const res = await bureau.api.post('/api/v1/ltc-policies', {
    regionCode: TREE.district,
    name: '测试区长护险试点',
    eligibleLevels: ['severe', 'total'],
    itemIds: [cleaning.id],
    monthlyHours: 30,
    monthlyCapFen: 1_000_000,
    payPercent: 70,
    validFrom: `${cstDate().slice(0, 4)}-01-01`,
  });
  expect(res.statusCode, res.body).toBe(201);
  policyId = res.json().id;
  const enrol = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId });
  expect(enrol.statusCode, enrol.body).toBe(201);
});
afterAll(() => s.close());

describe('长护险 pays a booking', () => {
  it('the phone page sees which items 长护险 pays before booking, with the share and the co-payment', async () => {
    const items = (await family.api.get(`/api/v1/service-orders/bookable-items?elderId=${elderId}`)).json().items;
    const c = items.find((i: { id: string }) => i.id === cleaning.id);
    const payFen = Math.round((cleaning.refPriceFen * 70) / 100);
    expect(c.ltc).toEqual({
      policyId,
      policyName: '测试区长护险试点',
      payPercent: 70,
      payFen,
      copayFen: cleaning.refPriceFen - payFen,
    });
    expect(items.find((i: { id: string }) => i.id === haircut.id).ltc).toBeNull();
  });

  it('a family booking with retries at once is one order, paid by 长护险 only: nothing held, one funding row', async () => {
    const before = await wallets.getWallet(s.ctx, SYSTEM_ACTOR, elderId);
    const [a, b] = await Promise.all([book(cleaning.id, 'ltc-book-0001'), book(cleaning.id, 'ltc-book-0001')]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.json().id).toBe(a.json().id);
    const again = await book(cleaning.id, 'ltc-book-0001');
    expect(again.json().id).toBe(a.json().id);
    const o = a.json();
    expect(o).toMatchObject({ payment: 'self', points: 0, amountFen: 0, ltc: { policyId, payPercent: 70 } });
    expect(await fundingsOf(o.id)).toEqual([{ funder: 'ltc', policy_id: policyId }]);
    expect(await reservesOf(o.id)).toBe(0);
    expect(await wallets.getWallet(s.ctx, SYSTEM_ACTOR, elderId)).toEqual(before);

    // The ledger refuses a subsidy on it, the bureau's funding answers the same; both at once: still one payer.
    const subsidy = () =>
      s.ctx.db.transaction((tx) =>
        wallets.reserve(tx, { elderId, orderId: o.id, currency: 'points', amount: 50, actorId: null }),
      );
    const fund = () => bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: o.id });
    const [r1, r2, r3] = await Promise.allSettled([subsidy(), fund(), fund()]);
    expect(r1.status).toBe('rejected');
    expect(r1.status === 'rejected' && r1.reason).toMatchObject({ status: 409 });
    for (const r of [r2, r3]) expect(r.status === 'fulfilled' && r.value.statusCode).toBe(200);
    expect(await fundingsOf(o.id)).toEqual([{ funder: 'ltc', policy_id: policyId }]);
    expect(await reservesOf(o.id)).toBe(0);
  });

  it('an item outside the package is paid from the wallet as before (the subsidy is its one payer)', async () => {
    const r = await book(haircut.id, 'ltc-book-0002');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().payment).toBe('points');
    expect(r.json().ltc).toBeUndefined();
    expect(await fundingsOf(r.json().id)).toEqual([{ funder: 'subsidy', policy_id: null }]);
    expect(await reservesOf(r.json().id)).toBe(1);
  });

  it('the call centre books on a call for the caller’s elder: 长护险 pays and the agent is told; a retry is the same order', async () => {
    const call = await operator.api.post('/api/v1/calls', {
      direction: 'inbound',
      elderId,
      offeredAt: new Date(Date.now() - 60_000).toISOString(),
      outcome: 'answered',
    });
    expect(call.statusCode, call.body).toBe(201);
    const body = { itemId: cleaning.id, payment: 'points', scheduledAt: when };
    const [a, b] = await Promise.all([
      operator.api.post(`/api/v1/calls/${call.json().id}/order`, body),
      operator.api.post(`/api/v1/calls/${call.json().id}/order`, body),
    ]);
    expect(a.statusCode, a.body).toBeLessThan(300);
    expect(b.json().id).toBe(a.json().id);
    const created = [a.json(), b.json()].find((r) => r.created);
    expect(created.ltc).toMatchObject({ policyName: '测试区长护险试点', payPercent: 70 });
    expect(await fundingsOf(a.json().id)).toEqual([{ funder: 'ltc', policy_id: policyId }]);
    expect(await reservesOf(a.json().id)).toBe(0);
  });

  it('staff booking in the console is not changed: the wallet pays (the bureau funds by the API)', async () => {
    const r = await community.api.post(
      '/api/v1/service-orders',
      { elderId, itemId: cleaning.id, scheduledAt: when, payment: 'points' },
      { 'idempotency-key': 'ltc-staff-0001' },
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().payment).toBe('points');
    expect(await fundingsOf(r.json().id)).toEqual([{ funder: 'subsidy', policy_id: null }]);
  });

  it('the month’s hours are counted booking after booking: two at once with room for one — one 长护险, one wallet', async () => {
    const [{ minutes }] = await queryRows<{ minutes: number }>(
      s.ctx.db,
      sql`SELECT COALESCE(sum(o.duration_minutes), 0)::int AS minutes FROM order_fundings f JOIN service_orders o ON o.id = f.order_id
           WHERE f.funder = 'ltc' AND o.elder_id = ${elderId}`,
    );
    expect(minutes).toBe(2 * cleaning.durationMinutes);
    // Room for exactly one more cleaning this month (hours are whole: the policy's cap in fen decides here).
    const payFen = Math.round((cleaning.refPriceFen * 70) / 100);
    await s.ctx.db.execute(sql`UPDATE ltc_policies SET monthly_cap_fen = ${3 * payFen} WHERE id = ${policyId}`);
    const n = await ordersOf();
    const [x, y] = await Promise.all([book(cleaning.id, 'ltc-book-0003'), book(cleaning.id, 'ltc-book-0004')]);
    expect(x.statusCode, x.body).toBe(201);
    expect(y.statusCode, y.body).toBe(201);
    expect(await ordersOf()).toBe(n + 2);
    const payers = [(await fundingsOf(x.json().id))[0].funder, (await fundingsOf(y.json().id))[0].funder].sort();
    expect(payers).toEqual(['ltc', 'subsidy']);
    // Full now: the page no longer offers 长护险 for it.
    const items = (await family.api.get(`/api/v1/service-orders/bookable-items?elderId=${elderId}`)).json().items;
    expect(items.find((i: { id: string }) => i.id === cleaning.id).ltc).toBeNull();
  });
});
