import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { checkLedger } from '../modules/wallets/ledger.repo.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
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
});
