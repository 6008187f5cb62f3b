import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { createElder } from '../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer, waitFor } from '../testing/safety.ts';
import { eventsTopic } from './event-body.ts';

let s: SafetyServer;
let elderId: string;
let url: string;
beforeAll(async () => {
  s = await startSafetyServer({ mqtt: 'embedded' });
  await seedTree(s.ctx);
  elderId = (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' })).id;
  url = `mqtt://127.0.0.1:${s.broker?.port}`;
});
afterAll(() => s.close());

const connect = (id: string, password: string, extra: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(url, { clientId: id, username: id, password, reconnectPeriod: 0, ...extra });

const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(s.ctx.db, q))[0].n;

describe('embedded broker: device authentication', () => {
  it('refuses a wrong secret, an unknown device and a client id that is not the username (CONNACK not authorised), and logs it', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    await expect(connect(dev.id, 'wrong-secret')).rejects.toThrow(/Not authorized/i);
    await expect(connect('UNKNOWN-1', 'x')).rejects.toThrow(/Not authorized/i);
    await expect(
      mqtt.connectAsync(url, { clientId: 'other-id', username: dev.id, password: dev.secret, reconnectPeriod: 0 }),
    ).rejects.toThrow(/Not authorized/i);
    expect(s.logs.join('')).toContain('MQTT connect refused');
    const ok = await connect(dev.id, dev.secret);
    expect(ok.connected).toBe(true);
    await ok.endAsync();
  });

  it('a rotated secret stops the old one', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const { rotateSecret } = await import('../modules/devices/devices.service.ts');
    const { SYSTEM_ACTOR } = await import('../lib/actor.ts');
    const { secret } = await rotateSecret(s.ctx, SYSTEM_ACTOR, dev.id);
    await expect(connect(dev.id, dev.secret)).rejects.toThrow(/Not authorized/i);
    const c = await connect(dev.id, secret);
    await c.endAsync();
  });
});

describe('embedded broker: intake', () => {
  it('the PUBACK comes after the event is in the database (acked = stored), and a resend is one alarm', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const c = await connect(dev.id, dev.secret);
    const body = JSON.stringify(eventBody('sos', { long: true }, 'mq-sos-1'));
    await c.publishAsync(eventsTopic(dev.id), body, { qos: 1 });
    // No waiting: the ack itself means it is stored, and the alarm with it.
    expect(
      await count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${dev.id} AND msg_id = 'mq-sos-1'`),
    ).toBe(1);
    expect(await count(sql`SELECT count(*)::int AS n FROM alarms WHERE device_id = ${dev.id} AND type = 'sos' AND open`)).toBe(1);
    await c.publishAsync(eventsTopic(dev.id), body, { qos: 1, dup: true });
    await c.publishAsync(eventsTopic(dev.id), body, { qos: 1 });
    expect(await count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${dev.id}`)).toBe(1);
    expect(await count(sql`SELECT sum(event_count)::int AS n FROM alarms WHERE device_id = ${dev.id}`)).toBe(1);
    await c.endAsync();
  });

  it('batches many ordinary events and stores every acknowledged one', async () => {
    const devs = await Promise.all(Array.from({ length: 5 }, () => createDevice(s.ctx, { elderId, type: 'presence' })));
    const clients = await Promise.all(devs.map((d) => connect(d.id, d.secret)));
    await Promise.all(
      clients.flatMap((c, i) =>
        Array.from({ length: 40 }, (_, k) =>
          c.publishAsync(eventsTopic(devs[i].id), JSON.stringify(eventBody('heartbeat', { battery: 90 }, `hb-${k}`)), { qos: 1 }),
        ),
      ),
    );
    const ids = devs.map((d) => d.id);
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM device_events WHERE device_id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
      ),
    ).toBe(200);
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM devices WHERE online AND battery = 90 AND id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
      ),
    ).toBe(5);
    await Promise.all(clients.map((c) => c.endAsync()));
  });

  // Oversized payloads close the connection instead: mqtt-limits.test.ts.
  it('survives malformed JSON and unknown types; each rejected one is logged', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const c = await connect(dev.id, dev.secret);
    await c.publishAsync(eventsTopic(dev.id), '{not json', { qos: 1 });
    await c.publishAsync(eventsTopic(dev.id), JSON.stringify({ ts: Date.now(), type: 'sos' }), { qos: 1 });
    await c.publishAsync(eventsTopic(dev.id), JSON.stringify(eventBody('vendor_diag', { a: 1 }, 'unk')), { qos: 1 });
    expect(c.connected).toBe(true);
    const log = s.logs.join('');
    expect(log).toContain('not valid JSON');
    expect(log).toContain('msgId');
    expect(await count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${dev.id}`)).toBe(1);
    await c.endAsync();
  });

  it('refuses topic hijacks: publishing or subscribing under another device id', async () => {
    const victim = await createDevice(s.ctx, { elderId });
    const attacker = await createDevice(s.ctx, { elderId });
    const c = await connect(attacker.id, attacker.secret);
    // SUBACK 0x80 (failure): mqtt.js rejects the subscription.
    await expect(c.subscribeAsync(`zy/v1/devices/${victim.id}/commands`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(c.subscribeAsync('zy/v1/devices/+/events', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    const own = await c.subscribeAsync(`zy/v1/devices/${attacker.id}/commands`, { qos: 1 });
    expect(own[0].qos).toBe(1);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(eventsTopic(victim.id), JSON.stringify(eventBody('sos')), { qos: 1 });
    await closed;
    c.end(true);
    expect(s.logs.join('')).toContain('MQTT publish refused');
    expect(await count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${victim.id}`)).toBe(0);
    // The broker is still up for everyone else.
    const v = await connect(victim.id, victim.secret);
    await v.publishAsync(eventsTopic(victim.id), JSON.stringify(eventBody('test')), { qos: 1 });
    expect(await count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${victim.id}`)).toBe(1);
    await v.endAsync();
  });
});

describe('embedded broker: downlink commands', () => {
  it('a command sent through the API reaches the device on its commands topic', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const c = await connect(dev.id, dev.secret);
    await c.subscribeAsync(`zy/v1/devices/${dev.id}/commands`, { qos: 1 });
    const got = new Promise<Record<string, unknown>>((resolve) => c.on('message', (_t, m) => resolve(JSON.parse(String(m)))));
    const staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const r = await staff.api.post(`/api/v1/devices/${dev.id}/commands`, { command: 'test_call' });
    expect(r.statusCode).toBe(202);
    expect(await got).toMatchObject({ msgId: r.json().msgId, command: 'test_call' });
    await c.endAsync();
  });
});

// External mode against the Mosquitto on this machine (anonymous, 127.0.0.1:1883).
const mosquitto = await new Promise<boolean>((resolve) => {
  const c = mqtt.connect('mqtt://127.0.0.1:1883', { reconnectPeriod: 0, connectTimeout: 1000 });
  c.on('connect', () => {
    c.end(true);
    resolve(true);
  });
  c.on('error', () => resolve(false));
});

describe.runIf(mosquitto)('external broker (Mosquitto) with a shared subscription', () => {
  it('stores events published to the external broker, acknowledges after storing, dedups resends', async () => {
    // A client id and a shared-subscription group of this run only: parallel runs (PGlite and
    // PostgreSQL, a dev server) on the same Mosquitto neither take over the session nor share events.
    const run = Math.random().toString(36).slice(2, 10);
    const mqttClientId = `zhiyang-test-gateway-${run}`;
    const ext = await startSafetyServer({ mqtt: 'external', config: { mqttClientId, mqttShareGroup: `zy-test-${run}` } });
    try {
      await seedTree(ext.ctx);
      const eid = (await createElder(ext.ctx, TREE.communityB1)).id;
      const dev = await createDevice(ext.ctx, { elderId: eid, id: `EXT-${Date.now().toString(36)}` });
      await waitFor(async () => ext.broker?.status() === 'ok');
      await new Promise((r) => setTimeout(r, 300)); // subscription in place
      const d = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: dev.id, reconnectPeriod: 0 });
      const body = JSON.stringify(eventBody('fall', { confidence: 0.9 }, 'ext-1'));
      await d.publishAsync(eventsTopic(dev.id), body, { qos: 1 });
      await d.publishAsync(eventsTopic(dev.id), body, { qos: 1 });
      await d.publishAsync(eventsTopic(dev.id), '{broken', { qos: 1 });
      const n = await waitFor(async () => {
        const r = await queryRows<{ n: number }>(
          ext.ctx.db,
          sql`SELECT count(*)::int AS n FROM alarms WHERE device_id = ${dev.id} AND type = 'fall'`,
        );
        return r[0].n > 0 ? r[0].n : null;
      });
      expect(n).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      const ev = await queryRows<{ n: number }>(
        ext.ctx.db,
        sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${dev.id}`,
      );
      expect(ev[0].n).toBe(1);
      expect(ext.logs.join('')).toContain('subscribed to device events');
      await d.endAsync();
    } finally {
      await ext.close();
      // End the persistent session on the broker, so nothing queues for this run afterwards.
      const gw = await mqtt.connectAsync('mqtt://127.0.0.1:1883', {
        clientId: mqttClientId,
        clean: true,
        protocolVersion: 5,
        reconnectPeriod: 0,
      });
      await gw.endAsync();
    }
  });
});
