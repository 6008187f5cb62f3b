import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { clientAs, createAccount, seedTree, TREE } from '../../testing/factories.ts';
import { connectRealtime } from '../../testing/realtime.ts';
import { waitFor } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { agentJobs } from './agents.jobs.ts';
import { callAgentStates, callAgents, calls } from './calls.schema.ts';

let s: TestServer;
let sup: Awaited<ReturnType<typeof clientAs>>;
let hotlineId: string;
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;
const at = (secondsFromNow: number) => new Date(Date.now() + secondsFromNow * 1000).toISOString();

async function agent(skills: string[] = []) {
  const u = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  const extension = uid('ext');
  const r = await sup.api.post('/api/v1/call-agents', { userId: u.account.id, extension, skills });
  expect(r.statusCode, r.body).toBe(201);
  return { ...u, extension };
}
const simulate = (body: Record<string, unknown>) => sup.api.post('/api/v1/cti/simulator/events', body);
const ev = (type: string, callId: string, secondsAgo: number, extra: Record<string, unknown> = {}) => ({
  type,
  eventId: uid('e'),
  callId,
  occurredAt: at(-secondsAgo),
  ...extra,
});

beforeAll(async () => {
  // No CTI_SECRET: the signed webhooks are off; the simulator still works (not production).
  s = await startTestServer({ listen: true, config: { callWrapUpMaxSeconds: 120 } });
  await seedTree(s.ctx);
  sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  const h = await sup.api.post('/api/v1/call-hotlines', { number: '027-968962', name: '为老服务热线', regionCode: TREE.streetA });
  expect(h.statusCode, h.body).toBe(201);
  hotlineId = h.json().id;
  expect(h.json().number).toBe('027968962');
  expect((await sup.api.post(`/api/v1/call-hotlines/${hotlineId}/queues`, { name: '综合' })).statusCode).toBe(201);
});
afterAll(() => s.close());

describe('agents', () => {
  it('a supervisor registers an agent; an agent may not supervise; only users who may take calls become agents', async () => {
    const a = await agent(['dialect']);
    expect((await a.api.get('/api/v1/call-agents/me')).json()).toMatchObject({
      extension: a.extension,
      skills: ['dialect'],
      state: 'offline',
    });
    // An agent cannot supervise.
    expect((await a.api.get('/api/v1/call-centre/live')).statusCode).toBe(403);
    expect((await a.api.get('/api/v1/call-agents')).statusCode).toBe(403);
    expect((await a.api.post('/api/v1/call-agents', { userId: a.account.id, extension: 'x1' })).statusCode).toBe(403);
    expect((await a.api.post('/api/v1/call-hotlines', { number: '12349', name: 'x', regionCode: TREE.streetA })).statusCode).toBe(
      403,
    );
    expect((await a.api.post('/api/v1/cti/simulator/events', ev('call.ended', 'x', 1, { outcome: 'failed' }))).statusCode).toBe(
      403,
    );
    // A user whose role takes no calls; the same extension twice; someone out of the supervisor's region.
    const staff = await createAccount(s.ctx, 'street_staff', { regionCode: TREE.streetA });
    const noCalls = await sup.api.post('/api/v1/call-agents', { userId: staff.id, extension: uid('ext') });
    expect(noCalls.statusCode).toBe(422);
    // Each refusal names the field it is about, so the settings page marks that field.
    expect(noCalls.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.userId']);
    const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.streetA });
    const dup = await sup.api.post('/api/v1/call-agents', { userId: op.id, extension: a.extension });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'duplicate', errors: [{ path: 'body.extension' }] });
    const again = await sup.api.post('/api/v1/call-agents', { userId: a.account.id, extension: uid('ext') });
    expect(again.json()).toMatchObject({ code: 'duplicate', errors: [{ path: 'body.userId' }] });
    const sameNumber = await sup.api.post('/api/v1/call-hotlines', {
      number: '027968962',
      name: '重复',
      regionCode: TREE.streetA,
    });
    expect(sameNumber.json()).toMatchObject({ code: 'duplicate', errors: [{ path: 'body.number' }] });
    const streetSup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetB });
    expect((await streetSup.api.post('/api/v1/call-agents', { userId: op.id, extension: uid('ext') })).statusCode).toBe(404);
    expect((await streetSup.api.patch(`/api/v1/call-agents/${a.account.id}`, { skills: [] })).statusCode).toBe(404);
    const upd = await sup.api.patch(`/api/v1/call-agents/${a.account.id}`, { skills: ['dialect', 'emergency'] });
    expect(upd.json().skills).toEqual(['dialect', 'emergency']);
  });

  it('an agent sets idle, break (with a reason) and offline; each change closes the last span and is published', async () => {
    const a = await agent();
    const rt = await connectRealtime(s.url, a.token);
    expect((await a.api.put('/api/v1/call-agents/me/state', { state: 'break' })).statusCode).toBe(400);
    expect((await a.api.put('/api/v1/call-agents/me/state', { state: 'talking' })).statusCode).toBe(400);
    expect((await a.api.put('/api/v1/call-agents/me/state', { state: 'idle' })).json().state).toBe('idle');
    const br = await a.api.put('/api/v1/call-agents/me/state', { state: 'break', reason: '用餐' });
    expect(br.json()).toMatchObject({ state: 'break', breakReason: '用餐' });
    expect((await a.api.put('/api/v1/call-agents/me/state', { state: 'offline' })).json().state).toBe('offline');
    const spans = await s.ctx.db
      .select()
      .from(callAgentStates)
      .where(eq(callAgentStates.userId, a.account.id))
      .orderBy(callAgentStates.id);
    expect(spans.map((x) => [x.state, x.reason])).toEqual([
      ['offline', null],
      ['idle', null],
      ['break', '用餐'],
      ['offline', null],
    ]);
    expect(spans.slice(0, -1).every((x) => x.endedAt !== null)).toBe(true);
    expect(spans.at(-1)?.endedAt).toBeNull();
    await waitFor(async () => rt.messages.filter((m) => m.type === 'call.agent').length >= 3);
    expect(rt.messages.filter((m) => m.type === 'call.agent').map((m) => m.data.state)).toEqual(['idle', 'break', 'offline']);
    rt.close();
  });

  it('after-call work ends by itself after CALL_WRAP_UP_MAX_SECONDS: shown idle at once, written by the sweep', async () => {
    const a = await agent();
    await a.api.put('/api/v1/call-agents/me/state', { state: 'idle' });
    const id = uid('call');
    await simulate(ev('call.offered', id, 60, { hotline: '027-968962', caller: '13000000020' }));
    await simulate(ev('call.ringing', id, 50, { extension: a.extension }));
    await simulate(ev('call.answered', id, 45, { extension: a.extension }));
    await simulate(ev('call.ended', id, 5, { outcome: 'answered' }));
    const me = (await a.api.get('/api/v1/call-agents/me')).json();
    expect(me.state).toBe('wrap_up');
    expect(new Date(me.wrapUpEndsAt).getTime() - new Date(me.stateSince).getTime()).toBe(120_000);
    // While in after-call work the agent cannot be set to talking by hand, and no sweep touches it.
    await runJob(s.ctx, agentJobs[0], {});
    expect((await a.api.get('/api/v1/call-agents/me')).json().state).toBe('wrap_up');

    // 200 s later (the wrap-up began 200 s ago):
    const began = new Date(Date.now() - 200_000);
    await s.ctx.db.update(callAgents).set({ stateSince: began }).where(eq(callAgents.userId, a.account.id));
    await s.ctx.db.execute(
      sql`UPDATE call_agent_states SET started_at = ${began.toISOString()} WHERE user_id = ${a.account.id} AND ended_at IS NULL`,
    );
    const shown = (await a.api.get('/api/v1/call-agents/me')).json();
    expect(shown).toMatchObject({ state: 'idle', currentCallId: null });
    expect(new Date(shown.stateSince).getTime()).toBe(began.getTime() + 120_000);
    const live = (await sup.api.get('/api/v1/call-centre/live')).json();
    expect(live.agents.find((x: { userId: string }) => x.userId === a.account.id).state).toBe('idle');

    await runJob(s.ctx, agentJobs[0], {});
    const row = (await s.ctx.db.select().from(callAgents).where(eq(callAgents.userId, a.account.id)))[0];
    expect(row.state).toBe('idle');
    const spans = await queryRows<{ state: string; started_at: Date; ended_at: Date | null }>(
      s.ctx.db,
      sql`SELECT state, started_at, ended_at FROM call_agent_states WHERE user_id = ${a.account.id} ORDER BY id`,
    );
    const wrap = spans.find((x) => x.state === 'wrap_up');
    expect(new Date(wrap?.ended_at as Date).getTime()).toBe(began.getTime() + 120_000);
    expect(spans.at(-1)).toMatchObject({ state: 'idle', ended_at: null });
    const call = (await s.ctx.db.select().from(calls).where(eq(calls.externalId, id)))[0];
    expect(call.wrapUpEndedAt?.getTime()).toBe(began.getTime() + 120_000);
  });

  it('the live view shows every agent’s state and time in it, and calls waiting per queue with the longest wait', async () => {
    const id = uid('call');
    const offered = ev('call.offered', id, 30, { hotline: '027-968962', caller: '13000000021' });
    expect((await simulate(offered)).statusCode).toBe(200);
    const live = (await sup.api.get('/api/v1/call-centre/live')).json();
    const q = live.queues.find((x: { hotlineId: string }) => x.hotlineId === hotlineId);
    expect(q).toMatchObject({ waiting: 1, hotlineNumber: '027968962' });
    expect(q.longestWaitSeconds).toBeGreaterThanOrEqual(30);
    expect(live.agents.length).toBeGreaterThan(0);
    expect(live.agents.every((x: { secondsInState: number }) => x.secondsInState >= 0)).toBe(true);
    // A supervisor of another street sees neither the queue nor the agents.
    const other = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetB });
    expect((await other.api.get('/api/v1/call-centre/live')).json()).toMatchObject({ agents: [], queues: [] });
    expect((await other.api.get('/api/v1/call-hotlines')).json().items).toEqual([]);
    expect((await other.api.patch(`/api/v1/call-hotlines/${hotlineId}`, { name: '改名' })).statusCode).toBe(404);
  });

  it('without CTI_SECRET the signed webhook answers 404; the simulator is off in production unless CTI_SIMULATOR=on', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/cti/events', payload: { type: 'call.ended' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/cti/route', payload: {} })).statusCode).toBe(404);
    s.ctx.config.ctiSimulator = false;
    try {
      expect((await simulate(ev('call.ended', 'x', 1, { outcome: 'failed' }))).statusCode).toBe(404);
    } finally {
      s.ctx.config.ctiSimulator = undefined;
    }
  });
});
