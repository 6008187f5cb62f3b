import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMEDIATE } from '../modules/alarms/rules.ts';
import type { StoreResult } from '../modules/devices/device-events.service.ts';
import { sign } from '../modules/devices/device-secret.ts';
import { createElder } from '../testing/elders.ts';
import { createAccount, loginToken, seedTree, TREE } from '../testing/factories.ts';
import { connectRealtime, type RealtimeClient } from '../testing/realtime.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../testing/safety.ts';
import { eventsTopic } from './event-body.ts';
import { takesAlarmLane } from './intake.ts';

// The alarm lane (issue 13 §1, docs/decisions/0010-alarm-priority-lane.md): an alarm-raising
// event is stored and reaches the operator while the routine intake has a backlog, over MQTT and
// over HTTP, with dedup and stored-before-ack as for every event. Behaviour only, no timing.

let s: SafetyServer;
let elderId: string;
let rt: RealtimeClient;
let routine: Array<{ id: string; secret: string }>;
const BACKLOG = 3000;

beforeAll(async () => {
  s = await startSafetyServer({ mqtt: 'embedded', listen: true });
  await seedTree(s.ctx);
  elderId = (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' })).id;
  routine = [];
  for (let i = 0; i < 10; i++) routine.push(await createDevice(s.ctx, { elderId, type: 'presence' }));
  const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
  rt = await connectRealtime(s.url, await loginToken(s.app, op.username));
});
afterAll(async () => {
  rt?.close();
  await s?.close();
});

/** Reads through the locking connection while the backlog holds the main pool (PostgreSQL). */
let reader: pg.Client | null = null;
const count = async (q: string, params: unknown[]) =>
  reader ? Number((await reader.query(q, params)).rows[0].n) : (await s.ctx.database.query<{ n: number }>(q, params)).rows[0].n;
const raisedFor = (deviceId: string) => rt.messages.filter((m) => m.type === 'alarm.raised' && m.data.deviceId === deviceId);

let run = 0;
/**
 * A routine backlog in the intake: BACKLOG heartbeats queued at once (what a saturated intake
 * holds). On PostgreSQL the routine devices' rows are also locked by another connection, so no
 * routine batch can commit until `release`, and every connection of the server's main pool is
 * taken by a query waiting for that lock — whatever the alarm lane does happens while the whole
 * backlog waits and no main-pool connection is free. PGlite has one connection (a lock would
 * stop both lanes): there the backlog is simply larger than a few routine batches.
 */
async function routineBacklog() {
  run++;
  let locker: pg.Client | null = null;
  if (s.ctx.database.kind === 'postgres') {
    locker = new pg.Client({ connectionString: s.ctx.database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM devices WHERE id = ANY($1) FOR UPDATE', [routine.map((d) => d.id)]);
  }
  const devs = await Promise.all(routine.map((d) => s.intake.device(d.id)));
  const hogs: Array<Promise<unknown>> = [];
  if (locker) {
    for (let i = 0; i < 10; i++)
      hogs.push(s.ctx.database.query('SELECT id FROM devices WHERE id = $1 FOR UPDATE', [routine[0].id]));
    reader = locker;
  }
  let done = 0;
  const all: Array<Promise<StoreResult>> = [];
  for (let i = 0; i < BACKLOG; i++) {
    const dev = devs[i % devs.length];
    if (!dev) throw new Error('routine device not found');
    const at = new Date();
    const ev = {
      deviceId: dev.id,
      msgId: `hb-${run}-${i}`,
      type: 'heartbeat',
      data: { battery: 80 },
      deviceTs: at,
      receivedAt: at,
      transport: 'internal' as const,
    };
    all.push(s.intake.submit(ev, dev).finally(() => done++));
  }
  return {
    blocked: Boolean(locker),
    done: () => done,
    async release() {
      if (locker) {
        reader = null;
        await locker.query('ROLLBACK');
        await locker.end();
        await Promise.all(hogs);
      }
      return Promise.all(all);
    },
  };
}

function post(dev: { id: string; secret: string }, body: string) {
  const ts = String(Math.floor(Date.now() / 1000));
  return s.app.inject({
    method: 'POST',
    url: `/api/v1/devices/${dev.id}/events`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
  });
}

describe('which events take the alarm lane', () => {
  it('every event type that raises an alarm at once, and the SOS cancel; not heartbeats or readings', () => {
    for (const type of Object.keys(IMMEDIATE)) expect(takesAlarmLane(type)).toBe(true);
    expect(['sos', 'fall', 'smoke', 'gas', 'water_leak', 'tamper', 'sos_cancel'].every(takesAlarmLane)).toBe(true);
    for (const type of ['heartbeat', 'battery', 'door', 'presence', 'vitals', 'location', 'bed', 'worn', 'test', 'x-unknown'])
      expect(takesAlarmLane(type)).toBe(false);
  });
});

describe('alarm lane under a routine backlog', () => {
  it('an SOS published over MQTT is stored before its PUBACK and reaches the operator while the backlog waits', async () => {
    const sos = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${s.broker?.port}`, {
      clientId: sos.id,
      username: sos.id,
      password: sos.secret,
      reconnectPeriod: 0,
    });
    const backlog = await routineBacklog();
    const body = JSON.stringify(eventBody('sos', {}, 'lane-mq-1'));
    await c.publishAsync(eventsTopic(sos.id), body, { qos: 1 });
    // Acknowledged = stored, with its alarm, although the routine events ahead of it are not.
    const routineAtAck = backlog.done();
    expect(await count('SELECT count(*)::int AS n FROM device_events WHERE device_id = $1', [sos.id])).toBe(1);
    expect(await count("SELECT count(*)::int AS n FROM alarms WHERE device_id = $1 AND type = 'sos' AND open", [sos.id])).toBe(1);
    await expect.poll(() => raisedFor(sos.id).length).toBe(1);
    expect(raisedFor(sos.id)[0].data).toMatchObject({ type: 'sos', priority: 'P1', deviceId: sos.id });
    if (backlog.blocked) expect(backlog.done()).toBe(0);
    expect(routineAtAck).toBeLessThan(BACKLOG);

    // A redelivery of the same SOS (lost PUBACK) is acknowledged and changes nothing.
    await c.publishAsync(eventsTopic(sos.id), body, { qos: 1 });
    expect(await count('SELECT count(*)::int AS n FROM device_events WHERE device_id = $1', [sos.id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM alarms WHERE device_id = $1', [sos.id])).toBe(1);
    expect(await count('SELECT max(event_count)::int AS n FROM alarms WHERE device_id = $1', [sos.id])).toBe(1);

    // The backlog then completes: nothing of it was lost or doubled.
    const results = await backlog.release();
    expect(results.every((r) => r === 'stored')).toBe(true);
    expect(
      await count("SELECT count(*)::int AS n FROM device_events WHERE msg_id LIKE $1 AND type = 'heartbeat'", [`hb-${run}-%`]),
    ).toBe(BACKLOG);
    await c.endAsync();
    expect(raisedFor(sos.id)).toHaveLength(1);
  });

  it('a fall pushed over HTTP is answered 202 (stored) and reaches the operator while the backlog waits; the resend is 200', async () => {
    const watch = await createDevice(s.ctx, { elderId, type: 'watch' });
    const backlog = await routineBacklog();
    const body = JSON.stringify(eventBody('fall', { confidence: 0.9 }, 'lane-http-1'));
    const res = await post(watch, body);
    expect(res.statusCode).toBe(202);
    const routineAtAck = backlog.done();
    expect(await count('SELECT count(*)::int AS n FROM device_events WHERE device_id = $1', [watch.id])).toBe(1);
    await expect.poll(() => raisedFor(watch.id).length).toBe(1);
    expect(raisedFor(watch.id)[0].data).toMatchObject({ type: 'fall', priority: 'P1' });
    if (backlog.blocked) expect(backlog.done()).toBe(0);
    expect(routineAtAck).toBeLessThan(BACKLOG);

    const again = await post(watch, body);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
    expect(await count('SELECT count(*)::int AS n FROM alarms WHERE device_id = $1', [watch.id])).toBe(1);
    expect(await count('SELECT max(event_count)::int AS n FROM alarms WHERE device_id = $1', [watch.id])).toBe(1);
    expect((await backlog.release()).every((r) => r === 'stored')).toBe(true);
  });

  it('an SOS cancel takes the lane too: the operator sees the SOS turn into a call-back while the backlog waits', async () => {
    const sos = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const first = await post(sos, JSON.stringify(eventBody('sos', {}, 'lane-c-1')));
    expect(first.statusCode).toBe(202);
    const backlog = await routineBacklog();
    expect((await post(sos, JSON.stringify(eventBody('sos_cancel', {}, 'lane-c-2')))).statusCode).toBe(202);
    await expect
      .poll(() =>
        rt.messages.some((m) => m.type === 'alarm.updated' && m.data.deviceId === sos.id && m.data.type === 'sos_cancelled'),
      )
      .toBe(true);
    if (backlog.blocked) expect(backlog.done()).toBe(0);
    expect((await backlog.release()).every((r) => r === 'stored')).toBe(true);
  });

  it('an unknown device on the lane is refused as before (HTTP 404), and the lane keeps working', async () => {
    const res = await post({ id: 'NO-SUCH-DEVICE', secret: 'x' }, JSON.stringify(eventBody('sos')));
    expect(res.statusCode).toBe(404);
    const sos = await createDevice(s.ctx, { elderId, type: 'pendant' });
    expect((await post(sos, JSON.stringify(eventBody('smoke', { level: 80 })))).statusCode).toBe(202);
    await expect.poll(() => raisedFor(sos.id).length).toBe(1);
  });
});
