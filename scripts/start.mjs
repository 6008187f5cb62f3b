// `npm start`: build the web console and the server bundle if they are missing or older than
// their sources, then run the server (web + worker + gateway roles) on the embedded database
// unless DATABASE_URL is set. ZHIYANG_FROM_SOURCE=true runs the TypeScript sources through tsx
// instead of the bundle (slower to start; handy when debugging).
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServer, outdated, SERVER_BUNDLE, serverBundleStale } from './build-server.mjs';
import { ensureModernNode } from './node-guard.mjs';

ensureModernNode();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const built = path.join(web, 'dist/index.html');

const stale = outdated(built, [path.join(web, 'src'), path.join(root, 'packages/shared/src')]);
const buildStarted = performance.now();
if (stale && process.env.SKIP_WEB_BUILD !== 'true') {
  process.stdout.write('zhiyang: building the web console (once) …\n');
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('zhiyang: the web console did not build; the API will still start.\n');
  }
}

// PGlite's WebAssembly (9 MB) compiles on V8's background threads while the main thread loads
// the server; db/client.ts picks the compiled module up (docs/performance.md, "Start-up").
if (!process.env.DATABASE_URL) {
  try {
    const pglite = createRequire(path.join(root, 'apps/server/package.json')).resolve('@electric-sql/pglite');
    const compiled = readFile(path.join(path.dirname(pglite), 'pglite.wasm')).then((b) => WebAssembly.compile(b));
    compiled.catch(() => {}); // PGlite then compiles it itself.
    globalThis[Symbol.for('zhiyang.pgliteWasm')] = compiled;
  } catch {
    // Not fatal: PGlite compiles its module itself.
  }
}

let bundled = false;
if (process.env.ZHIYANG_FROM_SOURCE !== 'true') {
  bundled = !serverBundleStale();
  if (!bundled) {
    try {
      const t0 = Date.now();
      process.stdout.write('zhiyang: bundling the server (after every change to its sources) …\n');
      await buildServer();
      process.stdout.write(`zhiyang: server bundled in ${Date.now() - t0} ms\n`);
      bundled = true;
    } catch (err) {
      process.stderr.write(`zhiyang: the server could not be bundled (${err.message}); running from source.\n`);
    }
  }
  // The server reports its start-up time without the building done here.
  globalThis[Symbol.for('zhiyang.buildMs')] = Math.round(performance.now() - buildStarted);
  if (bundled) await import(pathToFileURL(SERVER_BUNDLE).href);
}
if (!bundled) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(root, 'apps/server/src/main.ts')).href);
}
