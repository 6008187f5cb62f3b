import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { type client, clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let operator: Api;
let near: Awaited<ReturnType<typeof createServiceProvider>>;
let far: Awaited<ReturnType<typeof createServiceProvider>>;
let cleaningId: string;
const HOME = { lat: 30.61, lng: 104.01 };
const day = addDays(cstDate(), 2);
const at = (hhmm: string) => `${day}T${hhmm}:00+08:00`;
let n = 0;

async function newElder(region: string) {
  const e = await createElder(s.ctx, region, { ...HOME, birthDate: `1941-01-${String(++n).padStart(2, '0')}` });
  const r = await admin.post(
    `/api/v1/wallets/${e.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': `slots-${n}-${Date.now()}` },
  );
  expect(r.statusCode).toBe(201);
  return e.id;
}
const order = (elderId: string, scheduledAt: string) =>
  operator.post('/api/v1/service-orders', { elderId, itemId: cleaningId, scheduledAt, quantity: 1 });

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  near = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetB,
    communities: [TREE.communityB1],
    site: { lat: 30.612, lng: 104.012 },
    name: '近邻服务',
  });
  far = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetB,
    communities: [TREE.communityB1],
    site: { lat: 30.65, lng: 104.05 },
    name: '远方服务',
  });
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
});
afterAll(() => s.close());

describe('capacity per time slot', () => {
  it('a provider sets its slot length and capacity; bad values are refused', async () => {
    const nearAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: near.org.id })).api;
    expect((await nearAdmin.patch(`/api/v1/providers/${near.org.id}`, { slotMinutes: 45 })).statusCode).toBe(400);
    expect((await nearAdmin.patch(`/api/v1/providers/${near.org.id}`, { slotCapacity: 0 })).statusCode).toBe(400);
    const ok = await nearAdmin.patch(`/api/v1/providers/${near.org.id}`, { slotMinutes: 60, slotCapacity: 1 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ slotMinutes: 60, slotCapacity: 1 });
  });

  it('skips a provider whose slot is full and says so; the next slot is free again', async () => {
    const first = (await order(await newElder(TREE.communityB1), at('10:15'))).json();
    expect(first).toMatchObject({ status: 'dispatched', providerId: near.org.id });
    expect(first.dispatchExplain.why).toMatch(/0\/1 booked in the 10:00–11:00 slot/);
    // The same facts as data, for the console to say in the user's language.
    expect(first.dispatchExplain).toMatchObject({
      mode: 'auto',
      candidateCount: 2,
      chosen: { providerId: near.org.id, slotLoad: 0, slotCapacity: 1 },
    });

    // Same hour: the near provider is full, so the far one gets it.
    const second = (await order(await newElder(TREE.communityB1), at('10:45'))).json();
    expect(second).toMatchObject({ status: 'dispatched', providerId: far.org.id });
    expect(second.dispatchExplain.why).toMatch(/0 booked in the 10:00–11:00 slot/);
    const cands = (await operator.get(`/api/v1/service-orders/${second.id}/candidates`)).json();
    expect(cands.items.map((c: { providerId: string }) => c.providerId)).not.toContain(near.org.id);

    // 11:05 is the next slot: the near provider again.
    const third = (await order(await newElder(TREE.communityB1), at('11:05'))).json();
    expect(third).toMatchObject({ status: 'dispatched', providerId: near.org.id });
    const detail = (await operator.get(`/api/v1/service-orders/${third.id}/candidates`)).json();
    expect(detail.items[0]).toMatchObject({ slotLoad: expect.any(Number), slotCapacity: null }); // far: no slot limit

    // Cancelling frees the slot.
    expect((await operator.post(`/api/v1/service-orders/${first.id}/cancel`, { reason: '老人改期' })).statusCode).toBe(200);
    const again = (await order(await newElder(TREE.communityB1), at('10:30'))).json();
    expect(again).toMatchObject({ status: 'dispatched', providerId: near.org.id });
  });

  it('orders racing for the last place in a slot: exactly one is placed', async () => {
    const only = await createServiceProvider(s.ctx, {
      regionCode: TREE.streetB,
      communities: [TREE.communityA2],
      site: HOME,
      name: '唯一服务',
      slotCapacity: 1,
    });
    const elders: string[] = [];
    for (let i = 0; i < 6; i++) elders.push(await newElder(TREE.communityA2));
    const results = (await Promise.all(elders.map((e, i) => order(e, at(`15:${String(i * 9).padStart(2, '0')}`))))).map((r) => {
      expect(r.statusCode).toBe(201);
      return r.json();
    });
    const placed = results.filter((o) => o.providerId === only.org.id);
    expect(placed).toHaveLength(1);
    for (const o of results.filter((x) => x.providerId !== only.org.id))
      expect(o).toMatchObject({ status: 'created', providerId: null });
  });
});
