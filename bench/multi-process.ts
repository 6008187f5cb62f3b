// A city on several machines (issue 13 §6), measured on one: 2 gateway processes (ROLES=gateway)
// sharing one Mosquitto subscription ($share/<group>/zy/v1/devices/+/events), 2 web processes and
// 1 worker on one PostgreSQL, each a separate `node apps/server/src/main.ts`.
//  1. bare: the same device load through the same Mosquitto to 2 bare subscribers sharing a
//     subscription (acknowledge at once, store nothing) → messages/s the broker delivers;
//  2. platform: events stored per second by the gateways (rows in device_events during the
//     window) while the load runs, as a ratio to 1;
//  3. alarm latency: SOS publish → alarm.raised on an operator's WebSocket, half of the operators'
//     sockets on each web process, with that load running.
// Usage: npx tsx bench/multi-process.ts  (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
// Env: BENCH_DEVICES (2000), BENCH_SECONDS (20), BENCH_SOS (100), BENCH_GATEWAYS (2), BENCH_WEBS (2),
// BENCH_RATE (events/s per device, open loop; default: closed loop, saturating).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { deviceSecrets } from '../apps/server/src/modules/devices/device-secret.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { connectRealtime } from '../apps/server/src/testing/realtime.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { percentile, ROOT, writeResult } from './lib.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SOS = Number(process.env.BENCH_SOS ?? 100);
const GATEWAYS = Number(process.env.BENCH_GATEWAYS ?? 2);
const WEBS = Number(process.env.BENCH_WEBS ?? 2);
// Events per second per device (open loop) instead of the saturating closed loop.
const RATE = Number(process.env.BENCH_RATE ?? 0);
const WARMUP = 5;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

const children: ChildProcess[] = [];
const stopAll = async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((r) => {
          if (c.exitCode !== null) return r();
          c.once('exit', () => r());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 8000).unref();
        }),
    ),
  );
};

/** The device load (bench/safety-load.ts) in its own process; onMeasure / onEnd mark its measured window. */
function runLoad(url: string, file: string, onMeasure?: () => void, onEnd?: () => void): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'bench/safety-load.ts'),
        url,
        file,
        String(SECONDS),
        String(WARMUP),
        ...(RATE ? [String(RATE)] : []),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (String(d).includes('MEASURE')) onMeasure?.();
      if (String(d).includes('eventsPerSecond')) onEnd?.();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`load exited ${code}`)),
    );
  });
}

async function startMosquitto(dir: string) {
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  // A plain broker with the production limits: authentication is a CONNECT-time cost only.
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'max_inflight_messages 32',
      'max_queued_messages 2000000',
      'max_queued_bytes 0',
      'retain_available false',
      'max_keepalive 900',
      '',
    ].join('\n'),
  );
  const proc = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  children.push(proc);
  for (let i = 0; i < 100; i++) {
    try {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, clientId: 'probe' });
      await c.endAsync();
      return port;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('mosquitto did not start');
}

async function startRole(roles: string, env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/server/src/main.ts')], {
    env: { ...process.env, ...env, ROLES: roles, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return `http://127.0.0.1:${port}`;
    } catch {}
    if (child.exitCode !== null) throw new Error(`${roles} process exited ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${roles} process did not answer`);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'zy-bench-multi-'));
  process.env.ZY_TEST_DB = 'postgres';
  process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL;
  const database = await createTestDatabase();
  const secretKey = randomBytes(32);
  // Seed with an in-process app on the same database (the processes below share it).
  const seed = await startTestServer({ database, config: { logLevel: 'warn', secretKey } });
  await seedTree(seed.ctx);
  const elders: string[] = [];
  for (let i = 0; i < 20; i++)
    elders.push((await createElder(seed.ctx, TREE.communityA1, { livingSituation: 'alone', lat: 30.61, lng: 104.01 })).id);
  const secrets = deviceSecrets(secretKey);
  const all = Array.from({ length: DEVICES + SOS }, (_, i) => ({ id: `M-${String(i).padStart(6, '0')}`, nonce: `n${i}` }));
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000).map((d, k) => ({ id: d.id, nonce: d.nonce, elder: elders[(i + k) % elders.length] }));
    await seed.ctx.db.execute(sql`
      INSERT INTO devices (id, type, elder_id, region_code, heartbeat_seconds, secret_nonce)
      SELECT id, CASE WHEN id >= ${`M-${String(DEVICES).padStart(6, '0')}`} THEN 'pendant' ELSE 'presence' END, elder::uuid, ${TREE.communityA1}, 600, nonce
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS x(id text, nonce text, elder text)`);
  }
  const op = await createAccount(seed.ctx, 'operator', { regionCode: TREE.district });
  const token = await loginToken(seed.app, op.username);
  const file = path.join(dir, 'devices.json');
  writeFileSync(file, JSON.stringify(all.slice(0, DEVICES).map((d) => ({ id: d.id, secret: secrets.derive(d.id, d.nonce) }))));

  const mqttPort = await startMosquitto(dir);
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;

  // 1. Bare: two subscribers sharing a subscription, acknowledging at once.
  const bareSubs = await Promise.all(
    Array.from({ length: GATEWAYS }, (_, i) =>
      mqtt.connectAsync(mqttUrl, { clientId: `bare-${i}`, reconnectPeriod: 0, protocolVersion: 5 }),
    ),
  );
  let bareCounting = false;
  let bareReceived = 0;
  for (const s of bareSubs) {
    s.on('message', () => {
      if (bareCounting) bareReceived++;
    });
    await s.subscribeAsync('$share/bare/zy/v1/devices/+/events', { qos: 1 });
  }
  let bareStart = 0;
  let bareEnd = 0;
  const bareLoad = await runLoad(
    mqttUrl,
    file,
    () => {
      bareCounting = true;
      bareStart = performance.now();
    },
    () => {
      bareCounting = false;
      bareEnd = performance.now();
    },
  );
  const bareSeconds = (bareEnd - bareStart) / 1000;
  await Promise.all(bareSubs.map((s) => s.endAsync()));
  const bare = {
    ...bareLoad,
    subscribersReceived: bareReceived,
    windowSeconds: bareSeconds,
    subscribersReceivedPerSecond: bareReceived / bareSeconds,
  };
  console.log('bare', bare);

  // 2. The platform: gateways, webs, a worker.
  const env = {
    DATABASE_URL: database.url as string,
    SECRET_KEY: secretKey.toString('hex'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    ZHIYANG_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    MQTT_URL: mqttUrl,
    MQTT_SHARE_GROUP: 'benchgw',
  };
  const gateways = [];
  for (let i = 0; i < GATEWAYS; i++) gateways.push(await startRole('gateway', { ...env, MQTT_CLIENT_ID: `bench-gw-${i}` }));
  const webs = [];
  for (let i = 0; i < WEBS; i++) webs.push(await startRole('web', env));
  await startRole('worker', env);
  console.log('processes up', { gateways: gateways.length, webs: webs.length });

  const sockets = await Promise.all(webs.map((w) => connectRealtime(w, token)));
  const arrivals = new Map<string, (at: number) => void>();
  for (const rt of sockets)
    rt.ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { type: string; data: { deviceId?: string } };
      if (msg.type === 'alarm.raised' && msg.data.deviceId) arrivals.get(msg.data.deviceId)?.(performance.now());
    });
  const sosDevices = all.slice(DEVICES).map((d) => ({ id: d.id, secret: secrets.derive(d.id, d.nonce) }));
  const sosClients = await Promise.all(
    sosDevices.map((d) => mqtt.connectAsync(mqttUrl, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 0 })),
  );
  const count = async () =>
    Number((await seed.ctx.database.query<{ n: number }>('SELECT count(*)::int AS n FROM device_events')).rows[0].n);
  let storedAtStart = 0;
  let t0 = 0;
  let endCount: Promise<{ n: number; at: number }> = Promise.resolve({ n: 0, at: 0 });
  let sosRun: Promise<number[]> = Promise.resolve([]);
  const load = await runLoad(
    mqttUrl,
    file,
    () => {
      t0 = performance.now();
      void count().then((n) => (storedAtStart = n));
      sosRun = (async () => {
        const latencies: number[] = [];
        const gap = ((SECONDS - 2) * 1000) / SOS;
        await Promise.all(
          sosClients.map(async (c, k) => {
            const d = sosDevices[k];
            await new Promise((r) => setTimeout(r, k * gap));
            const sent = performance.now();
            const at = new Promise<number | null>((resolve) => {
              arrivals.set(d.id, resolve);
              setTimeout(() => resolve(null), 60_000);
            });
            c.publish(`zy/v1/devices/${d.id}/events`, JSON.stringify({ msgId: 'sos-1', ts: Date.now(), type: 'sos', data: {} }), {
              qos: 1,
            });
            const got = await at;
            if (got !== null) latencies.push(got - sent);
          }),
        );
        return latencies.sort((a, b) => a - b);
      })();
    },
    () => {
      const at = performance.now();
      endCount = count().then((n) => ({ n, at }));
    },
  );
  const { n: storedAtEnd, at: tEnd } = await endCount;
  const elapsed = (tEnd - t0) / 1000;
  const latencies = await sosRun;
  const storedPerSecond = (storedAtEnd - storedAtStart) / elapsed;
  // What the broker still holds for the gateways when the load stops (their backlog).
  const drainStart = performance.now();
  let last = storedAtEnd;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const n = await count();
    if (n === last || performance.now() - drainStart > 120_000) break;
    last = n;
  }
  const platform = {
    publishersAckedPerSecond: load.eventsPerSecond,
    stored: storedAtEnd - storedAtStart,
    windowSeconds: elapsed,
    storedPerSecond,
    backlogAfterLoad: last - storedAtEnd,
    alarmLatencyMs: {
      samples: latencies.length,
      of: SOS,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
    },
  };
  console.log('platform', platform);
  for (const rt of sockets) rt.close();
  await Promise.all(sosClients.map((c) => c.endAsync()));
  await stopAll();
  await seed.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  writeResult(`multi-process-g${GATEWAYS}-w${WEBS}${RATE ? '-steady' : ''}`, {
    setup: {
      devices: DEVICES,
      seconds: SECONDS,
      sos: SOS,
      gateways: GATEWAYS,
      webs: WEBS,
      workers: 1,
      database: 'postgres',
      load: RATE ? `${RATE} events/s per device (open loop)` : 'closed loop (saturating)',
    },
    bare,
    platform,
    ratioToBareMosquitto: Math.round((storedPerSecond / bare.subscribersReceivedPerSecond) * 1000) / 1000,
  });
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(err);
    await stopAll();
    process.exit(1);
  },
);
