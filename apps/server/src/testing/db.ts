import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openDatabase, wrapPglite } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { migrationsKey, templateName, writeTemplate } from '../db/pglite-template.ts';

/** Which database the current Vitest project runs on: `pglite` always, `postgres` when TEST_DATABASE_URL is set. */
export const testDbKind = (): 'pglite' | 'postgres' => (process.env.ZY_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

export interface TestDatabase extends Database {
  /** Connection string of the fresh PostgreSQL database (postgres kind only). */
  url?: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new PostgreSQL
 * database created from TEST_DATABASE_URL and dropped afterwards. Tests never share state.
 *
 * `pgliteOnDisk`: PGlite in a new temporary data directory, removed by `drop()`, as `npm start`
 * runs it. Benchmarks that write a lot use it: in memory, PGlite's files live in JavaScript
 * arrays that are copied whole each time they outgrow their capacity, a pause a server on a data
 * directory never has.
 */
export async function createTestDatabase(opts: { pgliteOnDisk?: boolean } = {}): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    const dir = opts.pgliteOnDisk ? mkdtempSync(path.join(tmpdir(), 'zhiyang-pglite-')) : null;
    const database = wrapPglite(await PGlite.create(dir ?? 'memory://', { loadDataDir: await migratedTemplate() }));
    await migrate(database);
    return {
      ...database,
      async drop() {
        await database.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('ZY_TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `zy_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const template = await migratedPostgresTemplate(base);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(base, name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
  await migrate(database);
  return {
    ...database,
    url,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A migrated PostgreSQL database to copy for every test file (CREATE DATABASE … TEMPLATE): running
 * every migration took 2–3 s per file, a copy a fraction of that. Named after the run's database
 * and the migration set (`<base>_tpl_<key>`), so .ci/run drops it with its own database and a new
 * migration gets a new one. Built under a temporary name and renamed when complete: two workers
 * that build at once both finish, one rename wins, the other drops its copy.
 */
let pgTemplate: Promise<string> | undefined;
function migratedPostgresTemplate(base: string): Promise<string> {
  pgTemplate ??= buildPostgresTemplate(base).catch((e) => {
    pgTemplate = undefined;
    throw e;
  });
  return pgTemplate;
}

async function buildPostgresTemplate(base: string): Promise<string> {
  const baseName = new URL(base).pathname.slice(1) || 'postgres';
  const template = `${baseName}_tpl_${migrationsKey()}`.toLowerCase();
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(template)) throw new Error(`unusable template name ${template}`);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const exists = async () => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1;
    if (await exists()) return template;
    const building = `${template.slice(0, 50)}_b${randomBytes(3).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${building}`);
    try {
      const database = await openDatabase({ databaseUrl: withDatabase(base, building), poolSize: 2 });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      // The pool's connections end a moment after it closes; a rename needs them gone.
      for (let i = 0; i < 50; i++) {
        const open = await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [building]);
        if (open.rowCount === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!(await exists())) await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    } catch (e) {
      // Another worker's rename won: use its template.
      if (!(await exists())) throw e;
    }
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    return template;
  } finally {
    await admin.end();
  }
}

/**
 * A dump of a freshly migrated PGlite cluster, cached in the temp directory per migration set:
 * restoring it takes a fraction of initdb + migrations, for every test file.
 */
async function migratedTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `zhiyang-${templateName()}`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  return writeTemplate(file, { withJobs: false });
}
