import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedFamilySafety } from './family-safety.ts';
import { seedSafetyAlarms, seedSafetyDevices } from './safety.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  await seedSafetyDevices(s.ctx);
  await seedSafetyAlarms(s.ctx);
  await seedFamilySafety(s.ctx);
});
afterAll(() => s.close());

describe('demo family account', () => {
  it('demo-family sees 郑秀英 on the family page: devices, the fall handled at home, the notice to him', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-family', 'Demo#Pass2026'));
    const elders = (await api.get('/api/v1/family/elders')).json();
    expect(elders.items).toEqual([{ id: expect.any(String), name: '郑秀英' }]);
    const v = (await api.get(`/api/v1/family/elders/${elders.items[0].id}/safety`)).json();
    expect(v.devices.length).toBeGreaterThan(0);
    expect(v.recentAlarms).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'fall', outcome: 'assisted_at_home' })]),
    );
    expect(v.notices).toEqual([expect.objectContaining({ reason: 'resolved', readAt: null })]);
    expect(v.notices[0].body).toContain('郑秀英的跌倒告警已处理完毕（上门协助）');
    expect(v.noticesNeedPhone).toBe(false);
  });

  it('the demo elder (13900000002) and the demo family member (13900000001) log in by SMS code', async () => {
    for (const [phone, username] of [
      ['13900000002', 'demo-elder'],
      ['13900000001', 'demo-family'],
    ]) {
      const before = s.logs.length;
      const asked = await s.app.inject({ method: 'POST', url: '/api/v1/auth/phone-code', payload: { phone } });
      expect(asked.statusCode).toBe(202);
      // No SMS gateway in this test server: the development log line carries the code, as under npm start.
      const devLine = () => s.logs.slice(before).find((l) => l.includes('DEVELOPMENT ONLY'));
      await expect.poll(devLine).toBeTruthy();
      const code = /验证码为 ([0-9]{6})/.exec(devLine() ?? '')?.[1] ?? '';
      const res = await s.app.inject({ method: 'POST', url: '/api/v1/auth/phone-login', payload: { phone, code } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe(username);
    }
  });
});
