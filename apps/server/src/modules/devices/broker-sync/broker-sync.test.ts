import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../../jobs/workers.ts';
import { SYSTEM_ACTOR } from '../../../lib/actor.ts';
import { queryRows } from '../../../lib/sql-rows.ts';
import { createElder } from '../../../testing/elders.ts';
import { seedTree, TREE } from '../../../testing/factories.ts';
import { type DynsecMosquitto, startDynsecMosquitto } from '../../../testing/mosquitto.ts';
import { createDevice, eventBody, type SafetyServer, startSafetyServer } from '../../../testing/safety.ts';
import { commandsTopic, eventsTopic } from '../device-topics.ts';
import { rotateSecret, updateDevice } from '../devices.service.ts';
import { brokerSyncJob } from './broker-sync.jobs.ts';
import { closeDynsec, ensureGatewayAccess, syncAllDevices } from './broker-sync.service.ts';
import { DynsecClient } from './dynsec-client.ts';

/**
 * Mosquitto with the dynamic-security plugin (deploy/mosquitto/dynsec.conf, its own process on a
 * free port), kept in sync by Zhiyang, with the platform's gateway subscribed to it: what the
 * broker lets through is what reaches the database.
 */
let broker: DynsecMosquitto;
let s: SafetyServer;
let elderId: string;
const gateway = { user: 'zhiyang-gateway', password: randomBytes(12).toString('hex') };

beforeAll(async () => {
  broker = await startDynsecMosquitto();
  const dynsec = {
    url: broker.url,
    username: broker.admin.username,
    password: broker.admin.password,
    gatewayUser: gateway.user,
    gatewayPassword: gateway.password,
  };
  // The gateway's account exists before the gateway connects (what the CLI does at installation).
  const admin = new DynsecClient(broker.url, broker.admin.username, broker.admin.password);
  await ensureGatewayAccess(admin, { mqttShareGroup: 'zhiyang', dynsec });
  await admin.close();
  s = await startSafetyServer({
    mqtt: 'external',
    externalUrl: `mqtt://${gateway.user}:${gateway.password}@127.0.0.1:${broker.port}`,
    config: { dynsec, mqttClientId: `zy-test-gw-${randomBytes(4).toString('hex')}` },
  });
  // startBroker waits for the first CONNACK (up to 5 s): a refused gateway account shows here.
  if (s.broker?.status() !== 'ok') throw new Error(`the gateway could not connect: ${broker.output()}`);
  await seedTree(s.ctx);
  elderId = (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' })).id;
}, 120_000);

afterAll(async () => {
  await closeDynsec(s?.ctx ?? { config: {} as never });
  await s?.close();
  await broker?.stop();
});

const connect = (id: string, password: string, extra: mqtt.IClientOptions = {}) =>
  mqtt.connectAsync(broker.url, { clientId: id, username: id, password, reconnectPeriod: 0, ...extra });
const stored = async (deviceId: string, msgId?: string) =>
  (
    await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM device_events WHERE device_id = ${deviceId} ${msgId ? sql`AND msg_id = ${msgId}` : sql``}`,
    )
  )[0].n;

describe('Mosquitto dynamic security kept in sync by Zhiyang', () => {
  it('a registered device connects with its secret and its event reaches the database through the gateway', async () => {
    const dev = await createDevice(s.ctx, { elderId, type: 'pendant' });
    const c = await connect(dev.id, dev.secret, { protocolVersion: 5 });
    await c.publishAsync(eventsTopic(dev.id), JSON.stringify(eventBody('sos', {}, 'ds-sos-1')), { qos: 1 });
    await expect.poll(() => stored(dev.id, 'ds-sos-1'), { timeout: 10_000 }).toBe(1);
    // Its own commands topic, and nothing wider.
    await expect(c.subscribeAsync(commandsTopic(dev.id), { qos: 1 })).resolves.toBeTruthy();
    await expect(c.subscribeAsync('zy/v1/devices/+/events', { qos: 1 })).rejects.toThrow(/Not authorized/i);
    await c.endAsync();
  });

  it('refuses a wrong secret, another client id and an unknown device at CONNECT', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    await expect(connect(dev.id, 'wrong-secret')).rejects.toThrow(/Not authorized/i);
    await expect(connect(dev.id, `${dev.secret}x`)).rejects.toThrow(/Not authorized/i);
    await expect(
      mqtt.connectAsync(broker.url, { clientId: 'other', username: dev.id, password: dev.secret, reconnectPeriod: 0 }),
    ).rejects.toThrow(/Not authorized/i);
    await expect(connect('NO-SUCH-DEVICE', 'x')).rejects.toThrow(/Not authorized/i);
  });

  it('refuses a disabled device (also ends its open connection), and accepts it again once re-enabled', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const open = await connect(dev.id, dev.secret);
    await updateDevice(s.ctx, SYSTEM_ACTOR, dev.id, { status: 'disabled' });
    await expect.poll(() => open.connected, { timeout: 5000 }).toBe(false);
    open.end(true);
    await expect(connect(dev.id, dev.secret)).rejects.toThrow(/Not authorized/i);
    await updateDevice(s.ctx, SYSTEM_ACTOR, dev.id, { status: 'active' });
    const again = await connect(dev.id, dev.secret);
    await again.endAsync();
  });

  it('refuses a publish on another device’s topic: MQTT 5 gets “not authorised”, and nothing is stored under either device', async () => {
    const a = await createDevice(s.ctx, { elderId });
    const b = await createDevice(s.ctx, { elderId });
    const v5 = await connect(a.id, a.secret, { protocolVersion: 5 });
    await expect(
      v5.publishAsync(eventsTopic(b.id), JSON.stringify(eventBody('sos', {}, 'forged-1')), { qos: 1 }),
    ).rejects.toThrow(/Not authorized/i);
    // MQTT 3.1.1 has no refusal code: Mosquitto drops it. Published before a legitimate event on
    // the same connection, it would have been delivered (and stored) before that one.
    const v4 = await connect(a.id, a.secret, { clientId: a.id, protocolVersion: 4 });
    await v4.publishAsync(eventsTopic(b.id), JSON.stringify(eventBody('sos', {}, 'forged-2')), { qos: 1 });
    await v4.publishAsync(eventsTopic(a.id), JSON.stringify(eventBody('heartbeat', {}, 'own-1')), { qos: 1 });
    await expect.poll(() => stored(a.id, 'own-1'), { timeout: 10_000 }).toBe(1);
    expect(await stored(b.id)).toBe(0);
    expect(await stored(a.id)).toBe(1);
    await v4.endAsync();
    v5.end(true);
  });

  it('a rotated secret replaces the old one in the broker at once', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const { secret } = await rotateSecret(s.ctx, SYSTEM_ACTOR, dev.id);
    await expect(connect(dev.id, dev.secret)).rejects.toThrow(/Not authorized/i);
    const c = await connect(dev.id, secret);
    await c.endAsync();
  });

  it('the job and the full resync write devices the broker missed (registered while the sync was off)', async () => {
    const dynsec = s.ctx.config.dynsec;
    s.ctx.config.dynsec = undefined;
    const missed = await createDevice(s.ctx, { elderId });
    const missed2 = await createDevice(s.ctx, { elderId });
    s.ctx.config.dynsec = dynsec;
    await expect(connect(missed.id, missed.secret)).rejects.toThrow(/Not authorized/i);
    await runJob(s.ctx, brokerSyncJob, { deviceId: missed.id });
    await (await connect(missed.id, missed.secret)).endAsync();
    const all = await syncAllDevices(s.ctx);
    expect(all.failed).toEqual([]);
    expect(all.synced).toBeGreaterThanOrEqual(2);
    await (await connect(missed2.id, missed2.secret)).endAsync();
  });

  it('a registration while the broker is unreachable still succeeds; the job writes the device once it is back', async () => {
    const dynsec = s.ctx.config.dynsec;
    if (!dynsec) throw new Error('no dynsec config');
    s.ctx.config.dynsec = { ...dynsec, url: 'mqtt://127.0.0.1:1' };
    let dev: { id: string; secret: string };
    try {
      dev = await createDevice(s.ctx, { elderId });
    } finally {
      s.ctx.config.dynsec = dynsec;
    }
    expect(s.logs.join('')).toContain('broker sync failed; the job retries it');
    await expect(connect(dev.id, dev.secret)).rejects.toThrow(/Not authorized/i);
    await runJob(s.ctx, brokerSyncJob, { deviceId: dev.id });
    await (await connect(dev.id, dev.secret)).endAsync();
  });

  it('leaves an account that is not a device’s alone: a device may not take the gateway’s name', async () => {
    const admin = new DynsecClient(broker.url, broker.admin.username, broker.admin.password);
    try {
      await expect(runJob(s.ctx, brokerSyncJob, { deviceId: gateway.user })).resolves.toBeUndefined();
      const [got] = await admin.send([{ command: 'getClient', username: gateway.user }]);
      const client = got.data?.client as { roles: Array<{ rolename: string }> } | undefined;
      const roles = client?.roles.map((r) => r.rolename);
      expect(roles).toEqual(['zhiyang-gateway']);
    } finally {
      await admin.close();
    }
  });
});
