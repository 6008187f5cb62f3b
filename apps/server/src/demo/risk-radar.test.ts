import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedRiskRadar } from './risk-radar.ts';
import { seedSafetyAlarms, seedSafetyDevices } from './safety.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedSafetyDevices(s.ctx);
  await seedSafetyAlarms(s.ctx);
  await seedRiskRadar(s.ctx);
}, 600_000);
afterAll(() => s.close());

describe('demo 风险雷达', () => {
  it('the demo district is scored at seed time: the community worker’s radar has named elders with reasons', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-community', 'Demo#Pass2026'));
    const r = (await api.get('/api/v1/risk-radar?level=low&limit=5')).json();
    expect(r.day).not.toBeNull();
    expect(r.total).toBeGreaterThan(0);
    expect(r.items[0].elderName).toMatch(/^\p{Script=Han}+$/u);
    expect(r.items[0].signals.length).toBeGreaterThan(0);
    // A re-run of the step replaces the day's scores: the same list.
    await seedRiskRadar(s.ctx);
    expect((await api.get('/api/v1/risk-radar?level=low&limit=5')).json().total).toBe(r.total);
  });
});
