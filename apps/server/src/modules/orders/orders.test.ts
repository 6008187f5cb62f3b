import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../lib/events.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { waitFor } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { providerProfiles, providerStaff } from '../providers/providers.schema.ts';
import { users } from '../users/users.schema.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';
import { sweepOrders } from './orders.jobs.ts';
import { dispatchOffers } from './orders.schema.ts';
import { putServiceSettings } from './service-settings.repo.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let operator: Api;
const HOME = { lat: 30.61, lng: 104.01, address: '锦华路1号3栋2单元' };
let near: Awaited<ReturnType<typeof createServiceProvider>>;
let far: Awaited<ReturnType<typeof createServiceProvider>>;
let nearAdmin: Api;
let farAdmin: Api;
let nearWorker: Api;
let cleaningId: string;
let haircutId: string;
const events: DomainEvent[] = [];
let keyN = 0;
const key = () => `order-test-${++keyN}-${Date.now()}`;

let born = 0;
async function newElder(points = 300, region: string = TREE.communityA1) {
  // A distinct birth date per elder keeps the generated ID numbers unique.
  const birthDate = new Date(Date.UTC(1940, 0, 1 + ++born * 3)).toISOString().slice(0, 10);
  const e = await createElder(s.ctx, region, { ...HOME, birthDate });
  if (points) {
    const r = await admin.post(
      `/api/v1/wallets/${e.id}/adjustments`,
      { currency: 'points', direction: 'credit', amount: points, reason: '测试' },
      { 'idempotency-key': key() },
    );
    expect(r.statusCode).toBe(201);
  }
  return e;
}

async function elderClient(elderId: string) {
  const acc = await createAccount(s.ctx, 'elder');
  await s.ctx.db.update(users).set({ elderId }).where(eq(users.id, acc.id));
  return client(s.app, await loginToken(s.app, acc.username));
}

const order = (elderId: string, itemId = cleaningId, extra: Record<string, unknown> = {}) =>
  operator.post('/api/v1/service-orders', { elderId, itemId, scheduledAt: hoursFromNow(3), quantity: 2, ...extra });

/** Drive an order to the worker's door: accepted by `near` and assigned to its worker. */
async function toAssigned(elderId: string) {
  const o = (await order(elderId)).json();
  expect(o.providerId).toBe(near.org.id);
  expect((await nearAdmin.post(`/api/v1/service-orders/${o.id}/accept`)).statusCode).toBe(200);
  const a = await nearAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: near.worker.id });
  expect(a.statusCode).toBe(200);
  return a.json();
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  // Orders here are booked 3 h ahead and checked in at once; the check-in reason rule has its
  // own test (check-in-reason.test.ts).
  await putServiceSettings(s.ctx.db, { checkInReasonMinutes: 24 * 60 });
  near = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
    name: '近邻服务',
  });
  far = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.65, lng: 104.05 },
    name: '远方服务',
  });
  const suspended = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: HOME,
    name: '暂停服务',
  });
  await s.ctx.db
    .update(providerProfiles)
    .set({ approvalStatus: 'suspended' })
    .where(eq(providerProfiles.orgId, suspended.org.id));
  const dishonest = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: HOME,
    name: '失信服务',
  });
  await s.ctx.db.update(providerProfiles).set({ dishonest: true }).where(eq(providerProfiles.orgId, dishonest.org.id));
  nearAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: near.org.id })).api;
  farAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: far.org.id })).api;
  nearWorker = client(s.app, await loginToken(s.app, near.worker.username));
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
  haircutId = (await itemByCode(s.ctx, 'haircut')).id;
  s.ctx.events.onEvent((e) => events.push(e));
});
afterAll(() => s.close());

describe('creation and automatic dispatch', () => {
  it('reserves the points and offers the order to the best provider, explaining why', async () => {
    const e = await newElder();
    const res = await order(e.id);
    expect(res.statusCode).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      status: 'dispatched',
      providerId: near.org.id,
      points: 80,
      channel: 'console',
      dispatchMode: 'auto',
    });
    expect(o.dispatchExplain.why).toMatch(/近邻服务站 0\.\d+ km/);
    expect((await operator.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 220, reserved: 80 });
    const cands = (await operator.get(`/api/v1/service-orders/${o.id}/candidates`)).json();
    // The current offer is excluded; the far provider remains; suspended and dishonest never appear.
    expect(cands.items.map((c: { providerName: string }) => c.providerName)).toEqual(['远方服务']);
    expect(cands.items[0].components.distance).toBeLessThan(0.5);
    const detail = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['create', 'dispatch']);
    const ev = await waitFor(async () =>
      events.find((x) => x.type === 'order.updated' && (x.data as { id: string }).id === o.id),
    );
    expect(ev?.audience).toMatchObject({ permission: 'order:read', regionCode: TREE.communityA1, orgIds: [near.org.id] });
  });

  it('goes to the next provider on rejection and on timeout, then waits for manual dispatch', async () => {
    const e = await newElder();
    const o = (await order(e.id)).json();
    const rej = await nearAdmin.post(`/api/v1/service-orders/${o.id}/reject`, { reason: '人手不足' });
    expect(rej.json()).toMatchObject({ status: 'dispatched', providerId: far.org.id });
    // The far provider does not answer in time.
    await s.ctx.db
      .update(dispatchOffers)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(dispatchOffers.orderId, o.id));
    expect((await sweepOrders(s.ctx)).timedOut).toBe(1);
    const after = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(after).toMatchObject({ status: 'created', providerId: null });
    expect(after.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'dispatch',
      'reject',
      'dispatch',
      'offer-timeout',
      'dispatch-failed',
    ]);
    expect(after.offers.map((f: { status: string }) => f.status)).toEqual(['rejected', 'timed_out']);
    // The far provider can no longer act on it.
    expect((await farAdmin.post(`/api/v1/service-orders/${o.id}/accept`)).statusCode).toBe(404);
    const manual = await operator.post(`/api/v1/service-orders/${o.id}/dispatch`, {
      providerId: near.org.id,
      reason: '老人点名要近邻服务',
    });
    expect(manual.json()).toMatchObject({ status: 'dispatched', providerId: near.org.id, dispatchMode: 'manual' });
    const noReason = await operator.post(`/api/v1/service-orders/${o.id}/dispatch`, { providerId: far.org.id });
    expect(noReason.statusCode).toBe(400);
    // A provider that may not take orders: a code the console can name (not the generic conflict).
    const bad = (await s.ctx.db.execute(sql`SELECT id FROM organizations WHERE name = '失信服务'`)) as {
      rows: Array<{ id: string }>;
    };
    const refused = await operator.post(`/api/v1/service-orders/${o.id}/dispatch`, {
      providerId: bad.rows[0].id,
      reason: '试派',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('provider-unavailable');
  });

  it('refuses bad input with nothing changed', async () => {
    const e = await newElder();
    const b1 = await newElder(300, TREE.communityB1);
    const a1Staff = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
    const other = await a1Staff.post('/api/v1/service-orders', {
      elderId: b1.id,
      itemId: cleaningId,
      scheduledAt: hoursFromNow(3),
    });
    expect(other.statusCode).toBe(404);
    const unknownItem = await operator.post('/api/v1/service-orders', {
      elderId: e.id,
      itemId: '00000000-0000-4000-8000-000000000000',
      scheduledAt: hoursFromNow(3),
    });
    expect(unknownItem.statusCode).toBe(400);
    expect(unknownItem.json().errors[0].path).toBe('body.itemId');
    for (const quantity of [1.5, -1, 0]) expect((await order(e.id, cleaningId, { quantity })).statusCode).toBe(400);
    expect((await order(e.id, cleaningId, { scheduledAt: hoursFromNow(-5) })).statusCode).toBe(400);
    expect((await order(e.id, cleaningId, { quantity: 10 })).statusCode).toBe(409); // 400 points > 300
    expect((await operator.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 300, reserved: 0 });
    expect((await operator.get(`/api/v1/service-orders?elderId=${e.id}`)).json().total).toBe(0);
  });

  it('replays an order creation with the same Idempotency-Key instead of ordering twice', async () => {
    const e = await newElder();
    const k = key();
    const body = { elderId: e.id, itemId: haircutId, scheduledAt: hoursFromNow(5) };
    const a = await operator.post('/api/v1/service-orders', body, { 'idempotency-key': k });
    const b = await operator.post('/api/v1/service-orders', body, { 'idempotency-key': k });
    expect(b.json().id).toBe(a.json().id);
    expect((await operator.get(`/api/v1/wallets/${e.id}`)).json().points.reserved).toBe(20);
  });
});

describe('the visit', () => {
  it('runs the whole loop: assign, check in and out at the door, confirm (capture), rate', async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    expect((await nearWorker.post(`/api/v1/service-orders/${o.id}/en-route`)).json().status).toBe('en_route');
    const inAt = new Date(Date.now() - 130 * 60_000).toISOString();
    const k = key();
    const ci = await nearWorker.post(
      `/api/v1/service-orders/${o.id}/check-in`,
      { at: inAt, lat: 30.6101, lng: 104.0101 },
      { 'idempotency-key': k },
    );
    expect(ci.json()).toMatchObject({ status: 'in_service', flags: [] });
    // The phone retries the queued check-in: same answer; without the key, a replay is refused.
    expect(
      (
        await nearWorker.post(
          `/api/v1/service-orders/${o.id}/check-in`,
          { at: inAt, lat: 30.6101, lng: 104.0101 },
          { 'idempotency-key': k },
        )
      ).json().status,
    ).toBe('in_service');
    expect((await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, { lat: 30.6101, lng: 104.0101 })).statusCode).toBe(
      409,
    );
    const co = await nearWorker.post(`/api/v1/service-orders/${o.id}/check-out`, {
      lat: 30.6101,
      lng: 104.0101,
      record: '整理衣橱，换季被褥收纳',
    });
    expect(co.json()).toMatchObject({ status: 'served', flags: [], reviewStatus: 'none' });
    const elder = await elderClient(e.id);
    expect((await elder.get(`/api/v1/service-orders/${o.id}`)).json().visit.checkInDistanceM).toBeLessThan(20);
    const rated = await elder.post(`/api/v1/service-orders/${o.id}/rate`, { score: 5, comment: '很满意' });
    expect(rated.json()).toMatchObject({ score: 5, complaintId: null });
    expect((await elder.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 220, reserved: 0 });
    const detail = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(detail.status).toBe('confirmed');
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual([
      'create',
      'dispatch',
      'accept',
      'assign',
      'en-route',
      'check-in',
      'check-out',
      'confirm',
      'rate',
    ]);
    expect((await elder.post(`/api/v1/service-orders/${o.id}/rate`, { score: 4 })).statusCode).toBe(409);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it("keeps workers out of other workers' orders and blocks workers with expired certificates", async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    const stranger = await createAccount(s.ctx, 'service_worker', { orgId: near.org.id });
    await s.ctx.db.insert(providerStaff).values({
      userId: stranger.id,
      orgId: near.org.id,
      name: '过期',
      careCertValidUntil: '2020-01-01',
      healthCertValidUntil: '2030-01-01',
    });
    const strangerApi = client(s.app, await loginToken(s.app, stranger.username));
    expect((await strangerApi.post(`/api/v1/service-orders/${o.id}/check-in`, { lat: 30.61, lng: 104.01 })).statusCode).toBe(404);
    const expired = await nearAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: stranger.id });
    expect(expired.statusCode).toBe(409);
    expect(expired.json().detail).toMatch(/certificate/);
    expect((await operator.get(`/api/v1/service-orders/${o.id}`)).json().workerId).toBe(near.worker.id);
    expect((await farAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: near.worker.id })).statusCode).toBe(404);
  });

  it('flags a check-in outside the radius and a short visit, and holds them for review', async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    const ci = await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, { lat: 30.62, lng: 104.01 }); // ~1.1 km away
    expect(ci.json().flags).toEqual(['outside_radius']);
    const co = await nearWorker.post(`/api/v1/service-orders/${o.id}/check-out`, { lat: 30.6101, lng: 104.0101, record: '打扫' });
    expect(co.json()).toMatchObject({ flags: ['outside_radius', 'short_visit'], reviewStatus: 'pending' });
    const flagged = (await operator.get('/api/v1/service-orders?flagged=true')).json();
    expect(flagged.items.map((x: { id: string }) => x.id)).toContain(o.id);
    // Rejected on review: the held points go back to the elder.
    const rev = await operator.post(`/api/v1/service-orders/${o.id}/review`, { decision: 'reject', note: '未实际上门' });
    expect(rev.json()).toMatchObject({ status: 'voided', reviewStatus: 'rejected' });
    expect((await operator.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 300, reserved: 0 });
  });

  it("accepts the elder's QR code instead of GPS and refuses someone else's", async () => {
    const e = await newElder();
    const other = await newElder(0);
    const o = await toAssigned(e.id);
    const elder = await elderClient(e.id);
    const token = (await elder.get(`/api/v1/service-orders/qr/${e.id}`)).json().token;
    const wrong = (await operator.get(`/api/v1/service-orders/qr/${other.id}`)).json().token;
    expect((await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, { qr: wrong })).statusCode).toBe(400);
    const ok = await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, { qr: token });
    expect(ok.json()).toMatchObject({ status: 'in_service', flags: [] });
  });

  it('flags the same worker in two places and a visit while the elder is in hospital', async () => {
    const e1 = await newElder();
    const e2 = await newElder();
    const o1 = await toAssigned(e1.id);
    const o2 = await toAssigned(e2.id);
    await nearWorker.post(`/api/v1/service-orders/${o1.id}/check-in`, { lat: 30.61, lng: 104.01 });
    const { elders } = await import('../elders/elders.schema.ts');
    await s.ctx.db.update(elders).set({ status: 'in_hospital' }).where(eq(elders.id, e2.id));
    const second = await nearWorker.post(`/api/v1/service-orders/${o2.id}/check-in`, { lat: 30.61, lng: 104.01 });
    expect(second.json().flags.sort()).toEqual(['elder_unavailable', 'worker_overlap']);
  });

  it('locks the record 72 h after check-out: later edits need a reason and are flagged', async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, {
      at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      lat: 30.61,
      lng: 104.01,
    });
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-out`, { lat: 30.61, lng: 104.01, record: '原记录' });
    expect((await nearWorker.patch(`/api/v1/service-orders/${o.id}/visit`, { record: '补充：顺便倒垃圾' })).statusCode).toBe(200);
    await s.ctx.db.execute(sql`UPDATE service_visits SET locked_at = now() - interval '1 hour' WHERE order_id = ${o.id}`);
    const noReason = await nearWorker.patch(`/api/v1/service-orders/${o.id}/visit`, { record: '改了' });
    expect(noReason.statusCode).toBe(400);
    const withReason = await nearWorker.patch(`/api/v1/service-orders/${o.id}/visit`, { record: '改了', reason: '老人要求补记' });
    expect(withReason.json().flags).toContain('edited_after_lock');
    const edited = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(edited.reviewStatus).toBe('pending');
    expect(edited.flags).toContain('edited_after_lock');
    expect(edited.history.at(-1)).toMatchObject({ action: 'record-edit-after-lock', reason: '老人要求补记' });
  });
});

describe('confirmation, cancellation, complaints', () => {
  it('auto-confirms a served order after 24 h', async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, {
      at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      lat: 30.61,
      lng: 104.01,
    });
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-out`, { lat: 30.61, lng: 104.01, record: '完成' });
    expect((await sweepOrders(s.ctx)).confirmed).toBe(0);
    expect((await sweepOrders(s.ctx, new Date(Date.now() + 25 * 3600_000))).confirmed).toBeGreaterThanOrEqual(1);
    const d = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(d.status).toBe('confirmed');
    expect(d.history.at(-1)).toMatchObject({ action: 'auto-confirm', actorName: 'System' });
  });

  it('cancels before the visit with a full release, not after check-in; providers hand back instead', async () => {
    const e = await newElder();
    const o = (await order(e.id)).json();
    // A provider has no cancel permission; it hands the order back with /reject.
    expect((await nearAdmin.post(`/api/v1/service-orders/${o.id}/cancel`, { reason: '不做了' })).statusCode).toBe(403);
    const elder = await elderClient(e.id);
    const c = await elder.post(`/api/v1/service-orders/${o.id}/cancel`, { reason: '家人来帮忙了' });
    expect(c.json()).toMatchObject({ status: 'cancelled', cancelReason: '家人来帮忙了' });
    expect((await elder.get(`/api/v1/wallets/${e.id}`)).json().points).toEqual({ available: 300, reserved: 0 });
    const kinds = (await elder.get(`/api/v1/wallets/${e.id}/entries`)).json().items.map((i: { kind: string }) => i.kind);
    expect(kinds.slice(0, 2)).toEqual(['release', 'release']);

    const o2 = await toAssigned(e.id);
    await nearWorker.post(`/api/v1/service-orders/${o2.id}/check-in`, { lat: 30.61, lng: 104.01 });
    expect((await elder.post(`/api/v1/service-orders/${o2.id}/cancel`, { reason: '太晚了' })).statusCode).toBe(409);
    // An elder sees only their own orders.
    const stranger = await elderClient((await newElder(0)).id);
    expect((await stranger.get(`/api/v1/service-orders/${o2.id}`)).statusCode).toBe(404);
  });

  it('opens a complaint for a rating of 2 or less, followed up by the call centre', async () => {
    const e = await newElder();
    const o = await toAssigned(e.id);
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-in`, {
      at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      lat: 30.61,
      lng: 104.01,
    });
    await nearWorker.post(`/api/v1/service-orders/${o.id}/check-out`, { lat: 30.61, lng: 104.01, record: '完成' });
    const elder = await elderClient(e.id);
    const r = (await elder.post(`/api/v1/service-orders/${o.id}/rate`, { score: 2, comment: '态度不好' })).json();
    expect(r.complaintId).toBeTruthy();
    const open = (await operator.get('/api/v1/service-complaints?status=open')).json();
    const c = open.items.find((x: { id: string }) => x.id === r.complaintId);
    expect(c).toMatchObject({ status: 'open', overdue: false, reason: '态度不好' });
    expect(new Date(c.dueAt).getTime() - Date.now()).toBeGreaterThan(47 * 3600_000);
    const f = await operator.post(`/api/v1/service-complaints/${r.complaintId}/follow-up`, { note: '已电话回访，服务商致歉' });
    expect(f.json().status).toBe('closed');
    expect((await operator.post(`/api/v1/service-complaints/${r.complaintId}/follow-up`, { note: '再次' })).statusCode).toBe(409);
    const [p] = await s.ctx.db.select().from(providerProfiles).where(eq(providerProfiles.orgId, near.org.id));
    expect(p.ratingCount).toBeGreaterThanOrEqual(1);
  });

  it("adds every step of an order to the elder's 360° timeline", async () => {
    const e = await newElder();
    const o = (await order(e.id)).json();
    const tl = await operator.get(`/api/v1/elders/${e.id}/timeline`);
    expect(tl.statusCode).toBe(200);
    const mine = tl.json().items.filter((i: { refId?: string }) => i.refId === o.id);
    expect(mine.map((i: { kind: string }) => i.kind).sort()).toEqual(['order.create', 'order.dispatch']);
    expect(mine[0].title).toContain(o.no);
  });

  it('shows a worker only their own tasks of the day', async () => {
    const list = (await nearWorker.get('/api/v1/service-orders?limit=200')).json();
    expect(list.items.every((x: { workerId: string }) => x.workerId === near.worker.id)).toBe(true);
    // The worker goes to the door: the full address on their own orders.
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((x: { elderAddress: string }) => x.elderAddress === '锦华路1号3栋2单元')).toBe(true);
  });

  it('shows the street only in order lists of everyone else, the full address on the order itself', async () => {
    const o = (await order((await newElder()).id)).json();
    const listed = (await operator.get('/api/v1/service-orders?limit=200'))
      .json()
      .items.find((x: { id: string }) => x.id === o.id);
    expect(listed.elderAddress).toBe('锦华路****');
    expect((await operator.get(`/api/v1/service-orders/${o.id}`)).json().elderAddress).toBe('锦华路1号3栋2单元');
  });
});
