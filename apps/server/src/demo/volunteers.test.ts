import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../modules/wallets/ledger.repo.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedVolunteers } from './volunteers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedVolunteers(s.ctx, { demoPassword: 'Demo#Pass2026' });
});
afterAll(() => s.close());

describe('demo 志愿者与时间银行', () => {
  it('demo-volunteer has tasks today, credited hours and one redemption; the community sees 20 volunteers; a re-run adds nothing', async () => {
    const login = async (u: string) => client(s.app, await loginToken(s.app, u, 'Demo#Pass2026'));
    const volunteer = await login('demo-volunteer');
    const tasks = (await volunteer.get('/api/v1/volunteer/tasks')).json().items;
    expect(tasks.filter((t: { status: string }) => t.status === 'assigned').length).toBe(2);
    const stRes = await volunteer.get('/api/v1/volunteer/statement');
    expect(stRes.statusCode, stRes.body).toBe(200);
    const st = stRes.json();
    expect(st.redeemedMinutes).toBe(60);
    expect(st.creditedMinutes).toBeGreaterThan(60);
    expect((await volunteer.get('/api/v1/volunteer/redemptions')).json().items).toHaveLength(1);
    const district = await login('demo-district');
    const all = (await district.get('/api/v1/volunteers?count=true&limit=50')).json();
    expect(all.total).toBe(20);
    expect(all.items.filter((v: { status: string }) => v.status === 'pending')).toHaveLength(2);
    const points = (await district.get('/api/v1/neighbourhood-points')).json();
    expect(points.total).toBe(3);
    const accRes = await district.get('/api/v1/timebank/accounts');
    expect(accRes.statusCode, accRes.body).toBe(200);
    const accounts = accRes.json();
    expect(accounts.totals.creditedMinutes).toBeGreaterThan(1000);
    await seedVolunteers(s.ctx, { demoPassword: 'Demo#Pass2026' });
    expect((await district.get('/api/v1/volunteers?count=true')).json().total).toBe(20);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});
