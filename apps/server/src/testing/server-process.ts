import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { FieldCipher } from '../lib/crypto.ts';
import { createLogger } from '../lib/logger.ts';

/** The repository root (the server is started from there, as `npm start` does). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

/** Open the database a server process uses: a fresh PostgreSQL database, or a PGlite directory. */
export function openProcessDb(opts: { pgUrl?: string; dataDir: string }): Promise<Database> {
  if (opts.pgUrl) return openDatabase({ databaseUrl: opts.pgUrl, poolSize: 2 });
  return openDatabase({ pgliteDir: path.join(opts.dataDir, 'pglite') });
}

/** Enough of a context for the services that seed a process's database before it starts. */
export function seedingCtx(database: Database, key: Buffer): AppContext {
  return {
    db: database.db,
    database,
    cipher: new FieldCipher(key),
    config: { secretKey: key } as Config,
    log: createLogger('silent'),
    boss: null,
    events: { publish: async () => {} },
  } as unknown as AppContext;
}

/**
 * The real server as a child process (node --import tsx apps/server/src/main.ts), so a test can
 * kill it with SIGKILL and start it again on the same database.
 */
export class ServerProcess {
  private child: ChildProcess | null = null;
  output = '';

  constructor(private readonly env: () => NodeJS.ProcessEnv) {}

  /** Start and wait for "ready"; resolves with the HTTP base URL. */
  start(): Promise<string> {
    this.output = '';
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...base, ...this.env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => {
      this.output += d;
    });
    child.stderr?.on('data', (d) => {
      this.output += d;
    });
    return new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = this.output.match(/ready in \d+ ms — (http:\/\/\S+)/);
        if (m) {
          clearInterval(t);
          resolve(m[1]);
        }
      }, 50);
      child.on('exit', (code) => {
        clearInterval(t);
        reject(new Error(`server exited ${code}: ${this.output}`));
      });
      setTimeout(() => reject(new Error(`server did not start: ${this.output}`)), 90_000);
    });
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    await exited;
    this.child = null;
  }
}

/**
 * A second `web` server process on the test server's PostgreSQL database, with its secret key
 * (so it reads what the first encrypted): started before the suite, stopped after it. Returns
 * its HTTP base URL once started. `env` adds or overrides settings.
 */
export function secondWebProcess(
  first: () => { database: { url?: string }; ctx: { config: { secretKey: Buffer } } },
  env: NodeJS.ProcessEnv = {},
): () => string {
  const processB = new ServerProcess(() => ({
    DATABASE_URL: first().database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ROLES: 'web',
    SEED_DEMO: 'false',
    MQTT_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'zy-proc-b-')),
    SECRET_KEY: first().ctx.config.secretKey.toString('hex'),
    ZHIYANG_ADMIN_PASSWORD: 'Unused#Pass2026',
    ...env,
  }));
  let url = '';
  beforeAll(async () => {
    url = await processB.start();
  }, 120_000);
  afterAll(() => processB.stop('SIGTERM'));
  return () => url;
}

/** Log in over HTTP and return a GET helper with the bearer token. */
export async function httpAs(url: string, username: string, password: string) {
  const { token } = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  return <T = unknown>(p: string) =>
    fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json() as Promise<T>);
}
