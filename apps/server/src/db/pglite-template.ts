import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { startBoss } from '../jobs/boss.ts';
import { openDatabase } from './client.ts';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';

/**
 * A PGlite template is a dump of a freshly created and migrated embedded database. Restoring
 * one takes a fraction of the time of initdb plus every migration, so `npm run build` makes one
 * for the first `npm start` (docs/performance.md, "Start-up") and the tests keep one per
 * migration set. A template is named after the migrations it holds: a new migration makes it
 * unusable, and the database is then created the slow way.
 */

/** Short hash of the migration files (names and contents). */
export function migrationsKey(dir = MIGRATIONS_DIR): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 16);
}

export const templateName = (key = migrationsKey()) => `pglite-template-${key}.tar`;

/** Create a migrated cluster in memory and write its dump to `file` (atomically). */
export async function writeTemplate(file: string, opts: { withJobs: boolean }): Promise<Blob> {
  const database = await openDatabase({ pgliteDir: 'memory://' });
  await migrate(database);
  if (opts.withJobs) {
    // pg-boss creates its schema on its first start; do it here rather than at the user's.
    const boss = await startBoss(database, { supervise: false, schedule: false });
    await boss.stop({ graceful: true, timeout: 1000 });
  }
  const dump = await (database.pglite as PGlite).dumpDataDir('none');
  await database.close();
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file);
  return dump;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm run build` puts the template: apps/server/dist, seen from the bundle or from the sources. */
const BUILD_DIRS = [here, path.resolve(here, '../../dist')];

/** The built template for the current migrations, if `npm run build` made one. */
export function builtTemplate(): string | null {
  const name = templateName();
  for (const dir of BUILD_DIRS) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}
