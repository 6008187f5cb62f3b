import type { EventName, Role } from '@zhiyang/shared';
import { type EventBus, isPartialEvent } from '../../lib/events.ts';

/** The event that drops a user's cached sessions (published by access-events.ts). */
const ACCESS_CHANGED = 'user.access-changed' satisfies EventName;

/** How long a session check is answered from memory before the database is asked again (SESSION_CACHE_SECONDS). */
export const SESSION_CACHE_TTL_MS = 5_000;
/** At most this many sessions are held; the oldest loaded are dropped first. */
export const SESSION_CACHE_MAX = 50_000;
/** A session's `last_seen_at` is written at most this often (idle bookkeeping, not per request). */
export const TOUCH_EVERY_MS = 60_000;
/** Sessions due a `last_seen_at` update are written together, this often, in one statement. */
export const TOUCH_FLUSH_MS = 5_000;

/** What a live session says about its user: the actor (without the request's address) and its limits. */
export interface CachedSession {
  sessionId: string;
  user: {
    id: string;
    username: string;
    displayName: string;
    role: Role;
    regionCode: string | null;
    orgId: string | null;
    mustChangePassword: boolean;
  };
  /** Login time (absolute lifetime), epoch ms. */
  createdAt: number;
  /** The last activity the database knows of, or that this process has seen since, epoch ms. */
  lastSeenAt: number;
  /** When `last_seen_at` was last written (or read) as fresh, epoch ms. */
  lastWrittenAt: number;
  /** When this entry was read from the database, epoch ms. */
  loadedAt: number;
}

/**
 * The per-process session cache behind `resolveActor` (lib/auth.ts). A hit answers from memory
 * for at most `SESSION_CACHE_TTL_MS`; whatever ends a session or changes what its user may do
 * (logout, password change or reset, role / region / organisation change, disable) publishes
 * `user.access-changed`, which reaches every process (PostgreSQL NOTIFY; on PGlite the one
 * process) and drops that user's entries here, so the change applies within the NOTIFY's delay.
 * A load that raced with such a change is not stored (an invalidation counter). Idle and absolute
 * limits are checked on every hit against the entry's times; when the entry says "expired" the
 * database decides (another process may have seen activity). Activity is written back in
 * batches: a session is marked due at most once per `TOUCH_EVERY_MS` and the marked sessions are
 * written every `TOUCH_FLUSH_MS` in one UPDATE.
 */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Invalidations counted: `seq` now, at each user's last drop, at the last full clear. */
  private seq = 0;
  private readonly droppedAt = new Map<string, number>();
  private clearedAt = 0;
  private readonly dueTouches = new Set<string>();
  private readonly loading = new Map<string, Promise<CachedSession | null>>();
  private off: (() => void) | null = null;
  /** Counters for the tests and the benchmark. */
  readonly stats = { hits: 0, misses: 0, invalidations: 0 };

  constructor(
    private readonly ttlMs = SESSION_CACHE_TTL_MS,
    private readonly max = SESSION_CACHE_MAX,
  ) {}

  /** Start dropping entries on `user.access-changed` from any process. */
  listen(events: EventBus): void {
    this.off?.();
    const offEvents = events.onEvent(ACCESS_CHANGED, (data) => {
      if (isPartialEvent(data)) this.clear();
      else this.dropUser(data.userId);
    });
    // Invalidations missed while the listening connection was down: forget everything.
    const offGap = events.onGap(() => this.clear());
    this.off = () => {
      offEvents();
      offGap();
    };
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  /** A fresh entry, or undefined (unknown, older than the TTL). */
  get(sessionId: string, now = Date.now()): CachedSession | undefined {
    const e = this.entries.get(sessionId);
    if (!e) {
      this.stats.misses++;
      return undefined;
    }
    if (now - e.loadedAt >= this.ttlMs) {
      this.delete(sessionId);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return e;
  }

  /**
   * Load a session from the database once for all the requests that miss at the same moment,
   * and keep it unless an invalidation came meanwhile.
   */
  load(sessionId: string, loader: () => Promise<CachedSession | null>): Promise<CachedSession | null> {
    const running = this.loading.get(sessionId);
    if (running) return running;
    const ticket = this.seq;
    const p = loader()
      .then((e) => {
        if (e) this.set(e, ticket);
        return e;
      })
      .finally(() => {
        if (this.loading.get(sessionId) === p) this.loading.delete(sessionId);
      });
    this.loading.set(sessionId, p);
    return p;
  }

  /** The ticket to pass to `set` for a load that starts now. */
  ticket(): number {
    return this.seq;
  }

  /** Store a loaded entry unless its user's access changed since the load began (`ticket`). */
  set(entry: CachedSession, ticket: number): void {
    if (this.clearedAt > ticket || (this.droppedAt.get(entry.user.id) ?? 0) > ticket) return;
    this.delete(entry.sessionId);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    this.entries.set(entry.sessionId, entry);
    let set = this.byUser.get(entry.user.id);
    if (!set) {
      set = new Set();
      this.byUser.set(entry.user.id, set);
    }
    set.add(entry.sessionId);
  }

  delete(sessionId: string): void {
    const e = this.entries.get(sessionId);
    if (!e) return;
    this.entries.delete(sessionId);
    const set = this.byUser.get(e.user.id);
    set?.delete(sessionId);
    if (set?.size === 0) this.byUser.delete(e.user.id);
  }

  /** Forget every session of a user; a load of theirs already running will not be stored. */
  dropUser(userId: string): void {
    this.stats.invalidations++;
    this.droppedAt.set(userId, ++this.seq);
    // Requests arriving from now on must not join a load that began before the change.
    this.loading.clear();
    for (const id of this.byUser.get(userId) ?? []) this.entries.delete(id);
    this.byUser.delete(userId);
    // The marks only matter while a load may be running; past a size, one full mark replaces them.
    if (this.droppedAt.size > 10_000) {
      this.droppedAt.clear();
      this.clearedAt = this.seq;
    }
  }

  clear(): void {
    this.stats.invalidations++;
    this.clearedAt = ++this.seq;
    this.droppedAt.clear();
    this.loading.clear();
    this.entries.clear();
    this.byUser.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Note activity on a live entry; marks the session due a write when its last write is old. */
  noteActivity(e: CachedSession, now = Date.now()): void {
    e.lastSeenAt = now;
    if (now - e.lastWrittenAt >= TOUCH_EVERY_MS) {
      e.lastWrittenAt = now;
      this.dueTouches.add(e.sessionId);
    }
  }

  /** Mark a session due a `last_seen_at` write (without an entry: a miss that found it stale). */
  markDue(sessionId: string): void {
    this.dueTouches.add(sessionId);
  }

  /** The sessions due a write, emptied. */
  takeDue(): string[] {
    const ids = [...this.dueTouches];
    this.dueTouches.clear();
    return ids;
  }
}

/** One cache per process's event bus (the bus is what invalidates it); app.ts builds one bus per app. */
const caches = new WeakMap<EventBus, SessionCache>();

/** The session cache listening on this bus, created on first use (`ttlMs` applies then). */
export function sessionCacheFor(events: EventBus, ttlMs = SESSION_CACHE_TTL_MS): SessionCache {
  let cache = caches.get(events);
  if (!cache) {
    cache = new SessionCache(ttlMs);
    cache.listen(events);
    caches.set(events, cache);
  }
  return cache;
}

/** The cache on this bus if there is one (a seeding context's stand-in bus has none). */
export function existingSessionCache(events: EventBus | undefined): SessionCache | undefined {
  return events ? caches.get(events) : undefined;
}
