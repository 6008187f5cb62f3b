import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
});
afterAll(() => s.close());

describe('service settings', () => {
  it('the bureau changes the points-to-money rate; the audit trail names the old and new value', async () => {
    const before = (await admin.api.get('/api/v1/service-settings')).json();
    expect(before.pointsRateFen).toBe(100);
    const res = await admin.api.put('/api/v1/service-settings', { pointsRateFen: 120 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ...before, pointsRateFen: 120 });
    expect((await admin.api.get('/api/v1/service-settings')).json().pointsRateFen).toBe(120);

    const trail = (await admin.api.get('/api/v1/audit-log?action=service-settings.update')).json().items;
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      actorName: admin.account.username,
      detail: { changed: { pointsRateFen: { from: 100, to: 120 } } },
    });
  });

  it('a second change records what the first one set', async () => {
    await admin.api.put('/api/v1/service-settings', { pointsRateFen: 90, acceptMinutes: 45 });
    const trail = (await admin.api.get('/api/v1/audit-log?action=service-settings.update')).json().items;
    expect(trail[0].detail).toEqual({
      changed: { pointsRateFen: { from: 120, to: 90 }, acceptMinutes: { from: 30, to: 45 } },
    });
  });

  it('only the bureau may change the rules, and a rule outside its range changes nothing', async () => {
    const street = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
    expect((await street.api.put('/api/v1/service-settings', { pointsRateFen: 1 })).statusCode).toBe(403);
    const bad = await admin.api.put('/api/v1/service-settings', { pointsRateFen: -5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await admin.api.get('/api/v1/service-settings')).json().pointsRateFen).toBe(90);
    const trail = (await admin.api.get('/api/v1/audit-log?action=service-settings.update')).json().items;
    expect(trail).toHaveLength(2);
  });
});
