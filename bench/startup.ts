// Cold start and restart of `npm start` once built (`npm run build`: web console, server bundle,
// database template): time from spawning `npm start` to the first 200 from /api/v1/health.
// Usage: npx tsx bench/startup.ts [trials]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { median, ROOT, writeResult } from './lib.ts';

const trials = Number(process.argv[2] ?? 3);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function startOnce(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true, // its own process group, so npm and the server stop together
  });
  let ms = -1;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (res.ok) {
        ms = performance.now() - t0;
        break;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() - t0 > 120_000) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  process.kill(-(child.pid as number), 'SIGTERM');
  // Wait for the whole group (npm and the server closing its database) before the next start.
  for (;;) {
    try {
      process.kill(-(child.pid as number), 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return Math.round(ms);
}

if (!existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
spawnSync(process.execPath, ['scripts/build-server.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });

const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < trials; i++) {
  const dir = mkdtempSync(path.join(tmpdir(), 'zy-bench-start-'));
  cold.push(await startOnce(dir));
  warm.push(await startOnce(dir));
  rmSync(dir, { recursive: true, force: true });
  console.log(`trial ${i + 1}: first start ${cold[i]} ms, restart ${warm[i]} ms`);
}
writeResult('startup', {
  what: 'spawn of `npm start` (built) to first 200 from /api/v1/health; embedded PGlite; demo district seeded on first start',
  firstStartMs: cold,
  restartMs: warm,
  medianFirstStartMs: median(cold),
  medianRestartMs: median(warm),
  targets: { firstStartMs: 10_000, restartMs: 3_000 },
});
