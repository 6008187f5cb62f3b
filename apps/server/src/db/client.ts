import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { Config } from '../config.ts';
import { oneQueryAtATime } from './one-at-a-time.ts';
import { preparedPgliteClient } from './pglite-prepared.ts';
import { autoPrepare } from './prepared.ts';
import * as schema from './schema.ts';
import { TableWrites } from './table-writes.ts';

export type Schema = typeof schema;
/** The Drizzle database: the same API on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** The PGlite client in embedded mode (pg-boss's PGlite adapter needs it). */
  pglite?: PGlite;
  /** The connection string in PostgreSQL mode. */
  url?: string;
  /** PostgreSQL: whether often-run statements are prepared (db/prepared.ts); a second pool opens alike. */
  preparedStatements?: boolean;
  /** The tables this process's drizzle statements write (db/table-writes.ts), for in-memory caches. */
  writes: TableWrites;
  /** Parameterised single statement. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Several statements without parameters (migrations, pg-boss schema). */
  exec(sql: string): Promise<void>;
  /** Run `fn` on one pinned connection (session-level locks, multi-step scripts). */
  pinned<T>(fn: (conn: Pick<Database, 'query' | 'exec'>) => Promise<T>): Promise<T>;
  /**
   * Listen on a NOTIFY channel; returns an unlisten function. `onGap` runs when notices may have
   * been missed: the listening connection was lost and is back (PostgreSQL), so what the notices
   * keep current (caches) must be refreshed.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; `memory://` for an in-memory database (tests). */
  pgliteDir?: string;
  poolSize?: number;
  /** A PGlite dump (db/pglite-template.ts) to start from when `pgliteDir` holds no database yet. */
  pgliteTemplate?: string | null;
  /** PostgreSQL: name the statements this process runs often (db/prepared.ts); on unless false. */
  preparedStatements?: boolean;
}

/** Where and how the configured database opens (the server and every command-line tool alike). */
export function databaseOptions(config: Config): OpenOptions {
  return {
    databaseUrl: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    preparedStatements: config.dbPreparedStatements,
  };
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.preparedStatements ?? true);
  return openPglite(opts.pgliteDir ?? 'memory://', opts.pgliteTemplate ?? null);
}

async function openPglite(dir: string, template: string | null): Promise<Database> {
  if (!dir.startsWith('memory://')) mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  // scripts/start.mjs starts compiling PGlite's WebAssembly before the server is even loaded.
  const early = (globalThis as Record<symbol, Promise<PGliteOptions['pgliteWasmModule']> | undefined>)[
    Symbol.for('zhiyang.pgliteWasm')
  ];
  const pgliteWasmModule = early ? await early.catch(() => undefined) : undefined;
  const fresh = !dir.startsWith('memory://') && !existsSync(path.join(dir, 'PG_VERSION'));
  const loadDataDir = fresh && template ? new Blob([readFileSync(template)]) : undefined;
  return wrapPglite(
    await PGlite.create(dir, { ...(pgliteWasmModule && { pgliteWasmModule }), ...(loadDataDir && { loadDataDir }) }),
  );
}

/** The Database interface over an open PGlite client. */
export function wrapPglite(client: PGlite): Database {
  const writes = new TableWrites();
  const fast = preparedPgliteClient(client);
  const db = drizzlePglite(fast as unknown as PGlite, { schema, logger: writes.logger }) as unknown as Db;
  const self: Database = {
    kind: 'pglite',
    db,
    writes,
    pglite: client,
    async query(sql, params) {
      const r = await fast.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as never[] };
    },
    async exec(sql) {
      await client.exec(sql);
    },
    pinned(fn) {
      return fn(self);
    },
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    async close() {
      await client.close();
    },
  };
  return self;
}

/** The pause before opening a lost LISTEN connection again, doubling up to the maximum. */
const LISTEN_RETRY_MIN_MS = 250;
const LISTEN_RETRY_MAX_MS = 5_000;

async function openPostgres(url: string, max: number, prepared: boolean): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  if (prepared) autoPrepare(pool);
  // Statements a transaction sends at once run one after the other (pg@9 refuses them otherwise).
  pool.on('connect', (client) => oneQueryAtATime(client));
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  await pool.query('select 1');
  const writes = new TableWrites();
  const db = drizzlePg(pool, { schema, logger: writes.logger }) as unknown as Db;
  let listener: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closing = false;
  let retryMs = LISTEN_RETRY_MIN_MS;
  const handlers = new Map<string, Set<(p: string) => void>>();
  const gapHandlers = new Set<() => void>();

  // The one connection that LISTENs. When it is lost (the server restarted, a failover, an idle
  // cut) it is opened again with a growing pause and LISTENs on every channel again; notices sent
  // meanwhile are gone, so the gap handlers run once it is back.
  const openListener = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url, application_name: 'zhiyang-listen' });
    const lost = () => {
      if (listener !== c) return;
      listener = null;
      c.end().catch(() => {});
      if (!closing) reconnectLater();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    try {
      await c.connect();
      for (const channel of handlers.keys()) await c.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    // Taken as the listener in the same turn as its last answer: a loss from here on is seen.
    listener = c;
    return c;
  };
  const ensureListener = async (): Promise<pg.Client> => {
    if (listener) return listener;
    connecting ??= openListener().finally(() => {
      connecting = null;
    });
    return connecting;
  };
  const reconnectLater = () => {
    const timer = setTimeout(async () => {
      if (closing || listener) return;
      try {
        await ensureListener();
        retryMs = LISTEN_RETRY_MIN_MS;
        for (const g of gapHandlers) g();
      } catch {
        retryMs = Math.min(retryMs * 2, LISTEN_RETRY_MAX_MS);
        reconnectLater();
      }
    }, retryMs);
    timer.unref();
  };

  return {
    kind: 'postgres',
    db,
    writes,
    url,
    preparedStatements: prepared,
    async query(sql, params) {
      const r = await pool.query(sql, params as unknown[] | undefined);
      return { rows: r.rows };
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async pinned(fn) {
      const conn = await pool.connect();
      try {
        return await fn({
          async query(sql, params) {
            const r = await conn.query(sql, params as unknown[] | undefined);
            return { rows: r.rows };
          },
          async exec(sql) {
            await conn.query(sql);
          },
        });
      } finally {
        conn.release();
      }
    },
    async listen(channel, onPayload, onGap) {
      let set = handlers.get(channel);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onPayload);
      if (onGap) gapHandlers.add(onGap);
      const c = await ensureListener();
      // A listener opened just now LISTENs on every channel already; an older one learns this one.
      if (first) await c.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      return async () => {
        set.delete(onPayload);
        if (onGap) gapHandlers.delete(onGap);
      };
    },
    async close() {
      closing = true;
      const c = listener;
      listener = null;
      if (c) await c.end().catch(() => {});
      await pool.end();
    },
  };
}
