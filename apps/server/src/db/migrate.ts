import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Beside this file in the sources; from the server bundle (apps/server/dist/main.mjs), in the sources it was built from. */
export const MIGRATIONS_DIR = existsSync(path.join(here, 'migrations'))
  ? path.join(here, 'migrations')
  : path.resolve(here, '../src/db/migrations');

/** Arbitrary constant for the advisory lock that keeps two starting processes from migrating at once. */
const MIGRATION_LOCK = 72_001;

/**
 * Apply every `migrations/*.sql` file not yet applied, in file-name order, each in its own
 * transaction. Files are never edited after they land; a new change is a new file.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return database.pinned(async (conn) => {
    const applied: string[] = [];
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await conn.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await conn.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      for (const file of files) {
        if (done.has(file)) continue;
        const sql = readFileSync(path.join(dir, file), 'utf8');
        const escaped = file.replace(/'/g, "''");
        await conn.exec(`BEGIN;\n${sql}\n;INSERT INTO schema_migrations (name) VALUES ('${escaped}');\nCOMMIT;`);
        applied.push(file);
      }
    } catch (err) {
      await conn.exec('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
    return applied;
  });
}
