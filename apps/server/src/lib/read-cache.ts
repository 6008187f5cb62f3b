import type { EventName } from '@zhiyang/shared';
import type { TableWrites } from '../db/table-writes.ts';
import type { AppContext } from './context.ts';
import type { EventBus } from './events.ts';

/** What a cache depends on: the tables it reads and the events their triggers send. */
export interface CacheDeps {
  /** Sent by the tables' statement triggers on every change, from any process. */
  events: readonly EventName[];
  /** The same tables by name: a write by this process bypasses the cache until its NOTIFY arrives. */
  tables: readonly string[];
}

/** How long reads bypass the cache after this process wrote a table when no NOTIFY follows (a rollback). */
const LOCAL_WRITE_MAX_MS = 2_000;

/**
 * Answers of a read kept in this process's memory under a key, all dropped when one of the named
 * domain events arrives — sent by a statement trigger on the tables the read depends on, so any
 * writer in any process (the API, an import, a job, SQL typed into psql) drops every process's
 * copy — and when the listening connection was lost (missed notices). A load that raced with a
 * change is answered but not kept (an invalidation counter), so a change is never hidden behind
 * a read that began before it. Requests that miss the same key at the same moment share one load.
 * At most `max` keys: past that the kept answers are dropped and collected again.
 *
 * The NOTIFY comes at commit and, on PostgreSQL, over another connection: a request that follows
 * this process's own write at once could reach the cache first. So when this process is about to
 * write one of the tables (`TableWrites`, which sees every statement drizzle sends), the cache is
 * emptied and reads go to the database, without keeping what they load, until the next NOTIFY
 * (or, after a rollback that sends none, for at most two seconds).
 *
 * Only for reads whose answer depends on nothing but the key and those tables: the caller puts
 * the actor's scope, every filter, the page and the day into the key. What is kept is what the
 * API answers (masked values), never a decrypted field.
 */
export class ReadCache<V> {
  private values = new Map<string, V>();
  private loading = new Map<string, Promise<V>>();
  private seq = 0;
  private off: (() => void) | null = null;
  /** Reads bypass the cache until this time (ms): this process is writing a table it depends on. */
  private localWriteUntil = 0;
  /** Counters for the tests and the benchmark. */
  readonly stats = { hits: 0, loads: 0, invalidations: 0, bypassed: 0 };

  constructor(private readonly max: number) {}

  listen(events: EventBus, deps: CacheDeps, writes: TableWrites): void {
    this.stop();
    const offs = [
      ...deps.events.map((n) => events.onEvent(n, () => this.invalidate())),
      events.onGap(() => this.invalidate()),
      ...deps.tables.map((t) => writes.watch(t, () => this.localWrite())),
    ];
    this.off = () => {
      for (const off of offs) off();
    };
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  /** Whether reads go to the database now: this process wrote a table and its NOTIFY is not back yet. */
  get bypassing(): boolean {
    return this.localWriteUntil !== 0 && Date.now() < this.localWriteUntil;
  }

  /** A change committed (its NOTIFY) or notices were missed: drop everything kept. */
  invalidate(): void {
    this.localWriteUntil = 0;
    this.drop();
  }

  /** This process is about to write a table the cache depends on (not yet committed). */
  localWrite(): void {
    this.localWriteUntil = Date.now() + LOCAL_WRITE_MAX_MS;
    this.drop();
  }

  private drop(): void {
    this.stats.invalidations++;
    this.seq++;
    this.values.clear();
    this.loading.clear();
  }

  /** The answer under `key`: kept, or loaded once for every request that misses it at the same moment. */
  get(key: string, loader: () => Promise<V>): V | Promise<V> {
    if (this.localWriteUntil) {
      if (Date.now() < this.localWriteUntil) {
        this.stats.bypassed++;
        return loader();
      }
      this.localWriteUntil = 0;
    }
    const kept = this.values.get(key);
    if (kept !== undefined) {
      this.stats.hits++;
      return kept;
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    this.stats.loads++;
    const ticket = this.seq;
    const p = loader()
      .then((value) => {
        if (this.seq === ticket) {
          if (this.values.size >= this.max) this.values.clear();
          this.values.set(key, value);
        }
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === p) this.loading.delete(key);
      });
    this.loading.set(key, p);
    return p;
  }
}

const caches = new WeakMap<EventBus, Map<string, ReadCache<unknown>>>();

/** The cache called `name` of this process's database and bus: made, and started listening, on the first read. */
export function readCacheFor<V>(
  ctx: Pick<AppContext, 'events' | 'database'>,
  name: string,
  deps: CacheDeps,
  max = 500,
): ReadCache<V> {
  let byName = caches.get(ctx.events);
  if (!byName) {
    byName = new Map();
    caches.set(ctx.events, byName);
  }
  let cache = byName.get(name);
  if (!cache) {
    cache = new ReadCache<unknown>(max);
    cache.listen(ctx.events, deps, ctx.database.writes);
    byName.set(name, cache);
  }
  return cache as ReadCache<V>;
}
