import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import { alarms } from '../alarms/alarms.schema.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { serviceComplaints, serviceOrders } from '../orders/orders.schema.ts';
import { getServiceSettings } from '../orders/service-settings.repo.ts';
import { calls } from './calls.schema.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let agent: Api; // operator (call:take) of the district
let otherAgent: Api; // another operator of the district, no call:supervise
let supervisor: Api; // district admin (call:supervise)
let streetB: Api; // an operator whose region is street B only
let elderId: string;

const ELDER_PHONE = '13800138000';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const countRows = async (t: typeof calls | typeof serviceOrders | typeof alarms | typeof serviceComplaints) =>
  (await s.ctx.db.select().from(t)).length;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  agent = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  otherAgent = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  supervisor = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  streetB = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB })).api;
  const elder = await createElder(s.ctx, TREE.communityA1, {
    name: '王秀兰',
    phone: ELDER_PHONE,
    lat: 30.61,
    lng: 104.01,
    address: '甲一社区3号',
  });
  elderId = elder.id;
  await addContact(s.ctx, elderId, { name: '王小明', relationship: 'child', phone: '13900139000', callOrder: 1 });
  await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.61, lng: 104.01 },
  });
  const credit = await supervisor.post(
    `/api/v1/wallets/${elderId}/adjustments`,
    { currency: 'points', direction: 'credit', amount: 1000, reason: '测试' },
    { 'idempotency-key': 'calls-credit-1' },
  );
  expect(credit.statusCode, credit.body).toBe(201);
});
afterAll(() => s.close());

async function logCall(body: Record<string, unknown> = {}, api = agent) {
  const r = await api.post('/api/v1/calls', {
    direction: 'inbound',
    number: '138 0013 8000',
    offeredAt: minutesAgo(10),
    endedAt: minutesAgo(5),
    outcome: 'answered',
    categoryCode: 'housekeeping',
    notes: '老人想请人打扫卫生',
    ...body,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

describe('call records', () => {
  it('an agent logs a call by hand: the number is matched to the elder, stored encrypted, and masked in the list', async () => {
    const call = await logCall();
    expect(call).toMatchObject({
      direction: 'inbound',
      partyKind: 'elder',
      elderId,
      elderName: '王秀兰',
      outcome: 'answered',
      categoryCode: 'housekeeping',
      categoryName: '家政服务',
      numberMasked: '138****8000',
      loggedByHand: true,
      regionCode: TREE.communityA1,
    });
    expect(call.talkSeconds).toBe(300);
    const [row] = await s.ctx.db.select().from(calls).where(eq(calls.id, call.id));
    expect(row.callerEnc).not.toContain(ELDER_PHONE);
    expect(s.ctx.cipher.decrypt(row.callerEnc as string)).toBe(ELDER_PHONE);

    const list = await agent.get('/api/v1/calls?category=housekeeping');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(call.id);
    expect(list.body).not.toContain(ELDER_PHONE);
    expect(list.json().items.find((c: { id: string }) => c.id === call.id).numberMasked).toBe('138****8000');
    // Filters: direction, elder, time range.
    expect((await agent.get('/api/v1/calls?direction=outbound')).json().items.some((c: { id: string }) => c.id === call.id)).toBe(
      false,
    );
    expect((await agent.get(`/api/v1/calls?elderId=${elderId}`)).json().total).toBeGreaterThanOrEqual(1);
    const future = encodeURIComponent(new Date(Date.now() + 3600_000).toISOString());
    expect((await agent.get(`/api/v1/calls?from=${future}`)).json().items).toEqual([]);

    const [audit] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.log'), eq(auditLog.targetId, call.id)));
    expect(JSON.stringify(audit.detail)).not.toContain(ELDER_PHONE);
  });

  it("a contact's number files the call under the contact's elder; an unknown number stays unknown", async () => {
    const fromSon = await logCall({ number: '13900139000', categoryCode: 'comfort' });
    expect(fromSon).toMatchObject({ partyKind: 'contact', elderId, numberMasked: '139****9000' });
    const unknown = await logCall({ number: '13700000001', categoryCode: 'enquiry_allowance' });
    expect(unknown).toMatchObject({ partyKind: 'unknown', elderId: null, regionCode: TREE.district });
    // A parent category's filter also finds its sub-categories.
    const enquiries = (await agent.get('/api/v1/calls?category=enquiry')).json();
    expect(enquiries.items.map((c: { id: string }) => c.id)).toContain(unknown.id);
  });

  it('reading one call that names an elder is audited as an elder read', async () => {
    const call = await logCall();
    const r = await agent.get(`/api/v1/calls/${call.id}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: call.id, callerMasked: '138****8000', notes: '老人想请人打扫卫生' });
    const reads = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'elder.read'), eq(auditLog.targetId, elderId)));
    expect(reads.some((a) => (a.detail as { callId?: string }).callId === call.id)).toBe(true);
  });

  it('the agent who took the call sets category and notes and finishes after-call work; another agent may not, a supervisor may', async () => {
    const call = await logCall({ endedAt: undefined, categoryCode: undefined });
    const edit = await agent.patch(`/api/v1/calls/${call.id}`, {
      categoryCode: 'meals',
      subcategory: '送餐',
      notes: '需要每天午餐',
      finishWrapUp: true,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({
      categoryCode: 'meals',
      categoryName: '助餐',
      subcategory: '送餐',
      notes: '需要每天午餐',
    });
    expect(edit.json().wrapUpEndedAt).not.toBeNull();
    expect(edit.json().endedAt).not.toBeNull();

    const other = await otherAgent.patch(`/api/v1/calls/${call.id}`, { notes: '改一下' });
    expect(other.statusCode).toBe(403);
    const sup = await supervisor.patch(`/api/v1/calls/${call.id}`, { notes: '主管复核' });
    expect(sup.statusCode).toBe(200);
    expect(sup.json().notes).toBe('主管复核');
  });

  it('bad input is a 400 problem+json and writes nothing', async () => {
    const before = await countRows(calls);
    const base = { direction: 'inbound', offeredAt: minutesAgo(5), outcome: 'answered' };
    const cases: Array<Record<string, unknown>> = [
      { ...base, direction: 'sideways' },
      { ...base, outcome: 'maybe' },
      { ...base, offeredAt: 'yesterday' },
      { ...base, offeredAt: new Date(Date.now() + 86400_000 * 3).toISOString() }, // a call in the future
      { ...base, endedAt: minutesAgo(30) }, // ended before it was offered
      { ...base, outcome: 'no_answer', answeredAt: minutesAgo(4) }, // answered, yet not answered
      { ...base, categoryCode: 'no_such_category' },
      { ...base, number: 'call me maybe' },
      { ...base, extra: 1 },
    ];
    for (const body of cases) {
      const r = await agent.post('/api/v1/calls', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    const call = await logCall();
    const badPatch = await agent.patch(`/api/v1/calls/${call.id}`, { categoryCode: 'nope_nope' });
    expect(badPatch.statusCode).toBe(400);
    expect((await agent.patch(`/api/v1/calls/${call.id}`, {})).statusCode).toBe(400);
    expect(await countRows(calls)).toBe(before + 1);
  });

  it('a call outside the caller’s region is a 404 for every action', async () => {
    const call = await logCall();
    for (const [method, path, body] of [
      ['get', '', undefined],
      ['patch', '', { notes: 'x' }],
      ['get', '/card', undefined],
      ['post', '/order', {}],
      ['post', '/alarm', { priority: 'P2' }],
      ['post', '/complaint', { reason: '服务不好' }],
    ] as const) {
      const url = `/api/v1/calls/${call.id}${path}`;
      const r = method === 'get' ? await streetB.get(url) : await streetB[method](url, body);
      expect(r.statusCode, `${method} ${path}`).toBe(404);
    }
    expect((await streetB.get('/api/v1/calls')).json().items.some((c: { id: string }) => c.id === call.id)).toBe(false);
    // Logging a call for an elder the agent cannot see is a 404 too, and writes nothing.
    const before = await countRows(calls);
    const r = await streetB.post('/api/v1/calls', {
      direction: 'outbound',
      elderId,
      offeredAt: minutesAgo(1),
      outcome: 'no_answer',
    });
    expect(r.statusCode).toBe(404);
    expect(await countRows(calls)).toBe(before);
  });
});

describe('actions from a call', () => {
  it('an order from the call: the elder and the category’s default item, dispatched; a retry answers the same order', async () => {
    const call = await logCall();
    const first = await agent.post(`/api/v1/calls/${call.id}/order`, {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ callId: call.id, kind: 'order', created: true });
    const again = await agent.post(`/api/v1/calls/${call.id}/order`, {});
    expect(again.json()).toMatchObject({ id: first.json().id, created: false, orderNo: first.json().orderNo });
    const orders = await s.ctx.db.select().from(serviceOrders).where(eq(serviceOrders.elderId, elderId));
    const fromCall = orders.filter((o) => o.id === first.json().id);
    expect(fromCall).toHaveLength(1);
    expect(fromCall[0].itemId).toBe((await itemByCode(s.ctx, 'cleaning')).id);

    const detail = (await agent.get(`/api/v1/calls/${call.id}`)).json();
    expect(detail).toMatchObject({ orderId: first.json().id, orderNo: first.json().orderNo });
    const list = (await agent.get(`/api/v1/service-orders?elderId=${elderId}`)).json();
    expect(list.items.map((o: { id: string }) => o.id)).toContain(first.json().id);
  });

  it('an order needs an item: a category without default items and no item given is a 400, and nothing is written', async () => {
    const call = await logCall({ categoryCode: 'enquiry' });
    const before = await countRows(serviceOrders);
    const r = await agent.post(`/api/v1/calls/${call.id}/order`, {});
    expect(r.statusCode).toBe(400);
    expect((await agent.post(`/api/v1/calls/${call.id}/order`, { itemId: 'not-a-uuid' })).statusCode).toBe(400);
    expect(await countRows(serviceOrders)).toBe(before);
    const haircut = await itemByCode(s.ctx, 'haircut');
    const ok = await agent.post(`/api/v1/calls/${call.id}/order`, { itemId: haircut.id });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('a call from an unknown number cannot order, alarm or complain until it names an elder (409, nothing written)', async () => {
    const call = await logCall({ number: '13700000002' });
    const before = [await countRows(serviceOrders), await countRows(serviceComplaints)];
    expect((await agent.post(`/api/v1/calls/${call.id}/order`, {})).statusCode).toBe(409);
    expect((await agent.post(`/api/v1/calls/${call.id}/complaint`, { reason: '服务差' })).statusCode).toBe(409);
    expect([await countRows(serviceOrders), await countRows(serviceComplaints)]).toEqual(before);
    // The agent picks the elder (one outside the agent's region is a 404); then the order goes through.
    expect((await streetB.patch(`/api/v1/calls/${call.id}`, { elderId })).statusCode).toBe(404);
    const picked = await agent.patch(`/api/v1/calls/${call.id}`, { elderId });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json()).toMatchObject({ elderId, elderName: '王秀兰', partyKind: 'unknown' });
    expect((await agent.post(`/api/v1/calls/${call.id}/order`, {})).statusCode).toBe(200);
  });

  it('a P1 alarm from the call reaches the alarm queue as 来电求助; a retry answers the same alarm', async () => {
    const call = await logCall({ categoryCode: 'emergency', notes: '老人说胸口疼' });
    const r = await agent.post(`/api/v1/calls/${call.id}/alarm`, { priority: 'P1', note: '胸口疼' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'alarm', priority: 'P1', created: true });
    const again = await agent.post(`/api/v1/calls/${call.id}/alarm`, { priority: 'P1' });
    expect(again.json()).toMatchObject({ id: r.json().id, created: false });
    expect(await s.ctx.db.select().from(alarms).where(eq(alarms.id, r.json().id))).toHaveLength(1);

    const queue = (await agent.get('/api/v1/alarms?status=open')).json();
    const alarm = queue.items.find((a: { id: string }) => a.id === r.json().id);
    expect(alarm).toMatchObject({ type: 'call_report', priority: 'P1', elderId });
    expect((await agent.get(`/api/v1/calls/${call.id}`)).json().alarmId).toBe(r.json().id);
    expect((await agent.post(`/api/v1/calls/${call.id}/alarm`, { priority: 'P3' })).statusCode).toBe(400);
  });

  it('a complaint from the call appears in the complaints list with the configured deadline; a retry answers the same one', async () => {
    const call = await logCall({ categoryCode: 'complaint', notes: '上次打扫不干净' });
    const hours = (await getServiceSettings(s.ctx.db)).complaintFollowUpHours;
    const t0 = Date.now();
    const r = await agent.post(`/api/v1/calls/${call.id}/complaint`, { reason: '上次打扫不干净' });
    expect(r.statusCode, r.body).toBe(200);
    const due = Date.parse(r.json().dueAt);
    expect(due).toBeGreaterThanOrEqual(t0 + hours * 3600_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + hours * 3600_000 + 1000);
    const again = await agent.post(`/api/v1/calls/${call.id}/complaint`, { reason: '上次打扫不干净' });
    expect(again.json()).toMatchObject({ id: r.json().id, created: false, dueAt: r.json().dueAt });
    expect(await s.ctx.db.select().from(serviceComplaints).where(eq(serviceComplaints.callId, call.id))).toHaveLength(1);

    const list = (await agent.get('/api/v1/service-complaints?status=open')).json();
    expect(list.items.find((c: { id: string }) => c.id === r.json().id)).toMatchObject({
      callId: call.id,
      orderId: null,
      elderName: '王秀兰',
      reason: '上次打扫不干净',
      status: 'open',
    });
    expect((await agent.get(`/api/v1/calls/${call.id}`)).json().complaintId).toBe(r.json().id);
    // Bad input: too short a reason, an order that is not the elder's.
    expect((await agent.post(`/api/v1/calls/${call.id}/complaint`, { reason: '' })).statusCode).toBe(400);
  });

  it('two requests at once for one call still make one order and one alarm', async () => {
    const call = await logCall();
    const orders = await Promise.all([1, 2].map(() => agent.post(`/api/v1/calls/${call.id}/order`, {})));
    expect(orders.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(new Set(orders.map((r) => r.json().id)).size).toBe(1);
    expect(orders.map((r) => r.json().created).sort()).toEqual([false, true]);
    const raised = await Promise.all([1, 2].map(() => agent.post(`/api/v1/calls/${call.id}/alarm`, { priority: 'P2' })));
    expect(new Set(raised.map((r) => r.json().id)).size).toBe(1);
    expect(await s.ctx.db.select().from(serviceOrders).where(eq(serviceOrders.id, orders[0].json().id))).toHaveLength(1);
  });

  it('each action is audited on the call', async () => {
    const rows = await s.ctx.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetType, 'call'));
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['call.log', 'call.update', 'call.order', 'call.alarm', 'call.complaint']) expect(actions).toContain(a);
  });
});

describe('call categories', () => {
  it('are a tree any call reader sees', async () => {
    const r = await agent.get('/api/v1/call-categories');
    expect(r.statusCode).toBe(200);
    const enquiry = r.json().items.find((c: { code: string }) => c.code === 'enquiry');
    expect(enquiry.children.map((c: { name: string }) => c.name)).toContain('高龄津贴');
    expect(r.json().items.find((c: { code: string }) => c.code === 'housekeeping').defaultItemCodes).toContain('cleaning');
  });

  it('a supervisor edits names, default items and active; an agent without call:supervise may not', async () => {
    const denied = await agent.put('/api/v1/call-categories/other', { name: '其它事项' });
    expect(denied.statusCode).toBe(403);
    const bad = await supervisor.put('/api/v1/call-categories/other', { defaultItemCodes: ['no_such_item'] });
    expect(bad.statusCode).toBe(400);
    expect((await supervisor.put('/api/v1/call-categories/other', {})).statusCode).toBe(400);
    expect((await supervisor.put('/api/v1/call-categories/no_such_code', { name: '无' })).statusCode).toBe(404);

    const ok = await supervisor.put('/api/v1/call-categories/other', { name: '其它事项', defaultItemCodes: ['haircut'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ code: 'other', name: '其它事项', defaultItemCodes: ['haircut'] });
    const off = await supervisor.put('/api/v1/call-categories/misdial', { active: false });
    expect(off.json().active).toBe(false);
    const tree = (await agent.get('/api/v1/call-categories')).json();
    expect(tree.items.some((c: { code: string }) => c.code === 'misdial')).toBe(false);
    expect(tree.items.find((c: { code: string }) => c.code === 'other').name).toBe('其它事项');
    // An inactive category cannot be chosen for a new call.
    expect(
      (
        await agent.post('/api/v1/calls', {
          direction: 'inbound',
          offeredAt: minutesAgo(1),
          outcome: 'answered',
          categoryCode: 'misdial',
        })
      ).statusCode,
    ).toBe(400);
    const [audit] = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call-category.update'), eq(auditLog.targetId, 'other')));
    expect(audit.detail).toMatchObject({ changed: { name: { from: '其他', to: '其它事项' } } });
  });
});
