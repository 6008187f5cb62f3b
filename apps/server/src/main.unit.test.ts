import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'zy-main-')), SEED_DEMO: 'false', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let taken: Server;
let port: number;
beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => taken.close(() => r())));

describe('start-up refuses clearly', () => {
  it('stops with one line naming PORT when the HTTP port is taken', async () => {
    const { code, stderr } = await start({ PORT: String(port), HOST: '127.0.0.1', MQTT_ENABLED: 'false' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`zhiyang: Port ${port} is already in use; set PORT to a free port.`);
  });

  it('stops with one line naming MQTT_PORT when an explicitly chosen broker port is taken', async () => {
    const { code, stderr } = await start({ PORT: '0', HOST: '127.0.0.1', MQTT_PORT: String(port) });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/MQTT port \d+ is already in use; set MQTT_PORT/);
  });

  it('stops with one line naming the variable for a bad value', async () => {
    const { code, stderr } = await start({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^zhiyang: Invalid PORT="eighty": /);
  });
});

/** Start main.ts with these variables and resolve with its URL once it says it is ready. */
function startReady(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'zy-main-')), SEED_DEMO: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ready in 60 s:\n${output}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      output += d;
      const ready = /is ready in \d+ ms.* — (http:\/\/\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ url: ready[1], child });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

describe('a process serves the HTTP of its ROLES only', () => {
  it('ROLES=worker answers the health check and nothing else of the API', async () => {
    const { url, child } = await startReady({ ROLES: 'worker', PORT: '0', HOST: '127.0.0.1', MQTT_ENABLED: 'false' });
    try {
      const health = await fetch(`${url}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      for (const p of ['/api/v1/elders', '/api/v1/auth/login', '/api/v1/openapi.json', '/api/docs']) {
        const r = await fetch(`${url}${p}`);
        expect(r.status, p).toBe(404);
      }
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
