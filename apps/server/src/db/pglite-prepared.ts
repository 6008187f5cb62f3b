import { type PGlite, parse as pgParse, protocol } from '@electric-sql/pglite';
import { type AutoPrepareOptions, statementNamer } from './prepared.ts';

/**
 * Named prepared statements and one round into PGlite per statement
 * (docs/decisions/0017-prepared-statements.md, "PGlite").
 *
 * PGlite's own `query` parses and plans every statement again, crosses into its WebAssembly six
 * times per statement (parse, describe, bind, describe, execute, sync), and copies its table of
 * ~300 type parsers into a new object for every query that brings its own parsers (Drizzle's do,
 * for dates and timestamps), about 0.12 ms a statement on its own. Here a parameterised statement
 * that this database has run `minUses` times is parsed once under a name (PostgreSQL's
 * `plan_cache_mode = auto` may then keep a generic plan), each later run sends bind, describe,
 * execute and sync in one buffer, and the parser table with Drizzle's overrides is built once.
 *
 * It uses PGlite's exported wire-protocol serializer and result parser and three of its internal
 * methods (`_runExclusiveQuery`, `_runExclusiveTransaction`, `_checkReady`): the package version
 * is pinned in the lockfile and `pglite-prepared.test.ts` runs this path on every test database.
 * Queries with options this path does not know (blobs, notices, own serializers or parameter
 * types) go to PGlite's own `query`.
 */

type Parser = (value: string, typeId?: number) => unknown;
type Serializer = (value: unknown) => string;

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, Parser>;
  [other: string]: unknown;
}

interface QueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

/** The parts of PGlite used here that its typings leave out or mark internal. */
interface PgliteInternals {
  parsers: Record<number, Parser>;
  serializers: Record<number, Serializer>;
  execProtocolStream(message: Uint8Array, opts: { syncToFs: boolean }): Promise<{ name: string }[]>;
  syncToFs(): Promise<void>;
  _checkReady(): Promise<void>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
}

/** The client Drizzle's PGlite driver is given: `query` and `transaction` are all it calls. */
export interface PgliteQueryClient {
  query(text: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult>;
  transaction<T>(fn: (tx: PgliteQueryClient & { rollback(): Promise<void>; closed: boolean }) => Promise<T>): Promise<T>;
}

const KNOWN_OPTIONS = new Set(['rowMode', 'parsers']);

interface Registry {
  namer: ReturnType<typeof statementNamer>;
  /** The parameters' type ids of each statement parsed under a name on this database. */
  types: Map<string, number[]>;
}
const registries = new WeakMap<PGlite, Registry>();

export function preparedPgliteClient(client: PGlite, opts: AutoPrepareOptions = {}): PgliteQueryClient {
  const pg = client as unknown as PgliteInternals;
  // Names live in the database, so every client over it shares one registry.
  let registry = registries.get(client);
  if (!registry) {
    registry = { namer: statementNamer(opts), types: new Map() };
    registries.set(client, registry);
  }
  const { namer, types: typesOf } = registry;
  /** PGlite's parser table with a caller's overrides, by the overridden type ids. */
  let parsersFor = new Map<string, Record<number, Parser>>();
  let parsersBase: Record<number, Parser> | null = null;

  const parserTable = (overrides: Record<number, Parser> | undefined) => {
    if (parsersBase !== pg.parsers) {
      parsersBase = pg.parsers;
      parsersFor = new Map();
    }
    if (!overrides) return pg.parsers;
    const key = Object.keys(overrides).join(',');
    let table = parsersFor.get(key);
    if (!table) {
      table = { ...pg.parsers, ...overrides };
      parsersFor.set(key, table);
    }
    return table;
  };

  const send = (parts: Uint8Array[]) => {
    let size = 0;
    for (const p of parts) size += p.length;
    const buf = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      buf.set(p, at);
      at += p.length;
    }
    return pg.execProtocolStream(buf, { syncToFs: false });
  };

  const withQuery = (err: unknown, text: string, params: unknown[], options: QueryOptions | undefined) => {
    if (err && typeof err === 'object' && 'code' in err) Object.assign(err, { query: text, params, queryOptions: options });
    return err;
  };

  /** Parse the statement (under its name, if it has one) and return its parameters' type ids. */
  const describe = async (text: string, statement: string, params: unknown[], options: QueryOptions | undefined) => {
    const parse = protocol.serialize.parse({ name: statement, text });
    const describeIt = protocol.serialize.describe({ type: 'S', name: statement });
    try {
      return pgParse.parseDescribeStatementResults((await send([parse, describeIt])) as never) as number[];
    } catch (err) {
      await send([protocol.serialize.sync()]);
      // Named by another client over the same database before this registry knew it.
      if (statement && (err as { code?: string }).code === '42P05') {
        try {
          return pgParse.parseDescribeStatementResults((await send([describeIt])) as never) as number[];
        } catch (again) {
          await send([protocol.serialize.sync()]);
          throw withQuery(again, text, params, options);
        }
      }
      throw withQuery(err, text, params, options);
    }
  };

  /** One statement; the caller holds PGlite's query lock. */
  const run = async (text: string, params: unknown[], options: QueryOptions | undefined): Promise<QueryResult> => {
    const statement = (params.length && namer.nameFor(text)) || '';
    let types = statement ? typesOf.get(statement) : undefined;
    if (!types) {
      types = await describe(text, statement, params, options);
      if (statement) typesOf.set(statement, types);
    }
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serialize = pg.serializers[types[i] as number];
      return serialize ? serialize(v) : String(v);
    });
    let messages: { name: string }[];
    try {
      messages = await send([
        protocol.serialize.bind({ statement, values: values as string[] }),
        protocol.serialize.describe({ type: 'P' }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]);
    } catch (err) {
      // Dropped behind this registry's back (DEALLOCATE, DISCARD): parse it again next time.
      if (statement && (err as { code?: string }).code === '26000') {
        namer.forget(text);
        typesOf.delete(statement);
      }
      throw withQuery(err, text, params, options);
    }
    const table = parserTable(options?.parsers);
    const rowMode = options?.rowMode ? { rowMode: options.rowMode } : undefined;
    return (pgParse.parseResults(messages as never, table as never, rowMode as never) as QueryResult[])[0] as QueryResult;
  };

  const ownPath = (options: QueryOptions | undefined) => {
    if (!options) return true;
    for (const k in options) if (options[k] !== undefined && !KNOWN_OPTIONS.has(k)) return false;
    return true;
  };

  return {
    async query(text, params = [], options) {
      if (!ownPath(options)) return (await client.query(text, params, options as never)) as QueryResult;
      await pg._checkReady();
      return pg._runExclusiveTransaction(() =>
        pg._runExclusiveQuery(async () => {
          const result = await run(text, params, options);
          await pg.syncToFs();
          return result;
        }),
      );
    },
    transaction(fn) {
      return client.transaction((tx) =>
        fn({
          async query(text, params = [], options) {
            if (tx.closed) throw new Error('Transaction is closed');
            if (!ownPath(options)) return (await tx.query(text, params, options as never)) as QueryResult;
            return pg._runExclusiveQuery(() => run(text, params, options));
          },
          transaction() {
            throw new Error('PGlite has no nested transactions; use a savepoint');
          },
          rollback: () => tx.rollback(),
          get closed() {
            return tx.closed;
          },
        }),
      );
    },
  };
}
