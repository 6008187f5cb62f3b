import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../lib/dates.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { DEMO_VISIT_DAYS, seedCareVisits } from './care-visits.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';

let s: TestServer;
let seedMs = 0;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  const t = Date.now();
  await seedCareVisits(s.ctx);
  seedMs = Date.now() - t;
});
afterAll(() => s.close());

describe('demo 关爱巡访', () => {
  it('demo-community and demo-responder have visits to make and made; findings have follow-ups; a re-run adds nothing', async () => {
    const login = async (u: string) => client(s.app, await loginToken(s.app, u, 'Demo#Pass2026'));
    const community = await login('demo-community');
    const responder = await login('demo-responder');
    const today = cstDate();
    for (const api of [community, responder]) {
      const due = (await api.get(`/api/v1/care-visits?assignee=me&status=scheduled&to=${addDays(today, 30)}&count=true`)).json();
      expect(due.total).toBeGreaterThan(0);
      const done = (await api.get(`/api/v1/care-visits?assignee=me&status=done&count=true`)).json();
      expect(done.total).toBeGreaterThan(0);
    }
    const district = await login('demo-district');
    const st = (await district.get(`/api/v1/care-visit-stats?from=${addDays(today, -DEMO_VISIT_DAYS)}&to=${today}`)).json();
    const alone = st.groups.find((g: { group: string }) => g.group === 'alone');
    expect(alone.planned).toBeGreaterThan(0);
    expect(alone.visitedInPlan).toBeGreaterThan(0);
    expect(alone.visitedInPlan).toBeLessThan(alone.planned + 1);
    expect(st.findingsByType.length).toBeGreaterThan(2);
    expect(st.followUps.closed).toBeGreaterThan(0);
    expect(st.followUps.open).toBeGreaterThan(0);
    const escalated = (await district.get('/api/v1/care-visits?escalated=true&count=true')).json();
    expect(escalated.total).toBeGreaterThan(0);
    const household = (await community.get('/api/v1/care-group-members?group=alone&limit=1')).json().items[0];
    expect((await community.get(`/api/v1/care-households/${household.elderId}`)).json().carerName).toBeTruthy();

    const before = (await district.get('/api/v1/care-visits?count=true&limit=1')).json().total;
    await seedCareVisits(s.ctx);
    expect((await district.get('/api/v1/care-visits?count=true&limit=1')).json().total).toBe(before);
    expect(seedMs).toBeLessThan(20_000);
  });
});
