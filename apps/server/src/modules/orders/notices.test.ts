import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { type client, clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { jobDefinitions } from '../index.ts';
import { providerLicences, providerStaff } from '../providers/providers.schema.ts';
import { runServiceNotices } from './notices.service.ts';
import { insertComplaint } from './orders.repo.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let operator: Api;
let bureau: Api;
let otherStreet: Api;
let providerAdmin: Api;
let orderNo: string;
const today = cstDate();
const days = (n: number) => new Date(Date.now() + n * 86400_000);

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  otherStreet = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  const provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
    name: '安康服务',
  });
  providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: provider.org.id })).api;

  // Complaints: one past its deadline, one not yet due, one overdue but already followed up.
  const elder = await createElder(s.ctx, TREE.communityA1, { lat: 30.61, lng: 104.01, birthDate: '1939-05-05' });
  await bureau.post(
    `/api/v1/wallets/${elder.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': `notices-${Date.now()}` },
  );
  const itemId = (await itemByCode(s.ctx, 'haircut')).id;
  const orders = [];
  for (let i = 0; i < 3; i++)
    orders.push(
      (await operator.post('/api/v1/service-orders', { elderId: elder.id, itemId, scheduledAt: hoursFromNow(2 + i) })).json(),
    );
  orderNo = orders[0].no;
  const complaint = (o: { id: string }, dueAt: Date, status: 'open' | 'closed' = 'open') =>
    insertComplaint(s.ctx.db, {
      orderId: o.id,
      elderId: elder.id,
      regionCode: TREE.communityA1,
      providerId: provider.org.id,
      reason: '态度不好',
      dueAt,
      status,
    });
  await complaint(orders[0], days(-0.1));
  await complaint(orders[1], days(1));
  await complaint(orders[2], days(-2), 'closed');

  // Documents: a licence expiring in 10 days, one expired 5 days ago, one far off; a health
  // certificate expiring in 20 days.
  await s.ctx.db.insert(providerLicences).values([
    { orgId: provider.org.id, kind: '营业执照', number: 'A-10', validUntil: addDays(today, 10) },
    { orgId: provider.org.id, kind: '食品经营许可证', number: 'B-5', validUntil: addDays(today, -5) },
    { orgId: provider.org.id, kind: '养老机构备案', number: 'C-100', validUntil: addDays(today, 100) },
  ]);
  await s.ctx.db
    .update(providerStaff)
    .set({ healthCertValidUntil: addDays(today, 20) })
    .where(eq(providerStaff.userId, provider.worker.id));
});
afterAll(() => s.close());

const inbox = async (api: Api, kind?: string) =>
  (await api.get(`/api/v1/service-notices${kind ? `?kind=${kind}` : ''}`)).json().items as Array<{
    reason: string;
    body: string;
  }>;

describe('service notices (daily job)', () => {
  it('is a scheduled job', () => {
    expect(jobDefinitions.find((j) => j.name === 'service-loop.notices')?.cron).toBe('30 8 * * *');
  });

  it('notifies the responsible users of overdue complaints and expiring or expired documents, once', async () => {
    const first = await runServiceNotices(s.ctx);
    expect(first.complaints).toBeGreaterThan(0);
    expect(first.documents).toBeGreaterThan(0);

    const ops = await inbox(operator, 'complaint');
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ reason: 'complaint.overdue' });
    expect(ops[0].body).toContain(orderNo);
    expect((await inbox(bureau, 'complaint')).length).toBe(1);
    expect(await inbox(otherStreet)).toEqual([]); // not their region
    expect(await inbox(providerAdmin, 'complaint')).toEqual([]); // the call centre follows up, not the provider

    const docs = (await inbox(providerAdmin, 'document')).map((n) => n.reason).sort();
    expect(docs).toEqual(['certificate.expiring', 'licence.expired', 'licence.expiring']);
    expect((await inbox(bureau, 'document')).map((n) => n.body).join('\n')).toMatch(/营业执照 A-10）将于 .* 到期/);
    expect((await inbox(operator, 'document')).length).toBe(0); // operators do not approve providers

    // Twice a day: nothing new.
    expect(await runServiceNotices(s.ctx)).toEqual({ complaints: 0, documents: 0 });
    expect(await inbox(operator)).toHaveLength(1);

    // Eleven days on, the licence that was expiring has expired: one new notice per user.
    const later = await runServiceNotices(s.ctx, days(11));
    expect((await inbox(providerAdmin, 'document')).map((n) => n.reason).sort()).toEqual([
      'certificate.expiring',
      'licence.expired',
      'licence.expired',
      'licence.expiring',
    ]);
    expect(later.complaints).toBe(2); // the complaint due tomorrow is overdue by then: operator and bureau
    expect(await inbox(operator, 'complaint')).toHaveLength(2);
    expect(await runServiceNotices(s.ctx, days(11))).toEqual({ complaints: 0, documents: 0 });
  });

  it("lets a user mark their own notice read, once, and nobody else's", async () => {
    type Row = { id: string; readAt: string | null };
    const unread = async (api: Api) => (await api.get('/api/v1/service-notices?unread=true')).json().items as Row[];
    const before = await unread(operator);
    expect(before.length).toBeGreaterThan(0);
    const id = before[0].id;

    // Another user's notice is not theirs to mark: 404, and it stays unread.
    expect((await providerAdmin.post(`/api/v1/service-notices/${id}/read`, {})).statusCode).toBe(404);
    expect((await unread(operator)).map((n) => n.id)).toContain(id);
    expect((await operator.post('/api/v1/service-notices/not-a-uuid/read', {})).statusCode).toBe(400);

    expect((await operator.post(`/api/v1/service-notices/${id}/read`, {})).statusCode).toBe(204);
    expect((await unread(operator)).map((n) => n.id)).not.toContain(id);
    const all = (await operator.get('/api/v1/service-notices')).json().items as Row[];
    const readAt = all.find((n) => n.id === id)?.readAt;
    expect(readAt).toBeTruthy();

    // Marking again keeps the first time.
    expect((await operator.post(`/api/v1/service-notices/${id}/read`, {})).statusCode).toBe(204);
    const again = (await operator.get('/api/v1/service-notices')).json().items as Row[];
    expect(again.find((n) => n.id === id)?.readAt).toBe(readAt);
  });

  it('keeps console notices out of the region and family outbox lists', async () => {
    const list = (await bureau.get('/api/v1/notifications')).json();
    expect(list.items.filter((n: { channel: string }) => n.channel === 'console')).toEqual([]);
  });
});
