import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { auditLog } from '../audit/audit.schema.ts';

/**
 * The worker's week (issue 12): the elder's phone reaches only the assigned worker of an active
 * order (audited), and a check-in far from the booked start needs a reason, kept on the visit.
 */
type Api = ReturnType<typeof client>;
let s: TestServer;
let operator: Api;
let providerAdmin: Api;
let worker: Api;
let provider: Awaited<ReturnType<typeof createServiceProvider>>;
let cleaningId: string;
const HOME = { lat: 30.61, lng: 104.01 };
const PHONE = '13800001111';

async function assigned(hours: number) {
  const e = await createElder(s.ctx, TREE.communityA1, { ...HOME, phone: PHONE, birthDate: `1941-0${1 + (++n % 9)}-1${n % 10}` });
  const o = (
    await operator.post('/api/v1/service-orders', {
      elderId: e.id,
      itemId: cleaningId,
      scheduledAt: hoursFromNow(hours),
      payment: 'self',
    })
  ).json();
  expect(o.providerId).toBe(provider.org.id);
  expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/accept`)).statusCode).toBe(200);
  expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: provider.worker.id })).statusCode).toBe(
    200,
  );
  return { elderId: e.id, orderId: o.id as string };
}
let n = 0;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
    name: '近邻服务',
  });
  providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: provider.org.id })).api;
  worker = client(s.app, await loginToken(s.app, provider.worker.username));
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
});
afterAll(() => s.close());

const week = () => worker.get(`/api/v1/service-orders?date=${cstDate(new Date())}&days=7&limit=100`);

describe("the worker's week and the elder's phone", () => {
  it('lists the coming days; the phone is in full only while the order is active, and each read is audited', async () => {
    const { elderId, orderId } = await assigned(30); // tomorrow or the day after
    const list = await week();
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.find((o: { id: string }) => o.id === orderId);
    expect(mine).toMatchObject({ elderPhone: PHONE });
    // 导航: the default template is a geo: URI at the elder's home.
    expect(mine.checkInWindow.minutes).toBe(60);
    expect(new Date(mine.checkInWindow.from).getTime()).toBe(new Date(mine.scheduledAt).getTime() - 3600_000);
    expect(mine.navigationUrl).toMatch(/^geo:30\.61,104\.01\?q=30\.61,104\.01\(/);
    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read-brief'), eq(auditLog.targetId, elderId)));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0].detail).toMatchObject({ field: 'phone', orderId });
    // Only today's orders without `days`.
    const today = await worker.get(`/api/v1/service-orders?date=${cstDate(new Date())}&limit=100`);
    expect(today.json().items.some((o: { id: string }) => o.id === orderId)).toBe(false);
    // The provider's admin sees the order but not the phone through the list.
    const adminRow = (await providerAdmin.get('/api/v1/service-orders?limit=100'))
      .json()
      .items.find((o: { id: string }) => o.id === orderId);
    expect(adminRow.elderPhone).toBeUndefined();
    expect(JSON.stringify(adminRow)).not.toContain(PHONE);
  });

  it('masks the phone once the visit is over', async () => {
    const { orderId } = await assigned(0.5);
    expect((await worker.post(`/api/v1/service-orders/${orderId}/check-in`, HOME)).statusCode).toBe(200);
    expect((await week()).json().items.find((o: { id: string }) => o.id === orderId).elderPhone).toBe(PHONE);
    expect((await worker.post(`/api/v1/service-orders/${orderId}/check-out`, { ...HOME, record: '打扫完毕' })).statusCode).toBe(
      200,
    );
    const after = (await week()).json().items.find((o: { id: string }) => o.id === orderId);
    expect(after.elderPhone).toBeNull();
    expect(after.elderPhoneMasked).toBe('138****1111');
  });
});

describe('a check-in far from the booked start', () => {
  it('is refused without a reason (422 check-in-reason-required), accepted with one, flagged and kept on the visit', async () => {
    const { orderId } = await assigned(10); // 10 hours early
    const bare = await worker.post(`/api/v1/service-orders/${orderId}/check-in`, HOME);
    expect(bare.statusCode).toBe(422);
    expect(bare.headers['content-type']).toContain('application/problem+json');
    expect(bare.json()).toMatchObject({ code: 'check-in-reason-required' });
    const ok = await worker.post(`/api/v1/service-orders/${orderId}/check-in`, { ...HOME, reason: '老人来电请求提前上门' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().flags).toContain('off_schedule');
    const detail = (await operator.get(`/api/v1/service-orders/${orderId}`)).json();
    expect(detail.visit).toMatchObject({ checkInReason: '老人来电请求提前上门' });
    expect(detail.visit.flags).toContain('off_schedule');
  });

  it('needs no reason within the limit from the service settings, and the limit is configurable', async () => {
    const { orderId } = await assigned(0.5);
    const ok = await worker.post(`/api/v1/service-orders/${orderId}/check-in`, HOME);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().flags).not.toContain('off_schedule');
    expect((await operator.get(`/api/v1/service-orders/${orderId}`)).json().visit.checkInReason).toBeNull();

    const admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
    expect((await admin.put('/api/v1/service-settings', { checkInReasonMinutes: 15 })).statusCode).toBe(200);
    const second = await assigned(0.5); // 30 minutes early now exceeds 15
    const refused = await worker.post(`/api/v1/service-orders/${second.orderId}/check-in`, HOME);
    expect(refused.json()).toMatchObject({ code: 'check-in-reason-required' });
    expect((await admin.put('/api/v1/service-settings', { checkInReasonMinutes: 2 })).statusCode).toBe(400);
  });
});
