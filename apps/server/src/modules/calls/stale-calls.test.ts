import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { callAgents, calls } from './calls.schema.ts';
import { closeStaleCalls, RINGING_STALE_MINUTES, TALKING_STALE_HOURS } from './stale-calls.service.ts';

// A lost `call.ended` must not leave a call open for ever, nor the agent it held stuck in
// 振铃 / 通话中 (an agent cannot leave those by hand, and routing rings only free agents).

let s: TestServer;
let sup: Awaited<ReturnType<typeof clientAs>>;
let n = 0;
const uid = (p: string) => `${p}-${Date.now().toString(36)}-${++n}`;
const minutes = (m: number) => m * 60_000;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  expect(
    (await sup.api.post('/api/v1/call-hotlines', { number: '968962', name: '热线', regionCode: TREE.district })).statusCode,
  ).toBe(201);
  await createElder(s.ctx, TREE.communityA1, { name: '冯淑珍', phone: '13800138444' });
});
afterAll(() => s.close());

async function agent() {
  const u = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
  const extension = uid('ext');
  expect((await sup.api.post('/api/v1/call-agents', { userId: u.account.id, extension })).statusCode).toBe(201);
  expect((await u.api.put('/api/v1/call-agents/me/state', { state: 'idle' })).statusCode).toBe(200);
  return { ...u, extension };
}

/** A telephony call that rang the agent (and was answered), its last event `ago` ms before now. */
async function callOf(extension: string, ago: number, answered: boolean) {
  const ext = uid('call');
  const at = (back: number) => new Date(Date.now() - ago - back).toISOString();
  const post = (body: Record<string, unknown>) =>
    sup.api.post('/api/v1/cti/simulator/events', { eventId: uid('e'), callId: ext, ...body });
  await post({ type: 'call.offered', occurredAt: at(3000), hotline: '968962', caller: '13800138444' });
  const r = await post({ type: 'call.ringing', occurredAt: at(answered ? 2000 : 0), extension });
  if (answered) await post({ type: 'call.answered', occurredAt: at(0), extension });
  return r.json().callId as string;
}
const row = async (id: string) => (await s.ctx.db.select().from(calls).where(eq(calls.id, id)))[0];
const stateOf = async (userId: string) =>
  (await s.ctx.db.select().from(callAgents).where(eq(callAgents.userId, userId)))[0].state;

describe('closing telephony calls whose end never came', () => {
  it('a call ringing with no news is closed as failed and frees the agent; a recent one is left alone', async () => {
    const a = await agent();
    const stale = await callOf(a.extension, minutes(RINGING_STALE_MINUTES + 1), false);
    expect(await stateOf(a.account.id)).toBe('ringing');
    const b = await agent();
    const fresh = await callOf(b.extension, minutes(RINGING_STALE_MINUTES - 2), false);

    expect(await closeStaleCalls(s.ctx)).toBeGreaterThanOrEqual(1);
    const closed = await row(stale);
    expect(closed.outcome).toBe('failed');
    expect(closed.endedAt?.getTime()).toBe(closed.lastEventAt?.getTime());
    expect(await stateOf(a.account.id)).toBe('idle');
    expect((await row(fresh)).endedAt).toBeNull();
    expect(await stateOf(b.account.id)).toBe('ringing');

    const audits = await s.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'call.close-stale'), eq(auditLog.targetId, stale)));
    expect(audits).toHaveLength(1);
    expect(audits[0].detail).toMatchObject({ outcome: 'failed', freedAgents: [a.account.id] });

    // Run again: nothing is closed twice.
    await closeStaleCalls(s.ctx);
    expect(
      await s.ctx.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'call.close-stale'), eq(auditLog.targetId, stale))),
    ).toHaveLength(1);
  });

  it('an answered call silent for hours is closed as answered, without inventing a talk time; a shorter one goes on', async () => {
    const a = await agent();
    const stale = await callOf(a.extension, (TALKING_STALE_HOURS * 60 + 5) * 60_000, true);
    const b = await agent();
    const long = await callOf(b.extension, minutes(50), true);
    expect(await stateOf(a.account.id)).toBe('talking');

    await closeStaleCalls(s.ctx);
    const closed = await row(stale);
    expect(closed.outcome).toBe('answered');
    expect(closed.endedAt?.getTime()).toBe(closed.answeredAt?.getTime());
    expect(await stateOf(a.account.id)).toBe('idle');
    expect((await row(long)).endedAt).toBeNull();
    expect(await stateOf(b.account.id)).toBe('talking');
  });

  it('a late call.ended still sets the call’s real end, and calls logged by hand are never touched', async () => {
    const a = await agent();
    const ext = uid('call');
    const ago = (m: number) => new Date(Date.now() - minutes(m)).toISOString();
    const post = (body: Record<string, unknown>) =>
      sup.api.post('/api/v1/cti/simulator/events', { eventId: uid('e'), callId: ext, ...body });
    await post({ type: 'call.offered', occurredAt: ago(30), hotline: '968962', caller: '13800138444' });
    const id = (await post({ type: 'call.ringing', occurredAt: ago(29), extension: a.extension })).json().callId;
    await closeStaleCalls(s.ctx);
    expect((await row(id)).outcome).toBe('failed');
    const endedAt = ago(28);
    expect((await post({ type: 'call.ended', occurredAt: endedAt, outcome: 'abandoned' })).statusCode).toBe(200);
    expect(await row(id)).toMatchObject({ outcome: 'abandoned', endedAt: new Date(endedAt) });

    const logged = await a.api.post('/api/v1/calls', {
      direction: 'inbound',
      number: '13800138444',
      offeredAt: ago(600),
      outcome: 'answered',
    });
    expect(logged.statusCode, logged.body).toBe(201);
    const before = await row(logged.json().id);
    await closeStaleCalls(s.ctx);
    expect(await row(logged.json().id)).toEqual(before);
  });
});
