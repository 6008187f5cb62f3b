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
import { freePort, openProcessDb, ServerProcess, seedingCtx } from '../testing/server-process.ts';
import { eventsTopic } from './event-body.ts';

/**
 * The real server as a child process (tsx apps/server/src/main.ts) on a database that outlives
 * it: a PGlite data directory, or a fresh PostgreSQL database. Killed with SIGKILL mid-load and
 * started again, it must have stored every event it acknowledged, never alarm twice for a
 * resend, keep open alarms open and still fire their escalation timers. (The same with an
 * external broker: reliability-external.test.ts.)
 */
const key = randomBytes(32);
const dataDir = mkdtempSync(path.join(tmpdir(), 'zy-rel-'));
let pgDb: TestDatabase | null = null;
let mqttPort = 0;
let httpPort = 0;
const DEVICES = 20;
const devices: Array<{ id: string; secret: string }> = [];
let operatorName = '';

const openDb = (): Promise<Database> => openProcessDb({ pgUrl: pgDb?.url, dataDir });
const fakeCtx = (database: Database) => seedingCtx(database, key);

const server = new ServerProcess(() => ({
  ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
  PORT: String(httpPort),
  HOST: '127.0.0.1',
  MQTT_PORT: String(mqttPort),
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  SECRET_KEY: key.toString('hex'),
  ZHIYANG_ADMIN_PASSWORD: 'Unused#Pass2026',
  ALARM_ACK_SECONDS: '4',
  ALARM_CONTACTS_SECONDS: '600',
}));
const startServer = () => server.start();
const stopServer = (signal: NodeJS.Signals) => server.stop(signal);

beforeAll(async () => {
  mqttPort = await freePort();
  httpPort = await freePort();
  if (testDbKind() === 'postgres') pgDb = await createTestDatabase();
  const database = pgDb ?? (await openDb());
  if (!pgDb) await migrate(database);
  const ctx = fakeCtx(database);
  await seedTree(ctx);
  const elder = await createElder(ctx, TREE.communityA1, { livingSituation: 'alone' });
  for (let i = 0; i < DEVICES; i++) {
    const r = await registerDevice(ctx, SYSTEM_ACTOR, { id: `REL-${i}`, type: 'pendant', elderId: elder.id });
    devices.push({ id: r.device.id, secret: r.secret });
  }
  operatorName = `rel-operator`;
  await ctx.db.insert(users).values({
    username: operatorName,
    displayName: 'Reliability operator',
    role: 'operator',
    regionCode: TREE.district,
    passwordHash: await hashPassword('Rel#Pass2026x'),
    mustChangePassword: false,
  });
  if (!pgDb) await database.close();
}, 120_000);

afterAll(async () => {
  await stopServer('SIGKILL');
  await pgDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const connectDevice = (d: { id: string; secret: string }) =>
  mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0 });

describe('reliability with the real server process', () => {
  it('every acknowledged event survives SIGKILL mid-load; resends after restart never alarm twice; open alarms stay open and still escalate', async () => {
    await startServer();
    const clients = await Promise.all(devices.map(connectDevice));
    for (const c of clients) c.on('error', () => {});
    const acked = new Set<string>();
    const sent: Array<{ i: number; body: string; msgId: string }> = [];
    let stop = false;

    // The alarm that must survive: raised and acknowledged (PUBACK) before the kill.
    const sosBody = JSON.stringify({ msgId: 'rel-sos-1', ts: Date.now(), type: 'sos', data: {} });
    await clients[0].publishAsync(eventsTopic(devices[0].id), sosBody, { qos: 1 });
    acked.add(`${devices[0].id}/rel-sos-1`);

    const load = clients.map(async (c, i) => {
      for (let k = 0; !stop; k++) {
        const msgId = `m-${k}`;
        const type = k % 25 === 7 ? 'fall' : 'heartbeat';
        const body = JSON.stringify({ msgId, ts: Date.now(), type, data: type === 'heartbeat' ? { battery: 80 } : {} });
        sent.push({ i, body, msgId });
        try {
          await c.publishAsync(eventsTopic(devices[i].id), body, { qos: 1 });
          acked.add(`${devices[i].id}/${msgId}`);
        } catch {
          return; // connection gone: the kill
        }
      }
    });
    await new Promise((r) => setTimeout(r, 3000));
    await stopServer('SIGKILL');
    stop = true;
    // Publishes in flight at the kill never get their PUBACK: they are not counted as acknowledged.
    await Promise.race([Promise.all(load), new Promise((r) => setTimeout(r, 1000))]);
    for (const c of clients) c.end(true);
    console.log(`acknowledged before SIGKILL: ${acked.size} of ${sent.length + 1} sent`);
    expect(acked.size).toBeGreaterThan(100);

    // Restart on the same database.
    const url = await startServer();
    console.log('restarted');
    const token = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: operatorName, password: 'Rel#Pass2026x' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const get = (p: string) => fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token.token}` } }).then((r) => r.json());

    // Every acknowledged event is stored.
    const stored = new Set<string>();
    for (const d of devices) {
      for (let page = 1; ; page++) {
        const r = (await get(`/api/v1/device-events?deviceId=${d.id}&limit=200&page=${page}`)) as {
          items: Array<{ msgId: string }>;
        };
        for (const e of r.items) stored.add(`${d.id}/${e.msgId}`);
        if (r.items.length < 200) break;
      }
    }
    const lost = [...acked].filter((k) => !stored.has(k));
    expect(lost).toEqual([]);

    // The devices resend everything (a device does not know which acks were lost): no new alarm, no new count.
    const before = (await get('/api/v1/alarms?limit=200')) as {
      items: Array<{ id: string; deviceId: string; eventCount: number; type: string }>;
    };
    const resenders = await Promise.all(devices.map(connectDevice));
    await Promise.all(
      sent
        .filter((x) => acked.has(`${devices[x.i].id}/${x.msgId}`))
        .map((x) => resenders[x.i].publishAsync(eventsTopic(devices[x.i].id), x.body, { qos: 1 })),
    );
    await resenders[0].publishAsync(eventsTopic(devices[0].id), sosBody, { qos: 1 });
    const after = (await get('/api/v1/alarms?limit=200')) as typeof before;
    expect(after.items.map((a) => [a.id, a.eventCount]).sort()).toEqual(before.items.map((a) => [a.id, a.eventCount]).sort());
    for (const c of resenders) c.end(true);

    // The SOS raised before the kill is still open, in the operator queue, and its timer fires.
    const queue = (await get('/api/v1/alarms?status=open&limit=200')) as {
      items: Array<{ id: string; deviceId: string; type: string; status: string }>;
    };
    const sos = queue.items.find((a) => a.deviceId === devices[0].id && a.type === 'sos');
    expect(sos?.status).toBe('raised');
    const deadline = Date.now() + 30_000;
    let level = 0;
    while (Date.now() < deadline && level < 1) {
      level = ((await get(`/api/v1/alarms/${sos?.id}`)) as { escalationLevel: number }).escalationLevel;
      if (level < 1) await new Promise((r) => setTimeout(r, 500));
    }
    expect(level).toBe(1);
    await stopServer('SIGTERM');
  }, 180_000);
});
