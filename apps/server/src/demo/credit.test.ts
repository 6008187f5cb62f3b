import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedCredit } from './credit.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedServiceOrders } from './service-orders.ts';
import { seedServiceProviders } from './service-providers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedServiceProviders(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedServiceOrders(s.ctx);
  await seedCredit(s.ctx);
}, 900_000);
afterAll(() => s.close());

describe('demo 信用', () => {
  it('scores every demo organisation, lists one provider, and leaves the others open for dispatch', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const orgs = (await api.get('/api/v1/credit/organizations?kind=provider&limit=200')).json();
    expect(orgs.total).toBeGreaterThan(10);
    const blocked = orgs.items.filter((o: { blocked: boolean }) => o.blocked);
    // Only the listed provider is blocked: the demo's orders and bookings still find providers.
    expect(blocked.map((o: { listed: boolean }) => o.listed)).toEqual([true]);
    const levels = new Set(orgs.items.map((o: { level: string }) => o.level));
    expect(levels.size).toBeGreaterThan(1);
    const listings = (await api.get('/api/v1/credit/listings')).json();
    expect(listings.items).toEqual([expect.objectContaining({ basis: 'decision', orgKind: 'provider' })]);
    const file = (await api.get(`/api/v1/credit/organizations/${orgs.items[orgs.items.length - 1].orgId}`)).json();
    expect(file.explanation.lines.some((l: { source: string }) => l.source === 'credit')).toBe(true);
    // The public page has the demo's providers with levels.
    const pub = (await s.app.inject({ method: 'GET', url: '/api/v1/public/providers' })).json();
    expect(pub.items.length).toBeGreaterThan(10);
  });
});
