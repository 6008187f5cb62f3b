import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm start` runs the esbuild bundle of the server (scripts/build-server.mjs), not the
// TypeScript sources the other suites load. This proves the bundle is the same server: built
// from the current sources, a first start restores the prebuilt database template, and a
// restart on the same data directory keeps everything; HTTP, OpenAPI, Swagger UI, the lazily
// loaded spreadsheet library and the embedded MQTT broker's authentication all work from it.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Same depth as apps/server/dist, so the bundle finds node_modules, the migrations and the web build.
const outdir = path.join(root, 'apps/server', `dist-test-${randomBytes(4).toString('hex')}`);
const dataDir = mkdtempSync(path.join(tmpdir(), 'zy-bundle-'));
const password = 'Bundle-test-2026';
let child: ChildProcess | undefined;

interface Started {
  url: string;
  mqttPort: number;
  output: string;
}

function start(): Promise<Started> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(outdir, 'main.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        MQTT_PORT: '0',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'info',
        ZHIYANG_ADMIN_PASSWORD: password,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready in 90 s:\n${output}`)), 90_000);
    const onData = (d: Buffer) => {
      output += d;
      const ready = /is ready in \d+ ms — (http:\/\/[^\s]+)/.exec(output);
      const broker = /broker: ok on port (\d+)/.exec(output);
      if (ready && broker) {
        clearTimeout(timer);
        resolve({ url: ready[1], mqttPort: Number(broker[1]), output });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

async function stop() {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null) return;
  await new Promise((r) => {
    proc.removeAllListeners('exit');
    proc.on('exit', r);
    proc.kill('SIGTERM');
  });
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

beforeAll(() => {
  const built = spawnSync(process.execPath, ['scripts/build-server.mjs', '--outdir', outdir], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`bundle failed:\n${built.stdout}\n${built.stderr}`);
}, 180_000);

afterAll(async () => {
  await stop();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the bundled server (npm start)', () => {
  it('is built with a database template for the current migrations', () => {
    const files = readdirSync(outdir);
    expect(files).toContain('main.mjs');
    // The elder import's worker thread is its own module beside main.mjs.
    expect(files).toContain('elders-import-worker.mjs');
    expect(files.filter((f) => /^pglite-template-[0-9a-f]{16}\.tar$/.test(f))).toHaveLength(1);
  });

  it('starts on an empty data directory from the template, without running migrations', async () => {
    const { url, mqttPort, output } = await start();
    // Every migration is already in the template, so none is applied at start.
    expect(output).not.toContain('migrations applied');
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);

    const health = await fetch(`${url}/api/v1/health`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite:ok', broker: 'ok' });

    const token = await login(url);
    const auth = { authorization: `Bearer ${token}` };
    const regions = await fetch(`${url}/api/v1/regions`, { headers: auth });
    expect(regions.status).toBe(200);

    // ExcelJS is external and loaded on first use.
    const xlsx = await fetch(`${url}/api/v1/elders/import/template`, { headers: auth });
    expect(xlsx.status).toBe(200);
    expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)]).toEqual([0x50, 0x4b]);

    // The elder import reads and checks rows in a worker thread: the bundle finds its module. (No
    // community exists in this database, so the row is checked in the worker and reported.)
    const form = new FormData();
    form.append(
      'file',
      new Blob(['姓名*,证件号码*,居住社区编码*,居住状况*\n张秀英,110101194203050021,990101001001,独居\n']),
      'elders.csv',
    );
    const imported = await fetch(`${url}/api/v1/elders/import?wait=true`, { method: 'POST', headers: auth, body: form });
    expect(imported.status).toBe(202);
    expect(await imported.json()).toMatchObject({ status: 'done', totalRows: 1, processedRows: 1, errorCount: 1 });

    const openapi = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/api/v1/service-orders');
    const docs = await fetch(`${url}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');

    // The embedded broker authenticates devices from the bundle too: unknown credentials are refused.
    const refused = await new Promise<string>((resolve) => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, {
        clientId: 'no-such-device',
        username: 'no-such-device',
        password: 'wrong',
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      c.on('connect', () => {
        c.end(true);
        resolve('accepted');
      });
      c.on('error', (err) => {
        c.end(true);
        resolve(err.message);
      });
    });
    expect(refused).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  }, 120_000);

  it('restarts on the same data directory with its data', async () => {
    await stop();
    const { url, output } = await start();
    expect(output).not.toContain('migrations applied');
    await login(url);
  }, 120_000);
});
