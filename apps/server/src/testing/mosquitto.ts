import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONF = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../deploy/mosquitto/dynsec.conf');

export interface DynsecMosquitto {
  port: number;
  url: string;
  admin: { username: string; password: string };
  pid: number;
  /** What Mosquitto printed (for a failing test's message). */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/**
 * A Mosquitto of its own for a test file: the repository's deploy/mosquitto/dynsec.conf with the
 * listener on a free loopback port and the plugin's file and persistence in a temporary
 * directory; the plugin's admin client created with `mosquitto_ctrl dynsec init`. Stopped by pid.
 */
export async function startDynsecMosquitto(): Promise<DynsecMosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'zy-mosquitto-'));
  const port = await freePort();
  const admin = { username: 'zhiyang-admin', password: randomBytes(12).toString('hex') };
  const file = path.join(dir, 'dynamic-security.json');
  execFileSync('mosquitto_ctrl', ['dynsec', 'init', file, admin.username, admin.password], { stdio: 'ignore' });
  const conf = readFileSync(CONF, 'utf8')
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replace(/^plugin_opt_config_file .*$/m, `plugin_opt_config_file ${file}`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`);
  const confFile = path.join(dir, 'mosquitto.conf');
  writeFileSync(confFile, conf);
  // Started as root, Mosquitto drops to its own user, which must read and write the plugin's file.
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'mosquitto:', dir], { stdio: 'ignore' });
  let out = '';
  const proc: ChildProcess = spawn('mosquitto', ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const until = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (proc.exitCode !== null || Date.now() > until) {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`mosquitto with ${CONF} did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    admin,
    pid: proc.pid as number,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) {
        process.kill(proc.pid as number, 'SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
