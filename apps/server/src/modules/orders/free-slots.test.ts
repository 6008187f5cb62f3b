import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import { users } from '../users/users.schema.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let elder: Api;
let elderId: string;
let otherElderId: string;
let providerAdmin: Api;
let cleaningId: string;
const HOME = { lat: 30.61, lng: 104.01 };
let n = 0;

async function newElder(region: string) {
  const e = await createElder(s.ctx, region, { ...HOME, birthDate: `1942-02-${String(++n).padStart(2, '0')}` });
  const r = await admin.post(
    `/api/v1/wallets/${e.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': `free-slots-${n}-${Date.now()}` },
  );
  expect(r.statusCode).toBe(201);
  return e.id;
}

async function accountFor(role: 'elder' | 'family', id: string) {
  const acc = await createAccount(s.ctx, role);
  await s.ctx.db.update(users).set({ elderId: id }).where(eq(users.id, acc.id));
  return client(s.app, await loginToken(s.app, acc.username));
}

type Slot = { start: string; end: string; day: string; free: number };
const slotsOf = async (api: Api, id = elderId) => {
  const r = await api.get(`/api/v1/service-orders/free-slots?elderId=${id}&itemId=${cleaningId}`);
  expect(r.statusCode).toBe(200);
  return r.json().slots as Slot[];
};
const cstHour = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).getUTCHours();

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const p = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
    name: '时段服务',
  });
  providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: p.org.id })).api;
  expect((await providerAdmin.patch(`/api/v1/providers/${p.org.id}`, { slotMinutes: 60, slotCapacity: 1 })).statusCode).toBe(200);
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
  elderId = await newElder(TREE.communityA1);
  otherElderId = await newElder(TREE.communityB1);
  elder = await accountFor('elder', elderId);
});
afterAll(() => s.close());

describe("the elder's free slots (next 7 days, counted as dispatch counts them)", () => {
  it('offers day-time slots of the next 7 days, none sooner than 2 hours from now', async () => {
    const slots = await slotsOf(elder);
    expect(slots.length).toBeGreaterThan(20);
    const last = addDays(cstDate(), 6);
    for (const x of slots) {
      expect(new Date(x.start).getTime()).toBeGreaterThanOrEqual(Date.now() + 119 * 60_000);
      expect(x.day <= last).toBe(true);
      expect(cstHour(x.start)).toBeGreaterThanOrEqual(8);
      expect(cstHour(x.start)).toBeLessThan(18);
      expect(x.free).toBe(1);
    }
  });

  it('a booked slot is no longer offered; cancelling it from 我的预约 frees it again', async () => {
    const slot = (await slotsOf(elder))[3];
    const made = await elder.post(
      '/api/v1/service-orders',
      { elderId, itemId: cleaningId, scheduledAt: slot.start },
      { 'idempotency-key': `free-slots-book-${Date.now()}` },
    );
    expect(made.statusCode).toBe(201);
    expect(made.json().providerId).not.toBeNull();
    expect((await slotsOf(elder)).map((x) => x.start)).not.toContain(slot.start);

    const mine = (await elder.get('/api/v1/service-orders?limit=50')).json().items as Array<{ id: string }>;
    expect(mine.map((o) => o.id)).toContain(made.json().id);
    const family = await accountFor('family', elderId);
    const seen = (await family.get('/api/v1/service-orders?limit=50')).json().items as Array<{ id: string }>;
    expect(seen.map((o) => o.id)).toContain(made.json().id);

    const c = await elder.post(`/api/v1/service-orders/${made.json().id}/cancel`, { reason: '老人自己取消' });
    expect(c.statusCode).toBe(200);
    expect(c.json().status).toBe('cancelled');
    expect((await slotsOf(elder)).map((x) => x.start)).toContain(slot.start);
  });

  it("another elder's slots are not found; a provider may not ask; bad ids are a 400", async () => {
    const r = await elder.get(`/api/v1/service-orders/free-slots?elderId=${otherElderId}&itemId=${cleaningId}`);
    expect(r.statusCode).toBe(404);
    expect(
      (await providerAdmin.get(`/api/v1/service-orders/free-slots?elderId=${elderId}&itemId=${cleaningId}`)).statusCode,
    ).toBe(403);
    expect((await elder.get(`/api/v1/service-orders/free-slots?elderId=x&itemId=${cleaningId}`)).statusCode).toBe(400);
  });

  it('an elder in a community no provider serves gets no slots', async () => {
    const other = await accountFor('elder', otherElderId);
    expect(await slotsOf(other, otherElderId)).toEqual([]);
  });
});

describe('the service centre hotline (呼叫服务中心)', () => {
  it('has a default, the district admin sets it (audited), elders read it; a bad number is refused', async () => {
    expect((await elder.get('/api/v1/service-hotline')).json().hotline).toBe('12349');
    expect((await admin.put('/api/v1/service-hotline', { hotline: '028-85551234' })).statusCode).toBe(200);
    expect((await elder.get('/api/v1/service-hotline')).json().hotline).toBe('028-85551234');
    expect((await admin.put('/api/v1/service-hotline', { hotline: 'call us' })).statusCode).toBe(400);
    expect((await elder.put('/api/v1/service-hotline', { hotline: '110' })).statusCode).toBe(403);
    const audit = await queryRows<{ detail: { changed: unknown } }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'service-hotline.update'`,
    );
    expect(audit.map((a) => a.detail.changed)).toEqual([{ hotline: { from: '12349', to: '028-85551234' } }]);
  });
});
