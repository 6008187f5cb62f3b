// Device simulator: `npm run simulate -- --devices N --rate R [--mqtt URL]`
// Registers (or reuses) N devices through the API, connects each over MQTT with its id and
// secret, and publishes heartbeats and a mix of events per the device protocol at R events/s.
// Options: --api URL (http://127.0.0.1:3000)  --user NAME --password PW (or ZHIYANG_SIM_USER /
// ZHIYANG_SIM_PASSWORD; default user demo-district with DATA_DIR/demo-password.txt)
// --mqtt URL (mqtt://127.0.0.1:$MQTT_PORT)  --duration S (run forever)  --sos P (share of SOS, 0.0005)
// Secrets are kept in DATA_DIR/simulator-devices.json so a second run reuses the devices.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { eventsTopic } from './event-body.ts';

const { values: a } = parseArgs({
  options: {
    devices: { type: 'string', default: '100' },
    rate: { type: 'string', default: '50' },
    mqtt: { type: 'string' },
    api: { type: 'string', default: process.env.ZHIYANG_API ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    user: { type: 'string', default: process.env.ZHIYANG_SIM_USER ?? 'demo-district' },
    password: { type: 'string', default: process.env.ZHIYANG_SIM_PASSWORD },
    duration: { type: 'string' },
    sos: { type: 'string', default: '0.0005' },
  },
});
const N = Number(a.devices);
const RATE = Number(a.rate);
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? './data');
const mqttUrl = a.mqtt ?? process.env.MQTT_URL ?? `mqtt://127.0.0.1:${process.env.MQTT_PORT ?? 1883}`;
const cacheFile = path.join(DATA_DIR, 'simulator-devices.json');

function fail(msg: string): never {
  process.stderr.write(`simulate: ${msg}\n`);
  process.exit(1);
}

async function api<T>(token: string | null, method: string, p: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${a.api}/api/v1${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
}

interface SimDevice {
  id: string;
  type: string;
  secret: string;
}

async function devicesToUse(): Promise<SimDevice[]> {
  const password =
    a.password ??
    (existsSync(path.join(DATA_DIR, 'demo-password.txt'))
      ? readFileSync(path.join(DATA_DIR, 'demo-password.txt'), 'utf8').trim()
      : undefined);
  if (!password) fail('give --password (or ZHIYANG_SIM_PASSWORD) for the account that registers devices');
  const login = await api<{ token?: string; detail?: string }>(null, 'POST', '/auth/login', { username: a.user, password });
  if (!login.json.token) fail(`login as ${a.user} failed: ${login.json.detail ?? login.status}`);
  const token = login.json.token;
  const cache: Record<string, SimDevice> = existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
  const chosen: SimDevice[] = [];
  // Reuse registered devices first (the demo district's), newest secrets from the cache.
  for (let page = 1; chosen.length < N; page++) {
    const r = await api<{ items: Array<{ id: string; type: string }> }>(
      token,
      'GET',
      `/devices?limit=200&page=${page}&status=active`,
    );
    if (!r.json.items?.length) break;
    for (const d of r.json.items) {
      if (chosen.length >= N) break;
      let sim = cache[d.id];
      if (!sim) {
        const rot = await api<{ secret: string }>(token, 'POST', `/devices/${d.id}/rotate-secret`);
        if (rot.status !== 200) continue;
        sim = { id: d.id, type: d.type, secret: rot.json.secret };
        cache[d.id] = sim;
      }
      chosen.push(sim);
    }
  }
  if (chosen.length < N) {
    const regions = await api<{ items: Array<{ code: string; level: string }> }>(token, 'GET', '/regions?limit=200');
    const region = regions.json.items?.find((r) => r.level === 'community') ?? regions.json.items?.[0];
    if (!region) fail('no region to register devices in');
    const types = ['pendant', 'smoke', 'door', 'presence', 'watch'];
    for (let i = 0; chosen.length < N; i++) {
      const id = `SIM-${String(i).padStart(6, '0')}`;
      if (chosen.some((c) => c.id === id)) continue;
      const type = types[i % types.length];
      const r = await api<{ secret: string }>(token, 'POST', '/devices', {
        id,
        type,
        regionCode: region.code,
        vendor: 'simulator',
      });
      if (r.status === 201) {
        cache[id] = { id, type, secret: r.json.secret };
        chosen.push(cache[id]);
      }
    }
  }
  writeFileSync(cacheFile, JSON.stringify(cache), { mode: 0o600 });
  return chosen;
}

/** The event mix: mostly heartbeats, sensor changes, now and then an alarm. */
function nextEvent(d: SimDevice, sosShare: number): { type: string; data: Record<string, unknown> } {
  const r = Math.random();
  if (r < sosShare) return { type: d.type === 'smoke' ? 'smoke' : d.type === 'gas' ? 'gas' : 'sos', data: {} };
  if (r < sosShare * 2 && (d.type === 'pendant' || d.type === 'watch' || d.type === 'fall_radar'))
    return { type: 'fall', data: { confidence: 0.9 } };
  if (r < 0.8)
    return {
      type: 'heartbeat',
      data: { battery: 30 + Math.floor(Math.random() * 70), rssi: -60 - Math.floor(Math.random() * 30) },
    };
  if (d.type === 'door') return { type: 'door', data: { open: Math.random() < 0.5 } };
  if (d.type === 'presence') return { type: 'presence', data: { present: Math.random() < 0.7 } };
  if (d.type === 'watch')
    return { type: 'vitals', data: { heartRate: 60 + Math.floor(Math.random() * 30), spo2: 95 + Math.floor(Math.random() * 5) } };
  if (d.type === 'bed') return { type: 'bed', data: { inBed: Math.random() < 0.8 } };
  return { type: 'heartbeat', data: { battery: 80 } };
}

async function main() {
  const devices = await devicesToUse();
  process.stdout.write(`simulate: ${devices.length} devices, ${RATE} events/s → ${mqttUrl}\n`);
  const clients: mqtt.MqttClient[] = [];
  for (let i = 0; i < devices.length; i += 200) {
    clients.push(
      ...(await Promise.all(
        devices
          .slice(i, i + 200)
          .map((d) => mqtt.connectAsync(mqttUrl, { clientId: d.id, username: d.id, password: d.secret, reconnectPeriod: 5000 })),
      )),
    );
  }
  let sent = 0;
  let acked = 0;
  let failed = 0;
  const latencies: number[] = [];
  const run = `${Date.now().toString(36)}`;
  let seq = 0;
  const started = Date.now();
  const tick = setInterval(() => {
    const due = Math.round(((Date.now() - started) / 1000) * RATE) - sent;
    for (let k = 0; k < due; k++) {
      const i = Math.floor(Math.random() * devices.length);
      const d = devices[i];
      const ev = nextEvent(d, Number(a.sos));
      const t0 = performance.now();
      sent++;
      clients[i]
        .publishAsync(eventsTopic(d.id), JSON.stringify({ msgId: `${run}-${++seq}`, ts: new Date().toISOString(), ...ev }), {
          qos: 1,
        })
        .then(
          () => {
            acked++;
            latencies.push(performance.now() - t0);
          },
          () => failed++,
        );
    }
  }, 20);
  const report = setInterval(() => {
    const sorted = latencies.splice(0).sort((x, y) => x - y);
    const p = (q: number) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1) : '-';
    process.stdout.write(`sent ${sent}  acked ${acked}  failed ${failed}  ack ms p50 ${p(0.5)} p99 ${p(0.99)}\n`);
  }, 5000);
  const stop = async () => {
    clearInterval(tick);
    clearInterval(report);
    await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
    process.stdout.write(`done: sent ${sent}, acked ${acked}, failed ${failed}\n`);
    process.exit(0);
  };
  if (a.duration) setTimeout(stop, Number(a.duration) * 1000);
  process.on('SIGINT', stop);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
