import { type Socket, connect as tcpConnect } from 'node:net';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { requestCommand } from '../modules/devices/device-commands.ts';
import { sign } from '../modules/devices/device-secret.ts';
import { createElder } from '../testing/elders.ts';
import { seedTree, TREE } from '../testing/factories.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../testing/safety.ts';
import { commandsTopic, eventsTopic } from './event-body.ts';
import { MQTT_LIMITS } from './mqtt-limits.ts';

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

type Device = { id: string; secret: string };
const connect = (d: Device, extra: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(url, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0, ...extra });
const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(s.ctx.db, q))[0].n;
const eventsOf = (id: string) => count(sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${id}`);

/** Publish and wait until the broker closes the connection (MQTT 3.1.1 has no refusal code for a publish). */
async function publishIsRefused(c: mqtt.MqttClient, topic: string, payload: string | Buffer, opts: mqtt.IClientPublishOptions) {
  c.on('error', () => {}); // the reset of a refused connection
  const closed = new Promise<void>((r) => c.once('close', () => r()));
  const acked = new Promise<'acked'>((r) => c.publish(topic, payload, opts, (err) => !err && r('acked')));
  const outcome = await Promise.race([closed.then(() => 'closed' as const), acked]);
  c.end(true);
  return outcome;
}

/**
 * What a fresh subscriber to the device's commands topic receives first. Retained messages come
 * right after the SUBACK, so a command sent by the platform after subscribing is the first
 * message only when nothing was retained.
 */
async function firstMessageOnCommands(d: Device): Promise<{ retain: boolean; body: Record<string, unknown> }> {
  const c = await connect(d);
  const first = new Promise<{ retain: boolean; body: Record<string, unknown> }>((resolve) =>
    c.once('message', (_t, m, packet) => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(String(m));
      } catch {}
      resolve({ retain: packet.retain, body });
    }),
  );
  await c.subscribeAsync(commandsTopic(d.id), { qos: 1 });
  await requestCommand(s.ctx, d.id, 'locate');
  const got = await first;
  await c.endAsync();
  return got;
}

describe('embedded broker: size limits', () => {
  it('an oversize publish on any device topic closes the connection; nothing is stored, retained or delivered', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const justOver = JSON.stringify({
      ...eventBody('sos', {}, 'over-64k'),
      data: { pad: 'x'.repeat(MQTT_LIMITS.eventPayloadBytes) },
    });
    const cases: Array<[string, string | Buffer]> = [
      // Just over 64 KiB: passes the packet-size guard, refused on the topic's own limit.
      [eventsTopic(dev.id), justOver],
      [eventsTopic(dev.id), Buffer.alloc(5 * 1024 * 1024, 0x61)],
      [commandsTopic(dev.id), Buffer.alloc(5 * 1024 * 1024, 0x61)],
      [`zy/v1/devices/${dev.id}/status`, Buffer.alloc(50 * 1024 * 1024, 0x61)],
      [`zy/v1/devices/${dev.id}/config/blob`, Buffer.alloc(5 * 1024 * 1024, 0x61)],
    ];
    for (const [topic, payload] of cases) {
      for (const retain of [false, true]) {
        const c = await connect(dev);
        expect(await publishIsRefused(c, topic, payload, { qos: 1, retain }), `${topic} ${payload.length} B`).toBe('closed');
      }
    }
    expect(await eventsOf(dev.id)).toBe(0);
    expect(s.logs.join('')).toContain('packet too large');
    expect(s.logs.join('')).toContain('payload over 65536 bytes');
    // A fresh subscriber gets the platform's command first: nothing retained.
    const first = await firstMessageOnCommands(dev);
    expect(first.retain).toBe(false);
    expect(first.body.command).toBe('locate');
    // The device still works: an SOS is stored and raises an alarm.
    const c = await connect(dev);
    await c.publishAsync(eventsTopic(dev.id), JSON.stringify(eventBody('sos', {}, 'after-oversize')), { qos: 1 });
    expect(await eventsOf(dev.id)).toBe(1);
    expect(await count(sql`SELECT count(*)::int AS n FROM alarms WHERE device_id = ${dev.id} AND type = 'sos' AND open`)).toBe(1);
    await c.endAsync();
  });

  it('a payload of exactly 64 KiB on the events topic is accepted', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'presence' });
    const base = JSON.stringify({ ...eventBody('vendor_dump', {}, 'exact-64k'), data: { pad: '' } });
    const body = base.replace('"pad":""', `"pad":"${'x'.repeat(MQTT_LIMITS.eventPayloadBytes - Buffer.byteLength(base))}"`);
    expect(Buffer.byteLength(body)).toBe(MQTT_LIMITS.eventPayloadBytes);
    const c = await connect(dev);
    await c.publishAsync(eventsTopic(dev.id), body, { qos: 1 });
    expect(await eventsOf(dev.id)).toBe(1);
    await c.endAsync();
  });

  it('an oversize packet is refused even before CONNECT completes', async () => {
    // A raw CONNECT header announcing 50 MB: the broker closes without waiting for the bytes.
    const sock = tcpConnect(s.broker?.port ?? 0, '127.0.0.1');
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.on('error', () => {});
    sock.write(Buffer.concat([Buffer.from([0x10]), remainingLength(50 * 1024 * 1024), Buffer.alloc(1024)]));
    await closed;
    expect(sock.destroyed).toBe(true);
  });

  it('the signed HTTP intake has the same 64 KiB cap: a 5 MB body is 413 and stores nothing', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const body = JSON.stringify({ ...eventBody('sos', {}, 'http-big'), data: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    const ts = String(Math.floor(Date.now() / 1000));
    const r = await s.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${dev.id}/events`,
      payload: body,
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sign(dev.secret, ts, body) },
    });
    expect(r.statusCode).toBe(413);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(await eventsOf(dev.id)).toBe(0);
  });
});

describe('embedded broker: retained messages and wills', () => {
  it('a retained publish is refused on every topic, even a valid event on the own events topic', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'pendant' });
    for (const topic of [eventsTopic(dev.id), commandsTopic(dev.id), `zy/v1/devices/${dev.id}/state`]) {
      const c = await connect(dev);
      const body = JSON.stringify(eventBody('sos', {}, `retained-${topic.length}`));
      expect(await publishIsRefused(c, topic, body, { qos: 1, retain: true }), topic).toBe('closed');
    }
    expect(await eventsOf(dev.id)).toBe(0);
    expect(s.logs.join('')).toContain('retained messages are not accepted');
    const first = await firstMessageOnCommands(dev);
    expect(first).toMatchObject({ retain: false, body: { command: 'locate' } });
  });

  it('a will that is retained or on any topic but the own events topic is refused at CONNECT; an own-events will is fine', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const other = await createDevice(s.ctx, { elderId });
    const wills = [
      { topic: eventsTopic(dev.id), payload: Buffer.from('{}'), qos: 1 as const, retain: true },
      { topic: eventsTopic(other.id), payload: Buffer.from('{}'), qos: 1 as const, retain: false },
      { topic: commandsTopic(dev.id), payload: Buffer.from('{}'), qos: 1 as const, retain: false },
      { topic: `zy/v1/devices/${dev.id}/status`, payload: Buffer.from('{}'), qos: 1 as const, retain: false },
    ];
    for (const will of wills) await expect(connect(dev, { will }), will.topic).rejects.toThrow(/Not authorized/i);
    expect(s.logs.join('')).toContain('will not allowed');
    const body = Buffer.from(JSON.stringify(eventBody('tamper', {}, 'will-1')));
    const c = await connect(dev, { will: { topic: eventsTopic(dev.id), payload: body, qos: 1, retain: false } });
    expect(c.connected).toBe(true);
    await c.endAsync();
  });
});

describe('embedded broker: topics a device may use', () => {
  it('publishing to another device’s topics, or to any topic but the own events topic, closes the connection', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const victim = await createDevice(s.ctx, { elderId });
    const topics = [
      eventsTopic(victim.id),
      commandsTopic(victim.id), // would spoof a command to the other device
      commandsTopic(dev.id),
      `zy/v1/devices/${dev.id}/events/extra`,
      `zy/v1/devices/${dev.id}`,
      '$SYS/broker/heartbeat',
      'zy/v1/broadcast',
    ];
    const victimClient = await connect(victim);
    await victimClient.subscribeAsync(commandsTopic(victim.id), { qos: 1 });
    const spoofed: string[] = [];
    victimClient.on('message', (_t, m) => spoofed.push(String(m)));
    for (const topic of topics) {
      const c = await connect(dev);
      expect(await publishIsRefused(c, topic, JSON.stringify(eventBody('sos')), { qos: 1 }), topic).toBe('closed');
    }
    expect(await eventsOf(victim.id)).toBe(0);
    expect(await eventsOf(dev.id)).toBe(0);
    // The victim's first message is the platform's own command, not the spoofed one.
    const next = new Promise<string>((r) => victimClient.once('message', (_t, m) => r(String(m))));
    await requestCommand(s.ctx, victim.id, 'test_call');
    expect(JSON.parse(await next)).toMatchObject({ command: 'test_call' });
    expect(spoofed).toHaveLength(1);
    await victimClient.endAsync();
  });

  it('subscribing to anything but the own commands topic is refused (SUBACK failure); the own one is granted', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const victim = await createDevice(s.ctx, { elderId });
    const c = await connect(dev);
    for (const topic of [
      commandsTopic(victim.id),
      eventsTopic(victim.id),
      eventsTopic(dev.id),
      'zy/v1/devices/+/commands',
      `zy/v1/devices/${dev.id}/#`,
      `zy/v1/devices/${dev.id}/+`,
      '#',
      '$SYS/#',
      `$share/g/${commandsTopic(dev.id)}`,
    ])
      await expect(c.subscribeAsync(topic, { qos: 1 }), topic).rejects.toThrow(/Subscribe error/);
    expect(c.connected).toBe(true);
    const granted = await c.subscribeAsync(commandsTopic(dev.id), { qos: 1 });
    expect(granted[0].qos).toBe(1);
    await c.endAsync();
  });
});

describe('embedded broker: in-flight and queued messages', () => {
  it('a flood of QoS 1 publishes sent without waiting for acks is worked a bounded window at a time, and every one is stored once', async () => {
    const flooder = await createDevice(s.ctx, { elderId, type: 'presence' });
    const pendant = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const c = await connect(flooder);
    const n = 600;
    const flood = Promise.all(
      Array.from({ length: n }, (_, k) =>
        c.publishAsync(eventsTopic(flooder.id), JSON.stringify(eventBody('heartbeat', { battery: 80 }, `flood-${k}`)), {
          qos: 1,
        }),
      ),
    );
    // Meanwhile an SOS from another device is stored and raises its alarm.
    const p = await connect(pendant);
    await p.publishAsync(eventsTopic(pendant.id), JSON.stringify(eventBody('sos', {}, 'sos-during-flood')), { qos: 1 });
    expect(await count(sql`SELECT count(*)::int AS n FROM alarms WHERE device_id = ${pendant.id} AND open`)).toBe(1);
    await flood;
    expect(await eventsOf(flooder.id)).toBe(n);
    const peak = s.broker?.inflightPeak?.() ?? Number.POSITIVE_INFINITY;
    expect(peak).toBeLessThanOrEqual(MQTT_LIMITS.inflight);
    await Promise.all([c.endAsync(), p.endAsync()]);
  });

  it('QoS 2 publishes held without PUBREL beyond the window close the connection', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'presence' });
    const sock = await rawConnect(dev);
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const pubrecs = countPubrecs(sock);
    // Never send PUBREL: each publish stays in flight.
    for (let k = 1; k <= MQTT_LIMITS.inflight + 5; k++)
      sock.write(rawPublish(eventsTopic(dev.id), JSON.stringify(eventBody('heartbeat', {}, `q2-${k}`)), 2, k));
    await closed;
    expect(pubrecs()).toBeLessThanOrEqual(MQTT_LIMITS.inflight);
  });

  it('a persistent session keeps at most the queue limit of commands while the device is offline', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const first = await connect(dev, { clean: false });
    await first.subscribeAsync(commandsTopic(dev.id), { qos: 1 });
    // Offline as the broker sees it: a command sent while the broker still holds the closing
    // connection would go to that connection rather than to the session's queue.
    const aedes = s.broker?.aedes;
    const gone = new Promise<void>((r) => aedes?.on('clientDisconnect', (cl) => cl.id === dev.id && r()));
    await first.endAsync();
    if (aedes) await gone;
    const extra = 5;
    const sent = MQTT_LIMITS.queuedCommands + extra;
    // Commands reach the broker through the event bus (LISTEN/NOTIFY on PostgreSQL), after
    // requestCommand returns. Aedes emits 'publish' once a message is queued for offline
    // sessions: wait for all of them, or a late one would race the device's reconnection.
    let queued = 0;
    const allQueued = new Promise<void>((r) => {
      if (!aedes) return r();
      aedes.on('publish', (packet) => packet.topic === commandsTopic(dev.id) && ++queued === sent && r());
    });
    for (let k = 0; k < sent; k++) await requestCommand(s.ctx, dev.id, 'configure', { k });
    await allQueued;
    const got: Array<{ command: string; data: { k?: number } }> = [];
    let onMessage = () => {};
    const c = mqtt.connect(url, { clientId: dev.id, username: dev.id, password: dev.secret, clean: false, reconnectPeriod: 0 });
    c.on('message', (_t, m) => {
      got.push(JSON.parse(String(m)));
      onMessage();
    });
    const until = (k: number) =>
      new Promise<void>((resolve) => {
        onMessage = () => got.length >= k && resolve();
        onMessage();
      });
    await until(MQTT_LIMITS.queuedCommands);
    // An acknowledged publish after the last command: the broker has taken the device's acks.
    await c.publishAsync(eventsTopic(dev.id), JSON.stringify(eventBody('heartbeat')), { qos: 1 });
    // The next message is a new command, not one of the queued commands beyond the limit.
    await requestCommand(s.ctx, dev.id, 'locate');
    await until(MQTT_LIMITS.queuedCommands + 1);
    expect(got.slice(0, MQTT_LIMITS.queuedCommands).map((m) => m.data.k)).toEqual(
      Array.from({ length: MQTT_LIMITS.queuedCommands }, (_, k) => k),
    );
    expect(got[MQTT_LIMITS.queuedCommands].command).toBe('locate');
    expect(s.logs.join('')).toContain('MQTT session queue full');
    await c.endAsync();
  });
});

// A raw MQTT 3.1.1 client, for what mqtt.js will not do (withhold PUBREL, lie about a length).
function remainingLength(n: number) {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const str = (v: string) => {
  const b = Buffer.from(v);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  return Buffer.concat([len, b]);
};
const packet = (first: number, body: Buffer) => Buffer.concat([Buffer.from([first]), remainingLength(body.length), body]);
function rawPublish(topic: string, payload: string, qos: 1 | 2, id: number) {
  const pid = Buffer.alloc(2);
  pid.writeUInt16BE(id);
  return packet(0x30 | (qos << 1), Buffer.concat([str(topic), pid, Buffer.from(payload)]));
}
async function rawConnect(d: Device): Promise<Socket> {
  const sock = tcpConnect(s.broker?.port ?? 0, '127.0.0.1');
  sock.on('error', () => {});
  const head = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 60])]);
  sock.write(packet(0x10, Buffer.concat([head, str(d.id), str(d.id), str(d.secret)])));
  await new Promise<void>((resolve, reject) =>
    sock.once('data', (b) => (b[0] === 0x20 && b[3] === 0 ? resolve() : reject(new Error(`CONNACK ${b.toString('hex')}`)))),
  );
  return sock;
}
function countPubrecs(sock: Socket) {
  let n = 0;
  sock.on('data', (b: Buffer) => {
    for (let i = 0; i + 1 < b.length; i += 2 + b[i + 1]) if (b[i] === 0x50) n++;
  });
  return () => n;
}
