import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { DEMO_CARDS, seedPrivilegeCards } from './privilege-cards.ts';

let s: TestServer;
let seedMs = 0;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  const t = Date.now();
  await seedPrivilegeCards(s.ctx);
  seedMs = Date.now() - t;
});
afterAll(() => s.close());

describe('demo 优待证', () => {
  it('a few dozen issued cards; demo-elder’s phone page shows one that verifies as valid; a re-run adds none', async () => {
    const api = client(s.app, await loginToken(s.app, 'demo-district', 'Demo#Pass2026'));
    const list = (await api.get('/api/v1/privilege-cards?status=issued&limit=1')).json();
    expect(list.total).toBe(DEMO_CARDS);
    const elder = client(s.app, await loginToken(s.app, 'demo-elder', 'Demo#Pass2026'));
    const mine = (await elder.get('/api/v1/privilege-card/mine')).json();
    expect(mine.card).toMatchObject({ status: 'issued', expired: false });
    const v = await s.app.inject({ method: 'GET', url: `/api/v1/verify/card/${mine.qrToken}` });
    expect(v.json()).toMatchObject({ verdict: 'valid', cardNo: mine.card.cardNo });
    await seedPrivilegeCards(s.ctx);
    expect((await api.get('/api/v1/privilege-cards?status=issued&limit=1')).json().total).toBe(DEMO_CARDS);
    expect(seedMs).toBeLessThan(20_000);
  });
});
