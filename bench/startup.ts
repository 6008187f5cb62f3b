// Cold start and restart of `npm start` (after install and the one-time web build):
// time from spawning the process to the first 200 from /api/v1/health.
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
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
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
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return Math.round(ms);
}

if (!existsSync(path.join(ROOT, 'apps/web/dist/index.html'))) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });

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
  what: 'spawn of `node scripts/start.mjs` to first 200 from /api/v1/health; embedded PGlite; demo data seeded on first start',
  firstStartMs: cold,
  restartMs: warm,
  medianFirstStartMs: median(cold),
  medianRestartMs: median(warm),
  targets: { firstStartMs: 10_000, restartMs: 3_000 },
});
