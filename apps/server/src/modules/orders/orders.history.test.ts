import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { createElder } from '../../testing/elders.ts';
import { type client, clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import { sealAll } from '../audit/audit.chain.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import * as repo from './orders.repo.ts';
import { dispatchOffers, serviceOrderHistory } from './orders.schema.ts';

// An order's row and its history rows are written by one statement each (orders.repo
// `insertOrderWithHistory`, `updateOrderWithHistory`), and an offer's deadline is read from the
// service rules by the offer's own insert: what users see must be exactly what separate
// statements wrote before.

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let operator: Api;
let provider: Awaited<ReturnType<typeof createServiceProvider>>;
let cleaningId: string;
const HOME = { lat: 30.61, lng: 104.01 };
const when = `${addDays(cstDate(), 2)}T10:00:00+08:00`;
let n = 0;

async function newElder() {
  const e = await createElder(s.ctx, TREE.communityB1, { ...HOME, birthDate: `1942-02-${String(++n).padStart(2, '0')}` });
  const r = await admin.post(
    `/api/v1/wallets/${e.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 300, reason: '测试' },
    { 'idempotency-key': `history-${n}-${Date.now()}` },
  );
  expect(r.statusCode).toBe(201);
  return e.id;
}

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetB,
    communities: [TREE.communityB1],
    site: { lat: 30.612, lng: 104.012 },
    name: '历史服务',
  });
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
});
afterAll(() => s.close());

describe('an order and its history, one statement each', () => {
  it('what the create returns is what a read returns, with the create and dispatch rows in order', async () => {
    const elderId = await newElder();
    const created = await operator.post('/api/v1/service-orders', {
      elderId,
      itemId: cleaningId,
      scheduledAt: when,
      quantity: 2,
    });
    expect(created.statusCode).toBe(201);
    const o = created.json();
    const detail = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    for (const k of ['id', 'no', 'status', 'providerId', 'points', 'scheduledAt', 'channel', 'createdAt', 'updatedAt'])
      expect(detail[k], k).toEqual(o[k]);
    expect(detail.no).toMatch(/^FW\d{8}\d{6,}$/);
    const rows = await s.ctx.db
      .select()
      .from(serviceOrderHistory)
      .where(eq(serviceOrderHistory.orderId, o.id))
      .orderBy(serviceOrderHistory.id);
    expect(rows.map((h) => [h.action, h.fromStatus, h.toStatus])).toEqual([
      ['create', null, 'created'],
      ['dispatch', 'created', 'dispatched'],
    ]);
    expect(rows[0]).toMatchObject({
      actorName: expect.any(String),
      detail: { channel: 'console', payment: 'points', points: 80 },
    });
    expect(rows[0].actorId).not.toBeNull();
    const [offer] = await s.ctx.db.select().from(dispatchOffers).where(eq(dispatchOffers.orderId, o.id));
    expect(rows[1].detail).toMatchObject({ providerId: provider.org.id, offerId: offer.id });
    expect(offer).toMatchObject({
      providerId: provider.org.id,
      mode: 'auto',
      status: 'offered',
      score: o.dispatchExplain.chosen.score,
    });
    expect(offer.explain).toEqual(o.dispatchExplain);
    // The audit entry is written by the order's insert too: its id, the number the insert drew,
    // who ordered what; and the sealer chains it like any other entry.
    const audit = await s.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, o.id));
    expect(audit.map((a) => a.action)).toEqual(['order.create']);
    expect(audit[0]).toMatchObject({
      targetType: 'service_order',
      regionCode: TREE.communityB1,
      outcome: 'ok',
      actorRole: 'operator',
      detail: { no: o.no, item: 'cleaning', payment: 'points', points: 80 },
    });
    expect(audit[0].actorId).toBe(rows[0].actorId);
    expect(Math.abs(audit[0].at.getTime() - new Date(o.createdAt).getTime())).toBeLessThan(60_000);
    await sealAll(s.ctx.db, { block: true });
    expect(await verifyAuditChain(s.ctx.db)).toMatchObject({ ok: true, unsealed: { count: 0 } });
  });

  it('a move returns the row as a fresh read sees it; a move from the wrong status writes nothing', async () => {
    const elderId = await newElder();
    const o = (await operator.post('/api/v1/service-orders', { elderId, itemId: cleaningId, scheduledAt: when })).json();
    const historyCount = async () =>
      (await s.ctx.db.select().from(serviceOrderHistory).where(eq(serviceOrderHistory.orderId, o.id))).length;
    const before = await historyCount();
    const refused = await repo.updateOrderWithHistory(s.ctx.db, o.id, ['served'], { status: 'cancelled' }, { action: 'x' });
    expect(refused).toBeUndefined();
    expect(await historyCount()).toBe(before);
    const moved = await repo.updateOrderWithHistory(
      s.ctx.db,
      o.id,
      ['dispatched'],
      { status: 'accepted', flags: ['short_visit', 'worker_overlap'] },
      { fromStatus: 'dispatched', action: 'accept', actorId: null, actorName: '测试', detail: { n: 1 } },
    );
    expect(moved?.row).toEqual(await repo.findOrder(s.ctx.db, o.id));
    expect(moved?.row.scheduledAt).toBeInstanceOf(Date);
    expect(moved?.offerExpiresAt).toBeNull();
    expect(await historyCount()).toBe(before + 1);
    const [last] = await s.ctx.db
      .select()
      .from(serviceOrderHistory)
      .where(eq(serviceOrderHistory.orderId, o.id))
      .orderBy(serviceOrderHistory.id)
      .then((r) => r.slice(-1));
    expect(last).toMatchObject({
      action: 'accept',
      fromStatus: 'dispatched',
      toStatus: 'accepted',
      detail: { n: 1 },
      reason: null,
    });
  });

  it("an offer's deadline follows the service rules as they stand when it is made", async () => {
    const deadlineMinutes = async () => {
      const elderId = await newElder();
      const o = (await operator.post('/api/v1/service-orders', { elderId, itemId: cleaningId, scheduledAt: when })).json();
      const [offer] = await s.ctx.db.select().from(dispatchOffers).where(eq(dispatchOffers.orderId, o.id));
      return (offer.expiresAt.getTime() - offer.offeredAt.getTime()) / 60_000;
    };
    const standing = (await admin.get('/api/v1/service-settings')).json().acceptMinutes;
    expect(await deadlineMinutes()).toBeCloseTo(standing, 1);
    expect((await admin.put('/api/v1/service-settings', { acceptMinutes: standing + 15 })).statusCode).toBe(200);
    expect(await deadlineMinutes()).toBeCloseTo(standing + 15, 1);
  });
});
