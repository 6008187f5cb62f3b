import type { Logger } from 'pino';
import type { Database } from './client.ts';

/**
 * What PostgreSQL's autovacuum does, for the embedded database (docs/deploy.md, "Embedded database").
 *
 * PGlite runs PostgreSQL in single-user mode: there is no autovacuum. Without it, a table's
 * statistics stay as they were when it was last analysed, often empty at installation, and the
 * planner keeps choosing plans for an empty table: a statement prepared while the orders table
 * was empty kept a sequential scan of it (10 ms a dispatch at 1,500 orders, against 1 ms with an
 * index). Rows that were updated or deleted are never vacuumed either, so busy tables (job
 * queues, device presence) only grow.
 *
 * Every `intervalMs` this asks PostgreSQL's own counters which tables changed enough, with
 * autovacuum's default thresholds — analyse after 50 + 10 % of the table's rows changed, vacuum
 * after 50 + 20 % of them are dead — and maintains them one at a time, letting other work run
 * between tables. Analysing a table also makes every prepared statement that uses it plan again.
 *
 * PGlite runs on the server's own thread, so each step holds every request, device event and
 * alarm for as long as it takes. Two bounds keep that short (measured on 100,000 elders: a
 * default analysis 1.2 s, with the smaller sample 85 ms; a vacuum 0.2–0.7 s):
 * - a table of more than `largeRows` rows is analysed with a statistics target of 10 (a sample
 *   of 3,000 rows instead of 30,000; ten most common values and histogram buckets per column);
 * - a table of more than `maxVacuumPages` pages is not vacuumed while the server runs, only
 *   analysed; `maintainPglite(db, { startup: true })` vacuums every such table before the server
 *   listens (the counters that would say which need it do not survive a restart).
 */
export interface MaintainOptions {
  /** Before the server listens: vacuum every table that is due, and every large table. */
  startup?: boolean;
  /** Tables above this many rows are analysed with the small sample. */
  largeRows?: number;
  /** Tables above this many 8 kB pages are vacuumed at start-up only. */
  maxVacuumPages?: number;
}

export interface PgliteMaintenanceOptions extends Omit<MaintainOptions, 'startup'> {
  intervalMs?: number;
  log?: Pick<Logger, 'debug' | 'warn'>;
}

export interface MaintainedTable {
  table: string;
  action: 'analyze' | 'vacuum';
  ms: number;
  /** A vacuum was due but the table is too large to vacuum while the server runs. */
  vacuumDeferred?: boolean;
}

interface Candidate {
  name: string;
  analyze: boolean;
  vacuum: boolean;
  pages: number;
  rows: number;
}

const LARGE_ROWS = 10_000;
/** 16 MB: a vacuum of such a table, indexes included, stays around 0.1 s. */
const MAX_VACUUM_PAGES = 2_000;

/** A maintenance step that took longer than this is logged as a warning (it held the database). */
const SLOW_MS = 1_000;

/** One pass: analyse or vacuum every table that is due. Returns what was done. */
export async function maintainPglite(database: Database, opts: MaintainOptions = {}): Promise<MaintainedTable[]> {
  const largeRows = opts.largeRows ?? LARGE_ROWS;
  const maxVacuumPages = opts.maxVacuumPages ?? MAX_VACUUM_PAGES;
  // Statistics counters reach the shared view when the backend flushes them; single-user mode
  // flushes only now and then, so ask for it and read after the next statement.
  await database.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await database.query<Candidate>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name,
            s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze,
            s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) AS vacuum,
            pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,
            greatest(c.reltuples, s.n_live_tup)::float8 AS rows
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)
         OR s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0)
      ORDER BY s.n_mod_since_analyze + s.n_dead_tup DESC`,
  );
  if (opts.startup) {
    // PGlite's counters do not survive a restart, so the dead rows a large table gathered before
    // it are unknown here: vacuum every large table (one that is clean costs little, its
    // all-visible pages are skipped).
    const large = await database.query<{ name: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
          AND pg_relation_size(c.oid) / current_setting('block_size')::int > $1`,
      [maxVacuumPages],
    );
    for (const { name } of large.rows)
      if (!rows.some((c) => c.name === name)) rows.push({ name, analyze: false, vacuum: true, pages: 0, rows: 0 });
  }
  const done: MaintainedTable[] = [];
  for (const c of rows) {
    // Let requests that arrived meanwhile go first: one table at a time holds the database.
    await new Promise((resolve) => setImmediate(resolve));
    const vacuum = c.vacuum && (opts.startup || Number(c.pages) <= maxVacuumPages);
    const vacuumDeferred = c.vacuum && !vacuum;
    if (!vacuum && !c.analyze) continue;
    const t0 = performance.now();
    const large = Number(c.rows) > largeRows;
    if (large) await database.exec('SET default_statistics_target = 10');
    try {
      await database.exec(vacuum ? (c.analyze ? `VACUUM (ANALYZE) ${c.name}` : `VACUUM ${c.name}`) : `ANALYZE ${c.name}`);
    } finally {
      if (large) await database.exec('RESET default_statistics_target');
    }
    done.push({
      table: c.name,
      action: vacuum ? 'vacuum' : 'analyze',
      ms: Math.round(performance.now() - t0),
      ...(vacuumDeferred && { vacuumDeferred }),
    });
  }
  return done;
}

/** Maintain the embedded database every `intervalMs` until stopped; nothing on PostgreSQL. */
export function startPgliteMaintenance(database: Database, opts: PgliteMaintenanceOptions = {}) {
  if (database.kind !== 'pglite') return { stop: async () => {} };
  const intervalMs = opts.intervalMs ?? 10_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = maintainPglite(database, opts)
      .then((done) => {
        for (const d of done) {
          if (d.ms > SLOW_MS) opts.log?.warn(d, 'embedded database maintenance held the database');
          else opts.log?.debug(d, 'embedded database maintained');
        }
      })
      .catch((err) => {
        if (!stopped) opts.log?.warn({ err }, 'embedded database maintenance failed; it runs again');
      })
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
