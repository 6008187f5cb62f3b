// `npm start`: build the web console if it is missing or older than its sources, then run the
// server (web + worker + gateway roles) on the embedded database unless DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureModernNode } from './node-guard.mjs';

ensureModernNode();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'apps/web');
const built = path.join(web, 'dist/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const sources = [path.join(web, 'src'), path.join(root, 'packages/shared/src')];
const stale = !existsSync(built) || sources.some((d) => existsSync(d) && newestMtime(d) > statSync(built).mtimeMs);
if (stale && process.env.SKIP_WEB_BUILD !== 'true') {
  process.stdout.write('zhiyang: building the web console (once) …\n');
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('zhiyang: the web console did not build; the API will still start.\n');
  }
}

const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'apps/server/src/main.ts'));
