import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { checkLedger } from '../modules/wallets/ledger.repo.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedSafetyAlarms, seedSafetyDevices } from './safety.ts';
import { seedServiceOrders } from './service-orders.ts';
import { seedServiceProviders } from './service-providers.ts';

let s: TestServer;
let ms = 0;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  const t = Date.now();
  await seedServiceProviders(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedServiceOrders(s.ctx);
  ms = Date.now() - t;
  await seedSafetyDevices(s.ctx);
  await seedSafetyAlarms(s.ctx);
}, 300_000);
afterAll(() => s.close());

const count = async (q: ReturnType<typeof sql>) => Number((await queryRows<{ n: string }>(s.ctx.db, q))[0].n);

describe('demo service loop', () => {
  it('has 20 providers with sites and 200 workers, and the two policies on', async () => {
    expect(await count(sql`SELECT count(*) n FROM provider_profiles`)).toBe(20);
    expect(await count(sql`SELECT count(*) n FROM provider_staff`)).toBe(200);
    expect(await count(sql`SELECT count(DISTINCT org_id) n FROM provider_sites`)).toBe(20);
    expect(await count(sql`SELECT count(*) n FROM policies WHERE status = 'active'`)).toBe(4);
    const perCommunity = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) n FROM provider_areas GROUP BY region_code`,
    );
    expect(perCommunity.length).toBe(36);
    expect(Math.min(...perCommunity.map((r) => Number(r.n)))).toBeGreaterThanOrEqual(3);
  });

  it('has a few months of orders in every state, a balanced ledger and statements', async () => {
    const states = (await queryRows<{ status: string }>(s.ctx.db, sql`SELECT DISTINCT status FROM service_orders`))
      .map((r) => r.status)
      .sort();
    expect(states).toEqual([
      'accepted',
      'assigned',
      'cancelled',
      'confirmed',
      'created',
      'dispatched',
      'en_route',
      'in_service',
      'served',
      'settled',
      'voided',
    ]);
    expect(await count(sql`SELECT count(*) n FROM service_orders`)).toBeGreaterThan(2000);
    expect(await count(sql`SELECT count(*) n FROM service_complaints`)).toBeGreaterThan(0);
    expect(await count(sql`SELECT count(*) n FROM settlements WHERE status = 'approved'`)).toBeGreaterThan(0);
    expect(await count(sql`SELECT count(*) n FROM service_orders WHERE review_status = 'pending'`)).toBeGreaterThan(0);
    const check = await checkLedger(s.ctx.db);
    expect(check).toMatchObject({ ok: true, unbalanced: [], mismatched: [], negative: [] });
    // The demo elder has a visit today and the demo worker has tasks today.
    expect(
      await count(
        sql`SELECT count(*) n FROM service_orders o JOIN users u ON u.elder_id = o.elder_id WHERE u.username = 'demo-elder' AND o.status = 'en_route'`,
      ),
    ).toBe(1);
    expect(
      await count(
        sql`SELECT count(*) n FROM service_orders o JOIN users u ON u.id = o.worker_id WHERE u.username = 'demo-worker'`,
      ),
    ).toBeGreaterThanOrEqual(5);
    expect(ms).toBeLessThan(120_000);
    console.log(`demo providers + orders: ${ms} ms`);
  });

  it("dates every archive before the elder's first order, device install and alarm", async () => {
    expect(
      await count(
        sql`SELECT count(*) n FROM service_orders o JOIN elders e ON e.id = o.elder_id WHERE o.created_at < e.created_at`,
      ),
    ).toBe(0);
    expect(
      await count(
        sql`SELECT count(*) n FROM devices d JOIN elders e ON e.id = d.elder_id WHERE d.installed_on < e.created_at::date`,
      ),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*) n FROM alarms a JOIN elders e ON e.id = a.elder_id WHERE a.raised_at < e.created_at`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*) n FROM devices`)).toBeGreaterThan(1000);
  });

  it("settles each statement to the sum of its orders, points converted at the settings' rate", async () => {
    const rows = await queryRows<Record<string, string>>(
      s.ctx.db,
      sql`SELECT s.id, s.order_count, s.points_total, s.points_fen, s.purchase_fen, s.self_pay_fen, s.total_fen, s.points_rate_fen,
                 count(l.order_id) FILTER (WHERE NOT l.held) AS lines,
                 coalesce(sum(o.points) FILTER (WHERE NOT l.held AND o.payment = 'points'), 0) AS order_points,
                 coalesce(sum(l.amount_fen) FILTER (WHERE NOT l.held AND l.payment <> 'self'), 0) AS paid_fen,
                 coalesce(sum(l.amount_fen) FILTER (WHERE NOT l.held AND l.payment = 'self'), 0) AS self_fen,
                 count(*) FILTER (WHERE l.payment = 'points' AND l.amount_fen <> o.points * s.points_rate_fen) AS bad_points,
                 count(*) FILTER (WHERE l.payment <> 'points' AND l.amount_fen <> o.amount_fen) AS bad_fen,
                 count(*) FILTER (WHERE o.payment = 'points' AND o.points * s.points_rate_fen <> i.ref_price_fen * o.quantity) AS bad_price
          FROM settlements s JOIN settlement_lines l ON l.settlement_id = s.id
          JOIN service_orders o ON o.id = l.order_id JOIN service_items i ON i.id = o.item_id
          GROUP BY s.id`,
    );
    expect(rows.length).toBeGreaterThan(10);
    let orders = 0;
    let paid = 0;
    for (const r of rows) {
      expect(Number(r.order_count)).toBe(Number(r.lines));
      expect(Number(r.points_total)).toBe(Number(r.order_points));
      expect(Number(r.points_fen)).toBe(Number(r.points_total) * Number(r.points_rate_fen));
      expect(Number(r.total_fen)).toBe(Number(r.points_fen) + Number(r.purchase_fen));
      expect(Number(r.total_fen)).toBe(Number(r.paid_fen));
      expect(Number(r.self_pay_fen)).toBe(Number(r.self_fen));
      expect([r.bad_points, r.bad_fen, r.bad_price].map(Number)).toEqual([0, 0, 0]);
      orders += Number(r.order_count);
      paid += Number(r.total_fen);
    }
    // Most settled orders are subsidised: the statements pay, on average, most of a service's price.
    expect(paid / orders).toBeGreaterThan(2000);
  });
});
