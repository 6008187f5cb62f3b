import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openDatabase, wrapPglite } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { templateName, writeTemplate } from '../db/pglite-template.ts';

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
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
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
 * A dump of a freshly migrated PGlite cluster, cached in the temp directory per migration set:
 * restoring it takes a fraction of initdb + migrations, for every test file.
 */
async function migratedTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `zhiyang-${templateName()}`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  return writeTemplate(file, { withJobs: false });
}
