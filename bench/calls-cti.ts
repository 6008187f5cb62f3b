// The call centre's two latency-critical paths, over real HTTP and WebSocket on localhost:
//  1. the routing request a PBX asks for every incoming call ("which agent rings for number N on
//     hotline H?") with 200 agents registered and 50 calls ringing;
//  2. the screen pop: a signed call.ringing webhook in → the caller's card event on that agent's
//     WebSocket.
// Reference in the same run: a bare Fastify answering a JSON POST of the same size (no database).
// Usage: npx tsx bench/calls-cti.ts [pglite|postgres]   (postgres: TEST_DATABASE_URL or the local test database)
import Fastify from 'fastify';
import { sign } from '../apps/server/src/modules/devices/device-secret.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { clientAs, createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { connectRealtime } from '../apps/server/src/testing/realtime.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { percentile, writeResult } from './lib.ts';

const dbKind = process.argv[2] === 'postgres' ? 'postgres' : 'pglite';
if (dbKind === 'postgres') process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
else delete process.env.TEST_DATABASE_URL;
const SECRET = 'bench-cti-secret-0123456789abcdef';
const HOTLINE = '968962';
const AGENTS = 200;
const RINGING = 50;
const ROUTE_N = Number(process.env.BENCH_ROUTE_N ?? 2000);
const POP_N = Number(process.env.BENCH_POP_N ?? 300);

const s = await startTestServer({ listen: true, config: { logLevel: 'warn', ctiSecret: SECRET } });
await seedTree(s.ctx);
const sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
const hot = await sup.api.post('/api/v1/call-hotlines', { number: HOTLINE, name: '为老服务热线', regionCode: TREE.district });
if (hot.statusCode !== 201) throw new Error(`hotline: ${hot.body}`);

let seq = 0;
const post = async (path: string, body: unknown) => {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(SECRET, ts, raw) },
    body: raw,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path} ${res.status}: ${text}`);
  return text;
};
const event = (type: string, callId: string, extra: Record<string, unknown> = {}) => ({
  type,
  eventId: `bench-${++seq}`,
  callId,
  occurredAt: new Date().toISOString(),
  ...extra,
});

// 200 agents, idle (the first one is the screen-pop agent); 50 calls ringing on others.
console.log(`seeding ${AGENTS} agents and ${RINGING} ringing calls (${dbKind}) …`);
const agents: Array<{ id: string; extension: string; token: string }> = [];
for (let i = 0; i < AGENTS; i++) {
  const u = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
  const token = await loginToken(s.app, u.username);
  const extension = String(6000 + i);
  const r = await sup.api.post('/api/v1/call-agents', { userId: u.id, extension, skills: i % 4 === 0 ? ['emergency'] : [] });
  if (r.statusCode !== 201) throw new Error(`agent: ${r.body}`);
  const idle = await s.app.inject({
    method: 'PUT',
    url: '/api/v1/call-agents/me/state',
    payload: { state: 'idle' },
    headers: { authorization: `Bearer ${token}` },
  });
  if (idle.statusCode !== 200) throw new Error(`idle: ${idle.body}`);
  agents.push({ id: u.id, extension, token });
}
const elder = await createElder(s.ctx, TREE.communityA1, { phone: '13800001234' });
for (let k = 0; k < RINGING; k++) {
  const callId = `ring-${k}`;
  await post('/cti/events', event('call.offered', callId, { hotline: HOTLINE, caller: `1380000${String(k).padStart(4, '0')}` }));
  await post('/cti/events', event('call.ringing', callId, { extension: agents[1 + k].extension }));
}

// 1. Routing requests, one at a time (a PBX waits for each answer).
const routeBody = { hotline: HOTLINE, caller: '13800001234' };
const routeTimes: number[] = [];
for (let i = 0; i < ROUTE_N; i++) {
  const t0 = performance.now();
  await post('/cti/route', routeBody);
  routeTimes.push(performance.now() - t0);
}

// Reference: bare Fastify, the same JSON body posted and a small JSON answer, over the same loopback.
const bare = Fastify();
bare.post('/route', async () => ({ extension: '6000', overflow: false }));
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
const bareTimes: number[] = [];
for (let i = 0; i < ROUTE_N; i++) {
  const t0 = performance.now();
  const res = await fetch(`${bareUrl}/route`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(routeBody),
  });
  await res.text();
  bareTimes.push(performance.now() - t0);
}
await bare.close();

// 2. Screen pop: offered (not timed), then ringing for agent 0 timed until its WebSocket has the event.
const ws = await connectRealtime(s.url, agents[0].token);
const popTimes: number[] = [];
for (let i = 0; i < POP_N; i++) {
  const callId = `pop-${i}`;
  await post('/cti/events', event('call.offered', callId, { hotline: HOTLINE, caller: '13800001234' }));
  const before = ws.messages.length;
  const t0 = performance.now();
  await post('/cti/events', event('call.ringing', callId, { extension: agents[0].extension }));
  while (!ws.messages.slice(before).some((m) => m.type === 'call.ringing' && m.data.callId !== undefined))
    await new Promise((r) => setImmediate(r));
  const got = ws.messages.slice(before).find((m) => m.type === 'call.ringing');
  popTimes.push((got?.at ?? performance.now()) - t0);
  await post('/cti/events', event('call.ended', callId, { outcome: 'abandoned' }));
  // Back to idle for the next call (after-call work ends at once for the bench).
  await s.app.inject({
    method: 'PUT',
    url: '/api/v1/call-agents/me/state',
    payload: { state: 'idle' },
    headers: { authorization: `Bearer ${agents[0].token}` },
  });
}
ws.close();

const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { n: xs.length, p50: r(percentile(sorted, 50)), p99: r(percentile(sorted, 99)), max: r(sorted[sorted.length - 1]) };
};
const route = stats(routeTimes);
const reference = stats(bareTimes);
const pop = stats(popTimes);
writeResult(`calls-cti-${dbKind}`, {
  database: dbKind,
  agents: AGENTS,
  ringing: RINGING,
  elderId: elder.id,
  routeMs: route,
  bareFastifyMs: reference,
  routeP50Ratio: Math.round((reference.p50 / route.p50) * 1000) / 1000,
  screenPopMs: pop,
});
console.log({ route, reference, pop });
await s.close();
