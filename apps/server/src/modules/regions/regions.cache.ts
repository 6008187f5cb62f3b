import type { EventName } from '@zhiyang/shared';
import type { EventBus } from '../../lib/events.ts';

/** Sent by the `regions` table's statement trigger (migration 0007) on every change, by any writer. */
const REGIONS_CHANGED = 'regions.changed' satisfies EventName;

/**
 * The whole `regions` table in memory, in code order, behind the region list and tree: a read
 * asks no database. The list is dropped when the table changes — the statement trigger's NOTIFY
 * reaches every process listening on the database (on PGlite the one process), whoever wrote
 * (the API, an import, a seed, SQL typed into psql) — and when the listening connection was lost
 * (missed notices). A load that raced with a change is not kept (an invalidation counter), so a
 * change is never hidden behind a list read before it. The service's own writes also drop it
 * at once after their commit (`invalidate`), so this process reads its own writes without
 * waiting for the NOTIFY.
 */
export class RegionCache<Row> {
  private rows: readonly Row[] | null = null;
  private loading: Promise<readonly Row[]> | null = null;
  private seq = 0;
  private off: (() => void) | null = null;
  /** Values computed from `rows` (`derive`), dropped with them. */
  private derived = new Map<string, unknown>();
  /** Counters for the tests and the benchmark. */
  readonly stats = { hits: 0, loads: 0, invalidations: 0, derivedHits: 0 };

  listen(events: EventBus): void {
    this.off?.();
    const offEvent = events.onEvent(REGIONS_CHANGED, () => this.invalidate());
    const offGap = events.onGap(() => this.invalidate());
    this.off = () => {
      offEvent();
      offGap();
    };
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  invalidate(): void {
    this.stats.invalidations++;
    this.seq++;
    this.rows = null;
    this.loading = null;
    this.derived.clear();
  }

  /**
   * A value computed from `rows` (a page of the list presented for the API, say), kept under `key`
   * while those rows are the current ones. Rows that are no longer current (a change arrived while
   * the caller held them) still give an answer, but it is not kept. At most `DERIVED_MAX` keys:
   * past that the kept values are dropped and collected again from the reads that follow.
   */
  derive<T>(key: string, rows: readonly Row[], compute: () => T): T {
    if (rows === this.rows && this.derived.has(key)) {
      this.stats.derivedHits++;
      return this.derived.get(key) as T;
    }
    const value = compute();
    if (rows === this.rows) {
      if (this.derived.size >= DERIVED_MAX) this.derived.clear();
      this.derived.set(key, value);
    }
    return value;
  }

  /** Every row: from memory, or loaded once for all the requests that miss at the same moment. */
  all(loader: () => Promise<readonly Row[]>): readonly Row[] | Promise<readonly Row[]> {
    if (this.rows) {
      this.stats.hits++;
      return this.rows;
    }
    if (this.loading) return this.loading;
    this.stats.loads++;
    const ticket = this.seq;
    const p = loader()
      .then((rows) => {
        if (this.seq === ticket) this.rows = rows;
        return rows;
      })
      .finally(() => {
        if (this.loading === p) this.loading = null;
      });
    this.loading = p;
    return p;
  }

  get loaded(): boolean {
    return this.rows !== null;
  }
}

/** Distinct reads kept per process (pages × filters × scopes); each is a few kilobytes. */
const DERIVED_MAX = 500;

const caches = new WeakMap<EventBus, RegionCache<unknown>>();

/** The region cache listening on this bus: made, and started listening, on the first read. */
export function regionCacheFor<Row>(events: EventBus): RegionCache<Row> {
  let cache = caches.get(events);
  if (!cache) {
    cache = new RegionCache<unknown>();
    cache.listen(events);
    caches.set(events, cache);
  }
  return cache as RegionCache<Row>;
}

/** The cache on this bus if one was made (writers drop it after their commit). */
export function existingRegionCache(events: EventBus | undefined): { invalidate(): void } | undefined {
  return events ? caches.get(events) : undefined;
}
