import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { hoursFromNow, itemByCode } from '../../testing/service.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { auditLog } from '../audit/audit.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let agent: Api;
let streetBAgent: Api;
let elder: Awaited<ReturnType<typeof createElder>>;
let orderId: string;
let alarmId: string;

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  agent = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  streetBAgent = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB })).api;
  const admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  elder = await createElder(s.ctx, TREE.communityA1, { name: '李桂芳', phone: '13600136000', address: '甲一社区8号' });
  await addContact(s.ctx, elder.id, { name: '李强', relationship: 'child', phone: '13500135000', callOrder: 1, holdsKey: true });
  await addContact(s.ctx, elder.id, { name: '张梅', relationship: 'neighbour', phone: '13400134000', callOrder: 2 });
  const credit = await admin.post(
    `/api/v1/wallets/${elder.id}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 500, reason: '测试' },
    { 'idempotency-key': 'card-credit-1' },
  );
  expect(credit.statusCode, credit.body).toBe(201);
  const order = await admin.post('/api/v1/service-orders', {
    elderId: elder.id,
    itemId: (await itemByCode(s.ctx, 'cleaning')).id,
    scheduledAt: hoursFromNow(4),
  });
  expect(order.statusCode, order.body).toBe(201);
  orderId = order.json().id;
  const alarm = await s.ctx.db.transaction((tx) =>
    raiseAlarm(s.ctx, tx, {
      type: 'inactivity',
      priority: 'P2',
      mergeKey: `inactivity:${elder.id}`,
      elderId: elder.id,
      deviceId: null,
      regionCode: elder.regionCode,
      at: new Date(),
    }),
  );
  alarmId = alarm.id;
});
afterAll(() => s.close());

async function logCall(body: Record<string, unknown>) {
  const r = await agent.post('/api/v1/calls', {
    direction: 'inbound',
    offeredAt: minutesAgo(20),
    outcome: 'answered',
    ...body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

describe('the caller card (弹屏)', () => {
  it("a call from the elder's phone opens her card: profile masked, contacts, open alarm, open order, wallet, previous calls — audited as an elder read", async () => {
    const earlier = await logCall({ number: '13600136000', categoryCode: 'meals', notes: '问助餐点开门时间' });
    const call = await logCall({ number: '13600136000', offeredAt: minutesAgo(2) });
    const r = await agent.get(`/api/v1/calls/${call.id}/card`);
    expect(r.statusCode, r.body).toBe(200);
    const card = r.json();
    expect(card.callId).toBe(call.id);
    expect(card.elder).toMatchObject({ id: elder.id, name: '李桂芳', phoneMasked: '136****6000', address: '甲一社区8号' });
    expect(card.elder.idNumberMasked).not.toBe(elder.idNumber);
    expect(card.elder.idNumberMasked).toContain('*');
    expect(r.body).not.toContain(elder.idNumber);
    expect(r.body).not.toContain('13600136000');
    expect(r.body).not.toContain('13500135000');
    expect(card.contacts.map((c: { name: string }) => c.name)).toEqual(['李强', '张梅']);
    expect(card.contacts[0]).toMatchObject({ phoneMasked: '135****5000', holdsKey: true });
    expect(card.openAlarms).toEqual([expect.objectContaining({ id: alarmId, type: 'inactivity', priority: 'P2' })]);
    expect(card.openOrders.map((o: { id: string }) => o.id)).toContain(orderId);
    // 500 points credited, the order's points are held.
    expect(card.wallet.points).toBeLessThan(500);
    expect(card.wallet.frozen).toBe(false);
    // Previous calls: the earlier one, not the call being read.
    expect(card.previousCalls.map((c: { id: string }) => c.id)).toEqual([earlier.id]);
    expect(card.previousCalls[0]).toMatchObject({ categoryName: '助餐', notes: '问助餐点开门时间' });

    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read'), eq(auditLog.targetId, elder.id)));
    expect(reads.some((a) => (a.detail as { via?: string }).via === 'caller-card')).toBe(true);
  });

  it('opens the same card by elder id without a call, and keeps to the 10 most recent calls', async () => {
    for (let i = 0; i < 11; i++) await logCall({ elderId: elder.id, offeredAt: minutesAgo(60 + i) });
    const r = await agent.get(`/api/v1/calls/card?elderId=${elder.id}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ callId: null, elder: { id: elder.id } });
    expect(r.json().previousCalls).toHaveLength(10);
  });

  it('an unknown caller gets a card without an elder, with the number’s previous calls', async () => {
    const first = await logCall({ number: '13300133000', categoryCode: 'enquiry' });
    const second = await logCall({ number: '133 0013 3000', offeredAt: minutesAgo(1) });
    const card = (await agent.get(`/api/v1/calls/${second.id}/card`)).json();
    expect(card).toMatchObject({ callId: second.id, elder: null, contacts: [], openAlarms: [], wallet: null });
    expect(card.previousCalls.map((c: { id: string }) => c.id)).toEqual([first.id]);
  });

  it('an elder or a call outside the agent’s region is a 404; a bad elder id is a 400', async () => {
    expect((await streetBAgent.get(`/api/v1/calls/card?elderId=${elder.id}`)).statusCode).toBe(404);
    const call = await logCall({ elderId: elder.id });
    expect((await streetBAgent.get(`/api/v1/calls/${call.id}/card`)).statusCode).toBe(404);
    const bad = await agent.get('/api/v1/calls/card?elderId=nobody');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('a street staff member who reads calls but does not take them cannot open a card', async () => {
    const reader = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
    expect((await reader.get(`/api/v1/calls/card?elderId=${elder.id}`)).statusCode).toBe(403);
    expect((await reader.get('/api/v1/calls')).statusCode).toBe(200);
  });
});
