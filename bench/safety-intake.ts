// Safety loop (issue 5) benchmark, with 10,000 simulated devices on the embedded broker:
//  1. sustained intake (QoS 1 events acknowledged per second; each acknowledged = stored), and the
//     same load through a bare Aedes broker with no platform work (same run) → the ratio;
//  2. alarm latency from a device's publish to the operator's WebSocket message, p50 / p99,
//     with that background load running;
//  3. time for the API to return a console queue of 500 open alarms.
// Usage: npx tsx bench/safety-intake.ts [pglite|postgres ...]  (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
// Env: BENCH_DEVICES (10000), BENCH_SECONDS (20), BENCH_SOS (200); BENCH_SOS_ONLY=1 measures only
// the SOS lane at saturation (bench/results/safety-sos-lane[-BENCH_LABEL].json).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Aedes } from 'aedes';
import { sql } from 'drizzle-orm';
import mqtt from 'mqtt';
import { openDatabase } from '../apps/server/src/db/client.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { deviceSecrets } from '../apps/server/src/modules/devices/device-secret.ts';
import { createTestDatabase, type TestDatabase } from '../apps/server/src/testing/db.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { connectRealtime } from '../apps/server/src/testing/realtime.ts';
import { startSafetyServer } from '../apps/server/src/testing/safety.ts';
import { percentile, ROOT, writeResult } from './lib.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SOS = Number(process.env.BENCH_SOS ?? 200);
const WARMUP = 5;

function runLoad(url: string, file: string, onMeasure?: () => void, perDevice = 0): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const args = [url, file, String(SECONDS), String(WARMUP), ...(perDevice ? [String(perDevice)] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/safety-load.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (String(d).includes('MEASURE')) onMeasure?.();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`load exited ${code}`)),
    );
  });
}

/**
 * The same load through Aedes with no hooks: what the transport alone sustains on this machine.
 * While the load is measured, a probe client publishes SOS-sized messages (spread like the SOS of
 * the platform run) to a subscriber on the same broker: the bare broker's publish → subscriber
 * round trip under the same saturation, the reference for the SOS lane's latency.
 */
async function bareBroker(file: string) {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const url = `mqtt://127.0.0.1:${port}`;
  const sub = await mqtt.connectAsync(url, { clientId: 'probe-sub', reconnectPeriod: 0 });
  const pub = await mqtt.connectAsync(url, { clientId: 'probe-pub', reconnectPeriod: 0 });
  await sub.subscribeAsync('zy/v1/devices/PROBE/events', { qos: 1 });
  const sent = new Map<string, number>();
  const roundTrips: number[] = [];
  sub.on('message', (_t, payload) => {
    const t0 = sent.get(JSON.parse(String(payload)).msgId);
    if (t0 !== undefined) roundTrips.push(performance.now() - t0);
  });
  let probing: Promise<void> = Promise.resolve();
  const r = await runLoad(url, file, () => {
    probing = (async () => {
      const gap = ((SECONDS - 2) * 1000) / SOS;
      for (let k = 0; k < SOS; k++) {
        const msgId = `probe-${k}`;
        sent.set(msgId, performance.now());
        pub.publish('zy/v1/devices/PROBE/events', JSON.stringify({ msgId, ts: Date.now(), type: 'sos', data: {} }), { qos: 1 });
        await new Promise((res) => setTimeout(res, gap));
      }
    })();
  });
  await probing;
  await Promise.all([sub.endAsync(), pub.endAsync()]);
  await new Promise<void>((res) => aedes.close(() => res()));
  await new Promise<void>((res) => server.close(() => res()));
  roundTrips.sort((a, b) => a - b);
  return {
    ...(r as { eventsPerSecond: number } & Record<string, number>),
    roundTripMs: {
      samples: roundTrips.length,
      of: SOS,
      p50: percentile(roundTrips, 50),
      p99: percentile(roundTrips, 99),
      max: roundTrips.at(-1),
    },
  };
}

async function benchKind(kind: 'pglite' | 'postgres') {
  console.log(`— ${kind}: ${DEVICES} devices`);
  let database: TestDatabase;
  const dir = mkdtempSync(path.join(tmpdir(), 'zy-bench-safety-'));
  if (kind === 'postgres') {
    process.env.ZY_TEST_DB = 'postgres';
    process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL;
    database = await createTestDatabase();
  } else {
    const db = await openDatabase({ pgliteDir: path.join(dir, 'pglite') });
    await migrate(db);
    database = { ...db, drop: () => db.close() };
  }
  const s = await startSafetyServer({
    mqtt: 'embedded',
    listen: true,
    database,
    config: { logLevel: 'warn', secretKey: randomBytes(32) },
  });
  await seedTree(s.ctx);
  const elders: string[] = [];
  for (let i = 0; i < 50; i++) {
    const birthDate = `19${30 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`;
    elders.push(
      (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone', lat: 30.61, lng: 104.01, birthDate })).id,
    );
  }
  const secrets = deviceSecrets(s.ctx.config.secretKey);
  const all = Array.from({ length: DEVICES + 2 * SOS }, (_, i) => ({ id: `B-${String(i).padStart(6, '0')}`, nonce: `n${i}` }));
  for (let i = 0; i < all.length; i += 1000) {
    const chunk = all.slice(i, i + 1000).map((d, k) => ({ id: d.id, nonce: d.nonce, elder: elders[(i + k) % elders.length] }));
    await s.ctx.db.execute(sql`
      INSERT INTO devices (id, type, elder_id, region_code, heartbeat_seconds, secret_nonce)
      SELECT id, CASE WHEN id >= ${`B-${String(DEVICES).padStart(6, '0')}`} THEN 'pendant' ELSE 'presence' END, elder::uuid, ${TREE.communityA1}, 600, nonce
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS x(id text, nonce text, elder text)`);
  }
  const load = all.slice(0, DEVICES).map((d) => ({ id: d.id, secret: secrets.derive(d.id, d.nonce) }));
  const sosDevices = all.slice(DEVICES).map((d) => ({ id: d.id, secret: secrets.derive(d.id, d.nonce) }));
  const file = path.join(dir, 'devices.json');
  writeFileSync(file, JSON.stringify(load));

  const bare = await bareBroker(file);
  console.log('bare broker', bare);

  // Operator watching the queue, and SOS devices ready, before the background load starts.
  const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
  const token = await loginToken(s.app, op.username);
  const rt = await connectRealtime(s.url, token);
  const sosClients = await Promise.all(
    sosDevices.map((d) =>
      mqtt.connectAsync(`mqtt://127.0.0.1:${s.broker?.port}`, {
        clientId: d.id,
        username: d.id,
        password: d.secret,
        reconnectPeriod: 0,
        connectTimeout: 180_000,
      }),
    ),
  );
  // The operator's socket resolves the waiting SOS as its alarm.raised arrives (no polling in the
  // server's own process, which would add to the latency it measures).
  const arrivals = new Map<string, (at: number) => void>();
  rt.ws.on('message', (m) => {
    const msg = JSON.parse(String(m)) as { type: string; data: { deviceId?: string } };
    if (msg.type === 'alarm.raised' && msg.data.deviceId) arrivals.get(msg.data.deviceId)?.(performance.now());
  });
  /** One SOS per device of `range`, spread over the measured window; publish → operator's WebSocket. */
  const sosLatency = async (from: number, to: number) => {
    const latencies: number[] = [];
    const gap = ((SECONDS - 2) * 1000) / (to - from);
    await Promise.all(
      sosClients.slice(from, to).map(async (c, k) => {
        const d = sosDevices[from + k];
        await new Promise((r) => setTimeout(r, k * gap));
        const t0 = performance.now();
        c.publish(`zy/v1/devices/${d.id}/events`, JSON.stringify({ msgId: 'sos-1', ts: Date.now(), type: 'sos', data: {} }), {
          qos: 1,
        });
        const at = await new Promise<number | null>((resolve) => {
          arrivals.set(d.id, resolve);
          setTimeout(() => resolve(null), 30_000);
        });
        if (at !== null) latencies.push(at - t0);
      }),
    );
    latencies.sort((a, b) => a - b);
    return {
      samples: latencies.length,
      of: to - from,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
    };
  };
  const withLoad = async (perDevice: number, from: number, to: number) => {
    let measuring: () => void = () => {};
    const measured = new Promise<void>((r) => {
      measuring = r;
    });
    const run = runLoad(`mqtt://127.0.0.1:${s.broker?.port}`, file, () => measuring(), perDevice);
    await measured;
    const alarms = await sosLatency(from, to);
    return { load: await run, alarms };
  };
  // A: saturating closed-loop load (each device publishes again as soon as it has its PUBACK).
  // BENCH_STEADY_ONLY=1 skips A, so B is measured on a fresh server (no backlog left from A).
  const saturated = process.env.BENCH_STEADY_ONLY ? null : await withLoad(0, 0, SOS);
  console.log('platform', saturated, 'intake', s.intake.stats);
  const platform = saturated?.load ?? { eventsPerSecond: Number.NaN };
  // B: a steady district load, every device one event per 10 s (1,000 events/s for 10,000 devices).
  // BENCH_SOS_ONLY=1 measures only A (the SOS lane under saturation) and skips B and the queue.
  const sosOnly = Boolean(process.env.BENCH_SOS_ONLY);
  const steady = sosOnly ? null : await withLoad(0.1, SOS, 2 * SOS);
  if (steady) console.log('steady', steady);

  // 500 open alarms: the console's first load of the queue.
  const openNow = await s.ctx.database.query<{ n: number }>('SELECT count(*)::int AS n FROM alarms WHERE open');
  const missing = sosOnly ? 0 : 500 - openNow.rows[0].n;
  if (missing > 0) {
    await s.ctx.database.query(
      `INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, region_code, raised_at)
       SELECT 'fall', (ARRAY['P1','P2','P3'])[1 + g % 3], (ARRAY['P1','P2','P3'])[1 + g % 3], 'bench:' || g, $1, $2, now() - g * interval '1 second'
       FROM generate_series(1, $3) g`,
      [elders[0], TREE.communityA1, missing],
    );
  }
  const times: number[] = [];
  for (let i = 0; i < (sosOnly ? 0 : 10); i++) {
    const t0 = performance.now();
    const res = await fetch(`${s.url}/api/v1/alarms?status=open&limit=500`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[] };
    if (body.items.length !== 500) throw new Error(`queue has ${body.items.length}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rt.close();
  await Promise.all(sosClients.map((c) => c.endAsync()));
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    devices: DEVICES,
    seconds: SECONDS,
    bareBroker: bare,
    platform,
    ratioToBareBroker: saturated ? Math.round((platform.eventsPerSecond / bare.eventsPerSecond) * 1000) / 1000 : null,
    alarmLatencyMsSaturated: saturated?.alarms ?? null,
    // SOS lane (issue 13 §1): SOS publish → operator's WebSocket at saturation, against the bare
    // broker's publish → subscriber round trip under the same load in the same run.
    sosLane: saturated
      ? {
          sosMs: saturated.alarms,
          bareBrokerRoundTripMs: bare.roundTripMs,
          ratioP50: Math.round((saturated.alarms.p50 / bare.roundTripMs.p50) * 100) / 100,
          ratioP99: Math.round((saturated.alarms.p99 / bare.roundTripMs.p99) * 100) / 100,
          intake: { ...s.intake.stats },
        }
      : null,
    steadyLoad: steady?.load ?? null,
    alarmLatencyMsSteady: steady?.alarms ?? null,
    openQueue500Ms: { median: percentile(times, 50), max: times.at(-1) },
  };
}

const kinds = (process.argv.slice(2).length ? process.argv.slice(2) : ['pglite']) as Array<'pglite' | 'postgres'>;
const results: Record<string, unknown> = {};
for (const k of kinds) {
  results[k] = await benchKind(k);
  console.log(JSON.stringify(results[k], null, 2));
}
const name = process.env.BENCH_SOS_ONLY
  ? `safety-sos-lane${process.env.BENCH_LABEL ? `-${process.env.BENCH_LABEL}` : ''}`
  : `safety-intake${process.env.BENCH_STEADY_ONLY ? '-steady' : ''}`;
writeResult(`${name}${kinds.length === 1 ? `-${kinds[0]}` : ''}`, { results });
process.exit(0);
