import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { checkLedger } from '../modules/wallets/ledger.repo.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedFamilyBeds } from './family-beds.ts';
import { seedServiceProviders } from './service-providers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedServiceProviders(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedFamilyBeds(s.ctx);
});
afterAll(() => s.close());

describe('demo 家庭照护床位', () => {
  it('has twelve beds on the board with devices, visits and last month checked; a re-run adds nothing', async () => {
    const district = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const list = (await district.get('/api/v1/family-beds')).json();
    expect(list.total).toBe(12);
    const board = (await district.get('/api/v1/family-bed-board')).json();
    expect(board.stats).toMatchObject({ beds: 11, active: 10, heldLastMonth: 1 });
    expect(board.stats.devicesOffline).toBeGreaterThan(0);
    const live = board.items.filter((b: { status: string }) => b.status === 'active');
    expect(live.every((b: { lastMonth: { status: string } | null }) => b.lastMonth !== null)).toBe(true);
    expect(live.filter((b: { lastMonth: { status: string } }) => b.lastMonth.status === 'released')).toHaveLength(1);
    expect(live.every((b: { devices: unknown[]; lastVisitAt: string | null }) => b.devices.length === 2 && b.lastVisitAt)).toBe(
      true,
    );
    // One bed's hospital stay: eight days of last month taken out of its requirement, and delivered.
    const stay = live.filter((b: { lastMonth: { suspendedDays: number } }) => b.lastMonth.suspendedDays === 8);
    expect(stay).toHaveLength(1);
    expect(stay[0].lastMonth.status).toBe('delivered');
    // The package paid the visits: no wallet money on any bed order.
    const [paid] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM service_orders o JOIN family_beds b ON b.elder_id = o.elder_id
        WHERE o.payment <> 'package' OR o.points > 0 OR o.amount_fen > 0`,
    );
    expect(paid.n).toBe(0);
    await seedFamilyBeds(s.ctx);
    const [n] = await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int n FROM family_beds`);
    expect(n.n).toBe(12);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});
