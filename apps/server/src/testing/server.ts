import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import type { AppContext } from '../lib/context.ts';
import { createLogger } from '../lib/logger.ts';
import { startListeners } from '../modules/index.ts';
import { ensureFirstAdmin } from '../modules/users/bootstrap.ts';
import type { RealtimeOptions } from '../realtime/hub.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestServer {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Base URL when `listen` was asked for (real HTTP on port 0). */
  url: string;
  /** The generated first-admin password (must be changed at first login). */
  adminPassword: string;
  /** Every log line written, for tests that check what is (not) logged. */
  logs: string[];
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zy-test-'));
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dbPreparedStatements: true,
    mqttPort: 0,
    mqttEnabled: false,
    seedDemo: false,
    logLevel: 'info',
    secretKey: randomBytes(32),
    sessionIdleMinutes: 30,
    roles: new Set(['web', 'worker', 'gateway']),
    auditStrict: true,
    ...overrides,
  };
}

/**
 * The real app on a fresh database (PGlite in memory, or a new PostgreSQL database when the
 * test project runs on PostgreSQL), with the first admin created. `listen: true` also opens a
 * real HTTP port (0 = any free port) for browser and WebSocket tests.
 */
export async function startTestServer(
  opts: { listen?: boolean; config?: Partial<Config>; database?: TestDatabase; realtime?: RealtimeOptions } = {},
): Promise<TestServer> {
  const config = testConfig(opts.config);
  const database = opts.database ?? (await createTestDatabase());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const { app, ctx } = await buildApp({
    config,
    database,
    logger: createLogger(config.logLevel, sink),
    realtime: opts.realtime,
  });
  // As main.ts does: the modules' event listeners of the configured roles.
  const stopListeners = startListeners(ctx, config.roles);
  const admin = await ensureFirstAdmin(ctx);
  let url = '';
  if (opts.listen) url = await app.listen({ port: 0, host: '127.0.0.1' });
  else await app.ready();
  return {
    app,
    ctx,
    database,
    url,
    adminPassword: admin.generatedPassword ?? '',
    logs,
    async close() {
      stopListeners();
      await app.close();
      if (!opts.database) await database.drop();
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
