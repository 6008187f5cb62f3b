// Load generator for bench/safety-intake.ts, run as a child process so it has its own core.
// Connects every device over MQTT, then each device publishes QoS 1 heartbeats in a closed loop
// (next publish when the previous PUBACK arrived) for the given seconds. Prints one JSON line.
// argv: <mqtt url> <devices json file> <seconds> <warmup seconds> [events per second per device]
// With a rate, each device publishes open-loop at that rate instead (a realistic background load).
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';

const [url, file, secondsArg, warmupArg] = process.argv.slice(2);
const devices = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; secret: string }>;
const seconds = Number(secondsArg);
const warmup = Number(warmupArg);
const perDevice = process.argv[6] ? Number(process.argv[6]) : 0;

async function main() {
  const t0 = performance.now();
  const clients: mqtt.MqttClient[] = [];
  for (let i = 0; i < devices.length; i += 250) {
    const batch = await Promise.all(
      devices.slice(i, i + 250).map((d) =>
        mqtt.connectAsync(url, {
          clientId: d.id,
          username: d.id,
          password: d.secret,
          reconnectPeriod: 0,
          keepalive: 600,
          // A loaded machine can take longer than the default 30 s to answer 250 connects at once.
          connectTimeout: 180_000,
        }),
      ),
    );
    clients.push(...batch);
  }
  const connectSeconds = (performance.now() - t0) / 1000;
  let counting = false;
  let acked = 0;
  let failed = 0;
  let stop = false;
  const lat: number[] = [];
  const run = Date.now().toString(36);
  const loops = clients.map(async (c, i) => {
    if (perDevice > 0) await new Promise((r) => setTimeout(r, Math.random() * (1000 / perDevice)));
    for (let k = 0; !stop; k++) {
      const due = perDevice > 0 ? performance.now() + 1000 / perDevice : 0;
      const s = performance.now();
      const body = JSON.stringify({
        msgId: `${run}-${k}`,
        ts: Date.now(),
        type: 'heartbeat',
        data: { battery: 50 + (k % 50), rssi: -70 },
      });
      try {
        await c.publishAsync(`zy/v1/devices/${devices[i].id}/events`, body, { qos: 1 });
      } catch {
        failed++;
        return;
      }
      if (counting) {
        acked++;
        if ((acked & 15) === 0) lat.push(performance.now() - s);
      }
      if (due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  });
  await new Promise((r) => setTimeout(r, warmup * 1000));
  counting = true;
  process.stdout.write('MEASURE\n');
  const start = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - start) / 1000;
  stop = true;
  await Promise.race([Promise.all(loops), new Promise((r) => setTimeout(r, 5000))]);
  lat.sort((a, b) => a - b);
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? null;
  process.stdout.write(
    `${JSON.stringify({ devices: clients.length, connectSeconds, seconds: elapsed, acked, failed, eventsPerSecond: acked / elapsed, ackMsP50: p(0.5), ackMsP99: p(0.99) })}\n`,
  );
  await Promise.all(clients.map((c) => c.endAsync().catch(() => {})));
  process.exit(0);
}
main().catch((e) => {
  process.stderr.write(String(e));
  process.exit(1);
});
