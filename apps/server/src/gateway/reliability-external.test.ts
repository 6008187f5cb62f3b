import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { registerDevice } from '../modules/devices/devices.service.ts';
import { users } from '../modules/users/users.schema.ts';
import { createTestDatabase, type TestDatabase, testDbKind } from '../testing/db.ts';
import { createElder } from '../testing/elders.ts';
import { seedTree, TREE } from '../testing/factories.ts';
import { freePort, httpAs, openProcessDb, ServerProcess, seedingCtx } from '../testing/server-process.ts';
import { eventsTopic } from './event-body.ts';

/**
 * reliability.test.ts again with MQTT_URL pointing at a real Mosquitto (TEST_MQTT_URL, set by CI;
 * locally TEST_MQTT_URL=mqtt://127.0.0.1:1883). Devices publish to Mosquitto, which acknowledges
 * them and keeps them for the platform's persistent session; the platform acknowledges each to the
 * broker only after storing it. Killed with SIGKILL mid-load, the server must — after a restart
 * with the same MQTT_CLIENT_ID — have stored every event the broker accepted (the ones it had
 * acknowledged, the ones in flight, and the ones queued while it was down), never alarm twice
 * for a resend, and still fire the escalation timer of an alarm open across the kill.
 *
 * Every run has its own gateway client id, shared-subscription group and device ids, so parallel
 * runs (PGlite and PostgreSQL, two machines' CI on one broker) never take each other's events.
 */
const MQTT_URL = process.env.TEST_MQTT_URL;
const run = randomBytes(4).toString('hex');
const GATEWAY_ID = `zy-rel-gw-${run}`;
const SHARE_GROUP = `zy-rel-${run}`;
const DEVICES = 20;
const ACK_SECONDS = 8;
const key = randomBytes(32);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(MQTT_URL)('reliability with an external broker (Mosquitto) and the real server process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zy-relx-'));
  let pgDb: TestDatabase | null = null;
  let httpPort = 0;
  const devices: Array<{ id: string }> = [];
  const operator = { username: `relx-operator-${run}`, password: 'Rel#Pass2026x' };
  const server = new ServerProcess(() => ({
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    PORT: String(httpPort),
    HOST: '127.0.0.1',
    MQTT_URL,
    MQTT_CLIENT_ID: GATEWAY_ID,
    MQTT_SHARE_GROUP: SHARE_GROUP,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    SECRET_KEY: key.toString('hex'),
    ZHIYANG_ADMIN_PASSWORD: 'Unused#Pass2026',
    ALARM_ACK_SECONDS: String(ACK_SECONDS),
    ALARM_CONTACTS_SECONDS: '600',
  }));
  // Devices talk to the broker, not to the platform; in a deployment the broker authenticates them.
  const connectDevice = (d: { id: string }) => mqtt.connectAsync(MQTT_URL as string, { clientId: d.id, reconnectPeriod: 0 });

  beforeAll(async () => {
    httpPort = await freePort();
    if (testDbKind() === 'postgres') pgDb = await createTestDatabase();
    const database: Database = pgDb ?? (await openProcessDb({ dataDir }));
    if (!pgDb) await migrate(database);
    const ctx = seedingCtx(database, key);
    await seedTree(ctx);
    const elder = await createElder(ctx, TREE.communityA1, { livingSituation: 'alone' });
    for (let i = 0; i < DEVICES; i++) {
      const r = await registerDevice(ctx, SYSTEM_ACTOR, { id: `RELX-${run}-${i}`, type: 'pendant', elderId: elder.id });
      devices.push({ id: r.device.id });
    }
    await ctx.db.insert(users).values({
      username: operator.username,
      displayName: 'Reliability operator',
      role: 'operator',
      regionCode: TREE.district,
      passwordHash: await hashPassword(operator.password),
      mustChangePassword: false,
    });
    if (!pgDb) await database.close();
  }, 120_000);

  afterAll(async () => {
    await server.stop('SIGKILL');
    // End the gateway's persistent session on the broker (clean start, no expiry): nothing of this run stays queued there.
    const gw = await mqtt.connectAsync(MQTT_URL as string, {
      clientId: GATEWAY_ID,
      clean: true,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await gw.endAsync();
    await pgDb?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every event the broker accepted is stored after SIGKILL and restart; resends never alarm twice; the open alarm still escalates', async () => {
    let url = await server.start();
    let get = await httpAs(url, operator.username, operator.password);
    const storedOf = async (deviceId: string) => {
      const ids = new Set<string>();
      for (let page = 1; ; page++) {
        const r = await get<{ items: Array<{ msgId: string }> }>(
          `/api/v1/device-events?deviceId=${deviceId}&limit=200&page=${page}`,
        );
        for (const e of r.items) ids.add(e.msgId);
        if (r.items.length < 200) break;
      }
      return ids;
    };
    const waitUntil = async (what: string, fn: () => Promise<boolean>, ms = 60_000) => {
      const until = Date.now() + ms;
      while (!(await fn())) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${server.output.slice(-3000)}`);
        await sleep(250);
      }
    };

    const clients = await Promise.all(devices.map(connectDevice));
    for (const c of clients) c.on('error', () => {});
    // The platform's subscription is in place once an event goes through end to end.
    await waitUntil('the first event through the broker', async () => {
      await clients[1].publishAsync(
        eventsTopic(devices[1].id),
        JSON.stringify({ msgId: `probe-${Date.now()}`, ts: Date.now(), type: 'heartbeat', data: {} }),
        { qos: 1 },
      );
      await sleep(300);
      return (await storedOf(devices[1].id)).size > 0;
    });

    // The alarm that must survive the kill: stored and open, its escalation timer not yet due.
    const sosBody = JSON.stringify({ msgId: 'relx-sos-1', ts: Date.now(), type: 'sos', data: {} });
    await clients[0].publishAsync(eventsTopic(devices[0].id), sosBody, { qos: 1 });
    let sosId = '';
    await waitUntil('the SOS alarm', async () => {
      const q = await get<{ items: Array<{ id: string; deviceId: string; type: string }> }>(
        '/api/v1/alarms?status=open&limit=200',
      );
      sosId = q.items.find((a) => a.deviceId === devices[0].id && a.type === 'sos')?.id ?? '';
      return Boolean(sosId);
    });
    const raisedAt = Date.now();

    // Load: each device publishes every 100 ms (200 events/s in all, under Mosquitto's default
    // queue of 1,000 per session even if the platform took nothing); the broker's PUBACK counts.
    const accepted = new Map<string, { i: number; body: string }>([[`${devices[0].id}/relx-sos-1`, { i: 0, body: sosBody }]]);
    let stop = false;
    const load = clients.map(async (c, i) => {
      for (let k = 0; !stop; k++) {
        const msgId = `m-${k}`;
        const type = k % 25 === 7 ? 'fall' : 'heartbeat';
        const body = JSON.stringify({ msgId, ts: Date.now(), type, data: type === 'heartbeat' ? { battery: 80 } : {} });
        await c.publishAsync(eventsTopic(devices[i].id), body, { qos: 1 });
        accepted.set(`${devices[i].id}/${msgId}`, { i, body });
        await sleep(100);
      }
    });
    await sleep(3000);
    const sosBefore = await get<{ escalationLevel: number }>(`/api/v1/alarms/${sosId}`);
    expect(sosBefore.escalationLevel).toBe(0); // the timer has not fired before the kill
    expect(Date.now() - raisedAt).toBeLessThan(ACK_SECONDS * 1000);
    await server.stop('SIGKILL');
    const atKill = accepted.size;
    // The devices go on while the platform is down: the broker keeps their events for its session.
    await sleep(1000);
    stop = true;
    await Promise.all(load);
    for (const c of clients) await c.endAsync();
    console.log(`accepted by the broker: ${atKill} before SIGKILL, ${accepted.size - atKill} while the server was down`);
    expect(atKill).toBeGreaterThan(100);
    expect(accepted.size - atKill).toBeGreaterThan(50);

    // Restart with the same gateway client id: the persistent session delivers what was in flight and queued.
    url = await server.start();
    get = await httpAs(url, operator.username, operator.password);
    let lost: string[] = [];
    await waitUntil(
      'every accepted event in the database',
      async () => {
        const stored = new Set<string>();
        for (const d of devices) for (const m of await storedOf(d.id)) stored.add(`${d.id}/${m}`);
        lost = [...accepted.keys()].filter((k) => !stored.has(k));
        return lost.length === 0;
      },
      60_000,
    ).catch(() => {});
    expect(lost).toEqual([]);

    // Every device resends everything, then a marker; once the markers are stored the resends were processed.
    const before = await get<{ items: Array<{ id: string; eventCount: number }> }>('/api/v1/alarms?limit=200');
    const resenders = await Promise.all(devices.map(connectDevice));
    await Promise.all(
      [...accepted.values()].map((x) => resenders[x.i].publishAsync(eventsTopic(devices[x.i].id), x.body, { qos: 1 })),
    );
    await Promise.all(
      resenders.map((c, i) =>
        c.publishAsync(
          eventsTopic(devices[i].id),
          JSON.stringify({ msgId: 'marker', ts: Date.now(), type: 'heartbeat', data: {} }),
          { qos: 1 },
        ),
      ),
    );
    await waitUntil('the markers', async () =>
      (await Promise.all(devices.map(async (d) => (await storedOf(d.id)).has('marker')))).every(Boolean),
    );
    for (const c of resenders) await c.endAsync();
    const after = await get<typeof before>('/api/v1/alarms?limit=200');
    expect(after.items.map((a) => [a.id, a.eventCount]).sort()).toEqual(before.items.map((a) => [a.id, a.eventCount]).sort());
    expect(before.items.filter((a) => a.id === sosId)).toHaveLength(1);

    // The SOS open across the kill is still open and waiting, and its timer fires after the restart.
    const queue = await get<{ items: Array<{ id: string; status: string }> }>('/api/v1/alarms?status=open&limit=200');
    expect(queue.items.find((a) => a.id === sosId)?.status).toBe('raised');
    let level = 0;
    await waitUntil('the escalation', async () => {
      level = (await get<{ escalationLevel: number }>(`/api/v1/alarms/${sosId}`)).escalationLevel;
      return level >= 1;
    });
    expect(level).toBe(1);
    await server.stop('SIGTERM');
  }, 240_000);
});
