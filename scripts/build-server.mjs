// Bundle the server into one ES module, apps/server/dist/main.mjs (and the elder import's worker
// thread, elders-import-worker.mjs, beside it), so that `npm start` loads one
// file instead of compiling ~1,000 TypeScript and package modules on every start (docs/performance.md,
// "Start-up"). Packages that read files beside themselves at run time (PGlite's WebAssembly, the
// argon2 native binding, Swagger UI's assets, pino's worker transports) and the lazily loaded
// ExcelJS stay external and are imported from node_modules as usual.
//
// It also writes the embedded-database template (apps/server/src/db/pglite-template.ts), so a
// first start restores a migrated database instead of running initdb and every migration.
//
//   node scripts/build-server.mjs [--if-stale] [--outdir path]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_DIST = path.join(root, 'apps/server/dist');
export const SERVER_BUNDLE = path.join(SERVER_DIST, 'main.mjs');

const EXTERNAL = [
  '@electric-sql/pglite',
  '@node-rs/argon2',
  '@fastify/swagger-ui',
  'exceljs',
  'pino',
  'thread-stream',
  'pg-native',
  // The face pipeline loads Human's node-wasm build by path and tfjs reads its .wasm beside itself.
  '@vladmandic/human',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-backend-wasm',
];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** True when `output` is missing or older than any file under `inputs`. */
export function outdated(output, inputs) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((p) => newestMtime(p) > built);
}

/** True when the bundle is missing or older than the server's sources or the installed packages. */
export function serverBundleStale(outdir = SERVER_DIST) {
  return outdated(path.join(outdir, 'main.mjs'), [
    path.join(root, 'apps/server/src'),
    path.join(root, 'packages/shared/src'),
    path.join(root, 'package-lock.json'),
    path.join(root, 'scripts/build-server.mjs'),
  ]);
}

export async function buildServer(outdir = SERVER_DIST) {
  const esbuild = await import('esbuild');
  try {
    // The template is written first: main.mjs is the staleness marker, so it must come last.
    await esbuild.build({
      ...options(outdir),
      entryPoints: { 'make-template': path.join(root, 'apps/server/src/db/template-cli.ts') },
    });
    const made = spawnSync(process.execPath, [path.join(outdir, 'make-template.mjs'), outdir], { stdio: 'inherit' });
    if (made.status !== 0)
      process.stderr.write('zhiyang: no database template; the first start will create the database itself.\n');
    await esbuild.build({
      ...options(outdir),
      entryPoints: {
        main: path.join(root, 'apps/server/src/main.ts'),
        // Worker threads load their own module: the import pool finds it beside main.mjs
        // (modules/elders/elders.import-tasks.ts).
        'elders-import-worker': path.join(root, 'apps/server/src/modules/elders/elders.import-worker.ts'),
        'faces-worker': path.join(root, 'apps/server/src/modules/faces/faces.worker.ts'),
      },
    });
  } finally {
    // npm start builds in the server's own process: end esbuild's helper process, or it outlives the server.
    await esbuild.stop();
  }
}

function options(outdir) {
  return {
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: EXTERNAL,
    // Bundled CommonJS packages call require(); give the ES module one.
    banner: {
      js: "import { createRequire as __zyCreateRequire } from 'node:module'; const require = __zyCreateRequire(import.meta.url);",
    },
    // Keep function and class names: stack traces and Fastify plugin names stay readable.
    keepNames: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? path.resolve(args[at + 1]) : SERVER_DIST;
  if (args.includes('--if-stale') && !serverBundleStale(outdir)) process.exit(0);
  const t0 = Date.now();
  await buildServer(outdir);
  process.stdout.write(`zhiyang: server bundled into ${path.relative(root, outdir)} in ${Date.now() - t0} ms\n`);
}
