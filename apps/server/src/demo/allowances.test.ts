import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, cstMonth } from '../lib/dates.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { DEMO_RECIPIENTS, seedAllowances } from './allowances.ts';
import { DEMO_DISTRICT, seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';

let s: TestServer;
let seedMs = 0;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  const t = Date.now();
  await seedAllowances(s.ctx);
  seedMs = Date.now() - t;
});
afterAll(() => s.close());

describe('demo allowances', () => {
  it('the demo bureau sees the tiers, a few hundred recipients, applications waiting and last month’s approved roll', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const year = Number(cstMonth().slice(0, 4));
    const tiers = (await api.get(`/api/v1/allowance-tiers?year=${year}`)).json();
    expect(tiers.items.map((t: { minAge: number; monthlyFen: number }) => [t.minAge, t.monthlyFen])).toEqual([
      [80, 10000],
      [90, 20000],
      [100, 50000],
    ]);
    const active = (await api.get('/api/v1/allowance-applications?status=active&limit=1')).json();
    expect(active.total).toBeGreaterThanOrEqual(100);
    expect(active.total).toBeLessThanOrEqual(DEMO_RECIPIENTS);
    expect(active.items[0].bankAccountMasked).toMatch(/^\*{4}\d{4}$/);
    for (const status of ['community', 'street', 'district', 'notice'])
      expect((await api.get(`/api/v1/allowance-applications?status=${status}`)).json().total, status).toBeGreaterThan(0);
    const rolls = (await api.get(`/api/v1/allowance-rolls?regionCode=${DEMO_DISTRICT.code}`)).json();
    expect(rolls.items).toEqual([
      expect.objectContaining({ month: addMonths(cstMonth(), -1), status: 'approved', lineCount: active.total }),
    ]);
    expect(rolls.items[0].totalFen).toBeGreaterThanOrEqual(active.total * 10000);
    // The demo community's worker has applications to review, the demo street one too.
    const mine = client(s.app, await loginToken(s.app, 'demo-community', 'Demo#Pass2026'));
    expect((await mine.get('/api/v1/allowance-applications?status=community')).json().total).toBe(2);
    const street = client(s.app, await loginToken(s.app, 'demo-street', 'Demo#Pass2026'));
    expect((await street.get('/api/v1/allowance-applications?status=street')).json().total).toBe(1);
    expect(seedMs).toBeLessThan(20_000);
  });
});
