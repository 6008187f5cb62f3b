import { createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../lib/sql-rows.ts';
import { addContact, createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callAgents, calls } from './calls.schema.ts';

// Commands out (docs/cti.md): the console's click to dial, answer, hang up and transfer go through
// the configured telephony adapter. With the built-in simulator (the default where the simulator
// is on) they play the events a PBX would send; with the manual adapter (no PBX) a person does
// them on a desk phone and a dial answers the number to dial.

type Server = { s: TestServer; sup: Awaited<ReturnType<typeof clientAs>> };
let sim: Server;
let manual: Server;
let kam: Server;
const SIP_SECRET = 'commands-test-sip-secret-0123456789';
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;
const ELDER_PHONE = '13800138222';
const CONTACT_PHONE = '13900139222';

async function setUp(config: Record<string, unknown>): Promise<Server> {
  const s = await startTestServer({ config });
  await seedTree(s.ctx);
  const sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const h = await sup.api.post('/api/v1/call-hotlines', { number: '968962', name: '为老服务热线', regionCode: TREE.district });
  expect(h.statusCode, h.body).toBe(201);
  return { s, sup };
}

/** An operator registered as an agent and set idle. */
async function agentOn({ s, sup }: Server) {
  const u = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  const extension = uid('ext');
  expect((await sup.api.post('/api/v1/call-agents', { userId: u.account.id, extension })).statusCode).toBe(201);
  expect((await u.api.put('/api/v1/call-agents/me/state', { state: 'idle' })).statusCode).toBe(200);
  return { ...u, extension };
}

const stateOf = async ({ s }: Server, userId: string) =>
  (await s.ctx.db.select().from(callAgents).where(eq(callAgents.userId, userId)))[0].state;
const callRow = async ({ s }: Server, id: string) => (await s.ctx.db.select().from(calls).where(eq(calls.id, id)))[0];
const counts = async ({ s }: Server) =>
  (
    await queryRows<{ calls: number; events: number; audits: number }>(
      s.ctx.db,
      sql`SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM cti_events) AS events,
                 (SELECT count(*)::int FROM audit_log) AS audits`,
    )
  )[0];

/** The simulator offers a call from the elder's number and rings the agent; the call record's id. */
async function ringAgent(on: Server, extension: string) {
  const ext = uid('call');
  const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
  const post = (body: Record<string, unknown>) =>
    on.sup.api.post('/api/v1/cti/simulator/events', { eventId: uid('e'), callId: ext, ...body });
  expect((await post({ type: 'call.offered', occurredAt: at(5), hotline: '968962', caller: ELDER_PHONE })).statusCode).toBe(200);
  const ring = await post({ type: 'call.ringing', occurredAt: at(4), extension });
  expect(ring.statusCode, ring.body).toBe(200);
  return ring.json().callId as string;
}

let elderId: string;
let contactId: string;
let manualElderId: string;

beforeAll(async () => {
  [sim, manual, kam] = await Promise.all([
    setUp({}),
    setUp({ ctiAdapter: 'manual' }),
    setUp({ ctiAdapter: 'kamailio', sipWsUrl: 'wss://sip.example.org/ws', sipAuthSecret: SIP_SECRET, sipDomain: 'zhiyang' }),
  ]);
  elderId = (await createElder(sim.s.ctx, TREE.communityA1, { name: '赵淑芬', phone: ELDER_PHONE })).id;
  contactId = (
    await addContact(sim.s.ctx, elderId, { name: '赵小军', relationship: 'child', phone: CONTACT_PHONE, callOrder: 1 })
  ).id;
  manualElderId = (await createElder(manual.s.ctx, TREE.communityA1, { name: '孙桂英', phone: ELDER_PHONE })).id;
});
afterAll(async () => {
  await Promise.all([sim?.s.close(), manual?.s.close(), kam?.s.close()]);
});

describe('with the phone simulator as the adapter', () => {
  it('says the console controls the line', async () => {
    const a = await agentOn(sim);
    expect((await a.api.get('/api/v1/cti/telephony')).json()).toEqual({ adapter: 'simulator', controls: true });
  });

  it('click to dial calls the elder: an outbound call record, the agent on the call; hang up ends it into after-call work', async () => {
    const a = await agentOn(sim);
    const r = await a.api.post('/api/v1/calls/dial', { elderId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'sent', number: null, numberMasked: '138****8222' });
    const callId = r.json().callId as string;
    expect(callId).toBeTruthy();
    const call = await callRow(sim, callId);
    expect(call).toMatchObject({ direction: 'outbound', elderId, agentUserId: a.account.id, outcome: null });
    expect(call.answeredAt).not.toBeNull();
    expect(await stateOf(sim, a.account.id)).toBe('talking');
    // The card of the call is the agent's, and the number is masked there.
    const detail = (await sim.sup.api.get(`/api/v1/calls/${callId}`)).json();
    expect(JSON.stringify(detail)).not.toContain(ELDER_PHONE);

    // A second dial while on the call is refused and places nothing.
    const before = await counts(sim);
    const again = await a.api.post('/api/v1/calls/dial', { elderId });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect((await counts(sim)).calls).toBe(before.calls);

    const hang = await a.api.post(`/api/v1/calls/${callId}/hang-up`);
    expect(hang.statusCode, hang.body).toBe(200);
    expect(await callRow(sim, callId)).toMatchObject({ outcome: 'answered' });
    expect(await stateOf(sim, a.account.id)).toBe('wrap_up');
    expect((await a.api.post(`/api/v1/calls/${callId}/hang-up`)).statusCode).toBe(409);

    // Audited without the number.
    const rows = await sim.s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, a.account.id), eq(auditLog.action, 'call.dial')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ targetType: 'elder', targetId: elderId });
    expect(JSON.stringify(rows[0].detail)).not.toContain('8222');
  });

  it('a dial to a contact of the elder calls the contact’s number', async () => {
    const a = await agentOn(sim);
    const r = await a.api.post('/api/v1/calls/dial', { elderId, contactId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().numberMasked).toBe('139****9222');
    expect(await callRow(sim, r.json().callId)).toMatchObject({ partyKind: 'contact', elderId });
    expect((await a.api.post(`/api/v1/calls/${r.json().callId}/hang-up`)).statusCode).toBe(200);
  });

  it('answer takes the call ringing for the agent; transfer rings another agent', async () => {
    const a = await agentOn(sim);
    const b = await agentOn(sim);
    const callId = await ringAgent(sim, a.extension);
    expect(await stateOf(sim, a.account.id)).toBe('ringing');

    // Another agent cannot answer or hang up a call that is not theirs; nothing changes.
    expect((await b.api.post(`/api/v1/calls/${callId}/answer`)).statusCode).toBe(404);
    expect((await b.api.post(`/api/v1/calls/${callId}/hang-up`)).statusCode).toBe(404);
    // Not answered yet: no transfer.
    expect((await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: b.account.id })).statusCode).toBe(409);

    const ans = await a.api.post(`/api/v1/calls/${callId}/answer`);
    expect(ans.statusCode, ans.body).toBe(200);
    expect(await stateOf(sim, a.account.id)).toBe('talking');
    expect((await callRow(sim, callId)).answeredAt).not.toBeNull();
    expect((await a.api.post(`/api/v1/calls/${callId}/answer`)).statusCode).toBe(409);

    expect((await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: a.account.id })).statusCode).toBe(400);
    const t = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: b.account.id });
    expect(t.statusCode, t.body).toBe(200);
    expect(await stateOf(sim, a.account.id)).toBe('wrap_up');
    expect(await stateOf(sim, b.account.id)).toBe('ringing');
    expect((await callRow(sim, callId)).agentUserId).toBe(b.account.id);
    expect((await b.api.post(`/api/v1/calls/${callId}/answer`)).statusCode).toBe(200);
    expect(await stateOf(sim, b.account.id)).toBe('talking');
    expect((await b.api.post(`/api/v1/calls/${callId}/hang-up`)).statusCode).toBe(200);
    expect(await callRow(sim, callId)).toMatchObject({ outcome: 'answered' });
  });

  it('转外线: the agent hands the caller to an outside number; the agent is free for after-call work, the call goes on until the outside party hangs up', async () => {
    const a = await agentOn(sim);
    const callId = await ringAgent(sim, a.extension);
    // Not answered yet: nothing to hand over.
    expect((await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '13912345678' })).statusCode).toBe(409);
    expect((await a.api.post(`/api/v1/calls/${callId}/answer`)).statusCode).toBe(200);
    // Not a number, both kinds of target at once, or neither: 400, and the call stays with the agent.
    for (const body of [{ toNumber: '139-1234' }, { toNumber: '12' }, { toNumber: '13912345678', toUserId: a.account.id }, {}]) {
      const bad = await a.api.post(`/api/v1/calls/${callId}/transfer`, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await stateOf(sim, a.account.id)).toBe('talking');
    const t = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '13912345678' });
    expect(t.statusCode, t.body).toBe(200);
    expect(await stateOf(sim, a.account.id)).toBe('wrap_up');
    const row = await callRow(sim, callId);
    // The agent who talked stays the call's agent; the call is not over, and the number is kept encrypted.
    expect(row).toMatchObject({ agentUserId: a.account.id, endedAt: null });
    expect(row.transferredOutAt).not.toBeNull();
    expect(row.transferredOutEnc).not.toContain('13912345678');
    const detail = (await sim.sup.api.get(`/api/v1/calls/${callId}`)).json();
    expect(detail).toMatchObject({ transferredOutMasked: '139****5678', endedAt: null });
    // The line is no longer the agent's: a second transfer or a hang-up from the console is refused.
    expect((await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '120' })).statusCode).toBe(409);
    expect((await a.api.post(`/api/v1/calls/${callId}/hang-up`)).statusCode).toBe(409);
    // The audit names the number masked only.
    const audit = (await sim.sup.api.get(`/api/v1/audit-log?targetId=${callId}&limit=50`)).json().items as Array<{
      action: string;
      detail: Record<string, unknown>;
    }>;
    const out = audit.find((x) => x.action === 'call.transfer-out');
    expect(out?.detail).toMatchObject({ toNumberMasked: '139****5678' });
    expect(JSON.stringify(audit)).not.toContain('13912345678');
  });

  it('bad commands get a clear 4xx and place nothing', async () => {
    const a = await agentOn(sim);
    const notAgent = await clientAs(sim.s.app, sim.s.ctx, 'operator', { regionCode: TREE.streetA });
    const other = await createElder(sim.s.ctx, TREE.communityB1, { name: '钱玉兰', phone: '13800138333' });
    const noPhone = await createElder(sim.s.ctx, TREE.communityA1, { name: '周凤英' });
    const streetB = await clientAs(sim.s.app, sim.s.ctx, 'operator', { regionCode: TREE.streetB });
    await sim.sup.api.post('/api/v1/call-agents', { userId: streetB.account.id, extension: uid('ext') });
    const logged = await a.api.post('/api/v1/calls', {
      direction: 'inbound',
      number: ELDER_PHONE,
      offeredAt: new Date(Date.now() - 60_000).toISOString(),
      endedAt: new Date().toISOString(),
      outcome: 'answered',
    });
    const before = await counts(sim);
    const cases: Array<[Promise<{ statusCode: number; headers: Record<string, unknown> }>, number]> = [
      [notAgent.api.post('/api/v1/calls/dial', { elderId }), 409],
      [streetB.api.post('/api/v1/calls/dial', { elderId }), 404],
      // An elder of another street is not the agent's to see, even with a contact of a visible one.
      [a.api.post('/api/v1/calls/dial', { elderId: other.id, contactId }), 404],
      [a.api.post('/api/v1/calls/dial', { elderId, contactId: other.id }), 400],
      [a.api.post('/api/v1/calls/dial', { elderId: noPhone.id }), 400],
      [a.api.post('/api/v1/calls/dial', { elderId: 'nope' }), 400],
      [a.api.post('/api/v1/calls/dial', { elderId, extra: 1 }), 400],
      [a.api.post(`/api/v1/calls/${logged.json().id}/hang-up`), 409],
      [a.api.post('/api/v1/calls/00000000-0000-4000-8000-000000000000/answer'), 404],
    ];
    for (const [p, status] of cases) {
      const r = await p;
      expect(r.statusCode).toBe(status);
      expect(String(r.headers['content-type'])).toContain('application/problem+json');
    }
    const after = await counts(sim);
    expect({ calls: after.calls, events: after.events }).toEqual({ calls: before.calls, events: before.events });
  });
});

describe('with the manual adapter (no PBX)', () => {
  it('a dial answers the number to dial on the desk phone, places no call and is audited', async () => {
    const a = await agentOn(manual);
    expect((await a.api.get('/api/v1/cti/telephony')).json()).toEqual({ adapter: 'manual', controls: false });
    const before = await counts(manual);
    const r = await a.api.post('/api/v1/calls/dial', { elderId: manualElderId });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      status: 'manual',
      callId: null,
      externalCallId: null,
      number: ELDER_PHONE,
      numberMasked: '138****8222',
      softphone: null,
    });
    const after = await counts(manual);
    expect(after.calls).toBe(before.calls);
    expect(after.audits).toBe(before.audits + 1);
    expect(await stateOf(manual, a.account.id)).toBe('idle');
  });

  it('answer and hang up of a telephony call are for the desk phone: nothing changes', async () => {
    const a = await agentOn(manual);
    const callId = await ringAgent(manual, a.extension);
    const r = await a.api.post(`/api/v1/calls/${callId}/answer`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'manual', callId });
    expect((await callRow(manual, callId)).answeredAt).toBeNull();
    expect(await stateOf(manual, a.account.id)).toBe('ringing');
  });
});

describe('with Zhiyang’s own telephony (the kamailio adapter)', () => {
  it('a dial hands the softphone a target and a signed one-minute ticket for this extension and number; no call until Kamailio reports it', async () => {
    const kamElder = (await createElder(kam.s.ctx, TREE.communityA1, { name: '钱玉珍', phone: ELDER_PHONE })).id;
    const a = await agentOn(kam);
    expect((await a.api.get('/api/v1/cti/telephony')).json()).toMatchObject({ adapter: 'kamailio', controls: true });
    const before = await counts(kam);
    const r = await a.api.post('/api/v1/calls/dial', { elderId: kamElder });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ status: 'sent', callId: null, number: null, numberMasked: '138****8222' });
    expect(body.softphone.target).toBe(`sip:${ELDER_PHONE}@zhiyang`);
    const header = body.softphone.extraHeaders[0] as string;
    expect(header.startsWith('X-Zy-Dial: ')).toBe(true);
    const ticket = header.slice('X-Zy-Dial: '.length);
    const [expiry, extension, number, from, callId, sig] = ticket.split('.');
    expect({ extension, number, from, callId }).toEqual({
      extension: a.extension,
      number: ELDER_PHONE,
      from: '968962',
      callId: body.externalCallId,
    });
    expect(callId).toMatch(/^sip-out-[0-9a-f-]{36}$/);
    const left = Number(expiry) - Date.now() / 1000;
    expect(left).toBeGreaterThan(50);
    expect(left).toBeLessThanOrEqual(60);
    // Kamailio checks this signature with the same secret (route[OUTBOUND]); a changed number breaks it.
    const mac = (payload: string) => createHmac('sha256', SIP_SECRET).update(payload).digest('base64url');
    expect(sig).toBe(mac(ticket.slice(0, ticket.lastIndexOf('.'))));
    expect(sig).not.toBe(mac(`${expiry}.${extension}.13900000000.${from}.${callId}`));
    // Nothing is recorded until the telephony reports the call; the dial itself is audited.
    const after = await counts(kam);
    expect(after.calls).toBe(before.calls);
    expect(after.audits).toBe(before.audits + 1);
  });
});

describe('转接 with Zhiyang’s own telephony', () => {
  it('lists the other agents at work, and a transfer hands the softphone a signed ticket naming that agent and this call', async () => {
    const a = await agentOn(kam);
    const b = await agentOn(kam);
    const off = await agentOn(kam);
    expect((await off.api.put('/api/v1/call-agents/me/state', { state: 'offline' })).statusCode).toBe(200);
    const targets = await a.api.get('/api/v1/call-agents/transfer-targets');
    expect(targets.statusCode, targets.body).toBe(200);
    const exts = (targets.json().items as Array<{ extension: string }>).map((x) => x.extension);
    expect(exts).toContain(b.extension);
    expect(exts).not.toContain(a.extension);
    expect(exts).not.toContain(off.extension);

    // An answered inbound call as Kamailio reports it (its id: "sip-" + md5 of the SIP Call-ID).
    const ext = `sip-${'0123456789abcdef'.repeat(2)}`;
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const post = (body: Record<string, unknown>) =>
      kam.sup.api.post('/api/v1/cti/simulator/events', { eventId: uid('e'), callId: ext, ...body });
    expect((await post({ type: 'call.offered', occurredAt: at(5), hotline: '968962', caller: ELDER_PHONE })).statusCode).toBe(
      200,
    );
    const ring = await post({ type: 'call.ringing', occurredAt: at(4), extension: a.extension });
    expect((await post({ type: 'call.answered', occurredAt: at(3), extension: a.extension })).statusCode).toBe(200);
    const callId = ring.json().callId as string;

    const r = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: b.account.id });
    expect(r.statusCode, r.body).toBe(200);
    const target = r.json().softphone.target as string;
    const m = /^sip:zx\.(\d+)\.([^.]+)\.(sip-[0-9a-f]{32})\.([A-Za-z0-9_-]+)@zhiyang$/.exec(target);
    expect(m, target).not.toBeNull();
    const [, expiry, extension, call, sig] = m as RegExpExecArray;
    expect({ extension, call }).toEqual({ extension: b.extension, call: ext });
    expect(Number(expiry) - Date.now() / 1000).toBeLessThanOrEqual(60);
    // Kamailio's route[TRANSFER_IN] checks this with the same secret.
    expect(sig).toBe(createHmac('sha256', SIP_SECRET).update(`${expiry}.${extension}.${call}`).digest('base64url'));
    // Another agent's call cannot be transferred by this one.
    expect((await b.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: a.account.id })).statusCode).toBe(404);

    // 转外线: a ticket naming the outside number and this call (Kamailio's route[TRANSFER_OUT]).
    const o = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '13912345678' });
    expect(o.statusCode, o.body).toBe(200);
    const out = /^sip:zo\.(\d+)\.(\d+)\.(sip-[0-9a-f]{32})\.([A-Za-z0-9_-]+)@zhiyang$/.exec(o.json().softphone.target);
    expect(out, o.body).not.toBeNull();
    const [, oExpiry, number, oCall, oSig] = out as RegExpExecArray;
    expect({ number, oCall }).toEqual({ number: '13912345678', oCall: ext });
    expect(oSig).toBe(createHmac('sha256', SIP_SECRET).update(`${oExpiry}.${number}.${oCall}`).digest('base64url'));
    // Nothing changes until Kamailio reports that the outside number answered (call.transferred_out).
    expect(await stateOf(kam, a.account.id)).toBe('talking');
    expect((await post({ type: 'call.transferred_out', occurredAt: at(1), toNumber: '13912345678' })).statusCode).toBe(200);
    expect(await stateOf(kam, a.account.id)).toBe('wrap_up');
    expect((await post({ type: 'call.ended', occurredAt: at(0), outcome: 'answered' })).statusCode).toBe(200);
    expect(await callRow(kam, callId)).toMatchObject({ outcome: 'answered', agentUserId: a.account.id });
  });
});

describe('转接 and 转外线 of an agent’s outbound call (click-to-dial) with Zhiyang’s own telephony', () => {
  const OUT_PHONE = '13800138333';
  let outElder: string;
  beforeAll(async () => {
    outElder = (await createElder(kam.s.ctx, TREE.communityA1, { name: '周桂兰', phone: OUT_PHONE })).id;
  });

  /** Agent a dials the elder and Kamailio reports the call as it does (offered, ringing); its record id and post(). */
  async function dialOut(a: Awaited<ReturnType<typeof agentOn>>) {
    const d = await a.api.post('/api/v1/calls/dial', { elderId: outElder });
    expect(d.statusCode, d.body).toBe(200);
    const ext = d.json().externalCallId as string;
    expect(ext).toMatch(/^sip-out-[0-9a-f-]{36}$/);
    const t0 = Date.now() - 10_000;
    let tick = 0;
    // Kamailio's events carry whole seconds, one after another.
    const post = (body: Record<string, unknown>) =>
      kam.sup.api.post('/api/v1/cti/simulator/events', {
        eventId: uid('e'),
        callId: ext,
        occurredAt: new Date(t0 + ++tick * 1000).toISOString(),
        ...body,
      });
    const offered = await post({
      type: 'call.offered',
      direction: 'outbound',
      hotline: '968962',
      caller: '968962',
      called: OUT_PHONE,
    });
    expect(offered.statusCode, offered.body).toBe(200);
    expect((await post({ type: 'call.ringing', extension: a.extension })).statusCode).toBe(200);
    return { callId: offered.json().callId as string, ext, post };
  }

  /** Everything a refused transfer must leave as it was. */
  const snapshot = async (callId: string, ...userIds: string[]) => ({
    counts: await counts(kam),
    call: await callRow(kam, callId),
    states: await Promise.all(userIds.map((u) => stateOf(kam, u))),
  });

  it('an outbound call goes to another agent: bad transfers are refused changing nothing, a good one hands the softphone a ticket naming the outbound call; the events move it to the other agent and it ends answered with its recording', async () => {
    const a = await agentOn(kam);
    const b = await agentOn(kam);
    const { callId, ext, post } = await dialOut(a);
    expect(await callRow(kam, callId)).toMatchObject({ direction: 'outbound', agentUserId: a.account.id, answeredAt: null });
    expect(await stateOf(kam, a.account.id)).toBe('ringing');

    // The elder has not picked up yet: nothing to transfer.
    let before = await snapshot(callId, a.account.id, b.account.id);
    const early = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: b.account.id });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(await snapshot(callId, a.account.id, b.account.id)).toEqual(before);

    expect((await post({ type: 'call.answered', extension: a.extension })).statusCode).toBe(200);
    expect(await stateOf(kam, a.account.id)).toBe('talking');

    // Refused, and nothing changes (no audit, no event, the call and both agents as they were).
    before = await snapshot(callId, a.account.id, b.account.id);
    const bad: Array<[string, Awaited<ReturnType<typeof agentOn>>, Record<string, unknown>, number]> = [
      ['to oneself', a, { toUserId: a.account.id }, 400],
      ['to nobody who is an agent', a, { toUserId: '00000000-0000-4000-8000-000000000000' }, 400],
      ['both kinds at once', a, { toUserId: b.account.id, toNumber: '13912345678' }, 400],
      ['a number that is no number', a, { toNumber: '12' }, 400],
      ['letters for a number', a, { toNumber: '1391234567x' }, 400],
      ['by an agent not on the call', b, { toUserId: a.account.id }, 404],
    ];
    for (const [why, who, body, code] of bad) {
      const r = await who.api.post(`/api/v1/calls/${callId}/transfer`, body);
      expect(r.statusCode, `${why}: ${r.body}`).toBe(code);
      expect(r.headers['content-type'], why).toContain('application/problem+json');
    }
    expect(await snapshot(callId, a.account.id, b.account.id)).toEqual(before);

    const r = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: b.account.id });
    expect(r.statusCode, r.body).toBe(200);
    const m = /^sip:zx\.(\d+)\.([^.]+)\.(sip-out-[0-9a-f-]{36})\.([A-Za-z0-9_-]+)@zhiyang$/.exec(r.json().softphone.target);
    expect(m, r.body).not.toBeNull();
    const [, expiry, extension, call, sig] = m as RegExpExecArray;
    expect({ extension, call }).toEqual({ extension: b.extension, call: ext });
    expect(sig).toBe(createHmac('sha256', SIP_SECRET).update(`${expiry}.${extension}.${call}`).digest('base64url'));
    const audit = await kam.s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, callId), eq(auditLog.action, 'call.transfer')));
    expect(audit).toHaveLength(1);
    // The ticket alone changes nothing: the elder's phone has not followed the REFER yet.
    expect(await stateOf(kam, a.account.id)).toBe('talking');
    expect((await callRow(kam, callId)).agentUserId).toBe(a.account.id);

    // The first agent's part is recorded under the call (rtpengine's pcap of the dialled leg).
    expect((await post({ type: 'call.recording_ready', recordingRef: 'pcaps/out-leg-1.pcap' })).statusCode).toBe(200);
    // Kamailio: the elder's phone called the ticket, the other agent rings (the first is done) …
    expect((await post({ type: 'call.transferred', toExtension: b.extension })).statusCode).toBe(200);
    expect(await stateOf(kam, a.account.id)).toBe('wrap_up');
    expect(await stateOf(kam, b.account.id)).toBe('ringing');
    expect((await callRow(kam, callId)).agentUserId).toBe(b.account.id);
    // … answers, talks, and the call ends with them.
    expect((await post({ type: 'call.answered', extension: b.extension })).statusCode).toBe(200);
    expect(await stateOf(kam, b.account.id)).toBe('talking');
    // The first agent's console cannot act on the call any more.
    expect((await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '120' })).statusCode).toBe(404);
    expect((await post({ type: 'call.ended', outcome: 'answered' })).statusCode).toBe(200);
    expect(await stateOf(kam, b.account.id)).toBe('wrap_up');
    const row = await callRow(kam, callId);
    expect(row).toMatchObject({
      direction: 'outbound',
      outcome: 'answered',
      agentUserId: b.account.id,
      recordingRef: 'pcaps/out-leg-1.pcap',
      transferredOutAt: null,
    });
    expect(row.endedAt?.getTime()).toBeGreaterThan(row.answeredAt?.getTime() ?? Number.POSITIVE_INFINITY);
    // An ended call is not transferred.
    expect((await b.api.post(`/api/v1/calls/${callId}/transfer`, { toUserId: a.account.id })).statusCode).toBe(409);
  });

  it('an outbound call goes to an outside number: a ticket naming the number and the outbound call, audited masked; call.transferred_out frees the agent and the call stays open until it ends', async () => {
    const a = await agentOn(kam);
    const { callId, ext, post } = await dialOut(a);
    expect((await post({ type: 'call.answered', extension: a.extension })).statusCode).toBe(200);

    const o = await a.api.post(`/api/v1/calls/${callId}/transfer`, { toNumber: '13912345678' });
    expect(o.statusCode, o.body).toBe(200);
    const m = /^sip:zo\.(\d+)\.(\d+)\.(sip-out-[0-9a-f-]{36})\.([A-Za-z0-9_-]+)@zhiyang$/.exec(o.json().softphone.target);
    expect(m, o.body).not.toBeNull();
    const [, expiry, number, call, sig] = m as RegExpExecArray;
    expect({ number, call }).toEqual({ number: '13912345678', call: ext });
    expect(sig).toBe(createHmac('sha256', SIP_SECRET).update(`${expiry}.${number}.${call}`).digest('base64url'));
    const audit = await kam.s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, callId), eq(auditLog.action, 'call.transfer-out')));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].detail)).toContain('139****5678');
    expect(JSON.stringify(audit[0].detail)).not.toContain('13912345678');
    expect(await stateOf(kam, a.account.id)).toBe('talking');

    // The outside number answered the elder (Kamailio's call.transferred_out): the agent is done.
    expect((await post({ type: 'call.transferred_out', toNumber: '13912345678' })).statusCode).toBe(200);
    expect(await stateOf(kam, a.account.id)).toBe('wrap_up');
    const open = await callRow(kam, callId);
    expect(open).toMatchObject({ direction: 'outbound', endedAt: null, agentUserId: a.account.id });
    expect(open.transferredOutAt).not.toBeNull();
    expect(open.transferredOutEnc).not.toContain('13912345678');
    expect((await kam.sup.api.get(`/api/v1/calls/${callId}`)).json()).toMatchObject({ transferredOutMasked: '139****5678' });

    // The line is no longer the agent's: another transfer or a hang-up is refused, nothing changes.
    const before = await snapshot(callId, a.account.id);
    for (const body of [{ toNumber: '120' }, { toUserId: a.account.id }]) {
      const r = await a.api.post(`/api/v1/calls/${callId}/transfer`, body);
      expect(r.statusCode, r.body).toBe(409);
    }
    expect((await a.api.post(`/api/v1/calls/${callId}/hang-up`)).statusCode).toBe(409);
    expect(await snapshot(callId, a.account.id)).toEqual(before);

    expect((await post({ type: 'call.ended', outcome: 'answered' })).statusCode).toBe(200);
    expect(await callRow(kam, callId)).toMatchObject({ outcome: 'answered', agentUserId: a.account.id, direction: 'outbound' });
  });
});
