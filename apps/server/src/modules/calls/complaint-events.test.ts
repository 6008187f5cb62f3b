import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { connectRealtime, type RealtimeClient } from '../../testing/realtime.ts';
import { waitFor } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

// A complaint taken on a call reaches the staff who follow complaints up at once, like one from
// a low rating: the complaints page and any open console learn of it without reloading.

let s: TestServer;
let agent: Awaited<ReturnType<typeof clientAs>>;
let elsewhere: Awaited<ReturnType<typeof clientAs>>;
let here: RealtimeClient;
let there: RealtimeClient;

beforeAll(async () => {
  s = await startTestServer({ listen: true });
  await seedTree(s.ctx);
  agent = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district });
  elsewhere = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetB });
  await createElder(s.ctx, TREE.communityA1, { name: '刘桂芝', phone: '13800138111' });
  here = await connectRealtime(s.url, agent.token);
  there = await connectRealtime(s.url, elsewhere.token);
});
afterAll(async () => {
  here?.close();
  there?.close();
  await s.close();
});

async function logCall(notes: string) {
  const r = await agent.api.post('/api/v1/calls', {
    direction: 'inbound',
    number: '13800138111',
    offeredAt: new Date(Date.now() - 600_000).toISOString(),
    endedAt: new Date(Date.now() - 300_000).toISOString(),
    outcome: 'answered',
    categoryCode: 'complaint',
    notes,
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string };
}

const opened = (rt: RealtimeClient, callId: string) =>
  rt.messages.filter((m) => m.type === 'complaint.opened' && m.data.callId === callId);

describe('complaint.opened for a complaint taken on a call', () => {
  it('is sent once to the region’s complaint staff, with the call and no order or score; a retry sends nothing', async () => {
    const call = await logCall('送餐晚了一个小时');
    const r = await agent.api.post(`/api/v1/calls/${call.id}/complaint`, { reason: '送餐晚了一个小时' });
    expect(r.statusCode, r.body).toBe(200);
    const [event] = await waitFor(async () => opened(here, call.id).length > 0 && opened(here, call.id));
    expect(event.data).toEqual({
      id: r.json().id,
      source: 'call',
      orderId: null,
      callId: call.id,
      score: null,
      dueAt: r.json().dueAt,
    });

    // The retry answers the same complaint; a later complaint's event, which follows it on the
    // same socket, shows that no second event for the first call was sent in between.
    const again = await agent.api.post(`/api/v1/calls/${call.id}/complaint`, { reason: '送餐晚了一个小时' });
    expect(again.json()).toMatchObject({ id: r.json().id, created: false });
    const later = await logCall('上门服务没来');
    expect((await agent.api.post(`/api/v1/calls/${later.id}/complaint`, { reason: '上门服务没来' })).statusCode).toBe(200);
    await waitFor(async () => opened(here, later.id).length > 0);
    expect(opened(here, call.id)).toHaveLength(1);

    // An operator of another street does not see the community's complaints.
    await waitFor(async () => there.messages.some((m) => m.type === 'hello'));
    expect(there.messages.filter((m) => m.type === 'complaint.opened')).toHaveLength(0);
  });
});
