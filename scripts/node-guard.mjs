// Zhiyang needs Node.js >= 22.12 (Node 24 LTS recommended). Many machines still ship Node 20:
// rather than fail deep inside a dependency, re-run the calling script with Node 24 from
// ~/.local/node24, installing it from the npm registry first when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
const modern = major > 22 || (major === 22 && minor >= 12);

export function ensureModernNode() {
  if (modern) return;
  const prefix = path.join(homedir(), '.local', 'node24');
  const bin = path.join(prefix, 'node_modules', '.bin');
  const node24 = path.join(bin, 'node');
  if (!existsSync(node24)) {
    process.stderr.write(
      `zhiyang: Node.js ${process.versions.node} is too old (need >= 22.12); installing Node 24 into ${prefix} …\n`,
    );
    const r = spawnSync('npm', ['install', '--prefix', prefix, 'node@24'], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(node24)) {
      process.stderr.write('zhiyang: could not install Node 24; install Node.js >= 22.12 and try again.\n');
      process.exit(1);
    }
  }
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  const r = spawnSync(node24, process.argv.slice(1), { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
}
