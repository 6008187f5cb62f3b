import type { AppContext } from '../lib/context.ts';
import { applyEventRules } from '../modules/alarms/event-rules.service.ts';
import {
  type IncomingEvent,
  type IntakeDevice,
  type StoreResult,
  storeEvents,
} from '../modules/devices/device-events.service.ts';
import { URGENT_EVENT_TYPES } from '../modules/devices/device-types.ts';
import { intakeDevices } from '../modules/devices/devices.repo.ts';

interface Pending {
  ev: IncomingEvent;
  dev: IntakeDevice;
  resolve(r: StoreResult): void;
  reject(e: unknown): void;
}

export interface IntakeOptions {
  /** Most events written in one transaction. */
  maxBatch?: number;
}

const DEVICE_TTL_MS = 10_000;

/**
 * The device intake shared by MQTT and HTTP: resolves each event to its device and stores it,
 * resolving only after the transaction committed (the caller then acknowledges). Ordinary
 * events are group-committed: when no write is running an event is written at once; while one
 * runs, arriving events queue and go together in the next transaction (≤ maxBatch). So a quiet
 * system adds no delay and a busy one writes large batches. Alarm-raising types never queue
 * behind a batch: they are written at once in their own transaction.
 */
export class EventIntake {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly devices = new Map<string, { dev: IntakeDevice | null; until: number }>();
  private readonly maxBatch: number;
  stats = { stored: 0, duplicates: 0, batches: 0, failed: 0 };

  constructor(
    private readonly ctx: AppContext,
    opts: IntakeOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 500;
  }

  /**
   * The device's registry facts, cached for a few seconds (status changes reach the intake within
   * 10 s). Misses are looked up together, one query per round, like the event writes: on PGlite
   * every query waits its turn, so one lookup per event would serialise the whole intake.
   */
  async device(id: string, opts: { urgent?: boolean } = {}): Promise<IntakeDevice | null> {
    const hit = this.devices.get(id);
    if (hit && hit.until > Date.now()) return hit.dev;
    // An alarm-raising event does not wait for the next lookup round (behind thousands of heartbeats).
    if (opts.urgent) return (await this.lookup([id])).get(id) ?? null;
    return new Promise<IntakeDevice | null>((resolve, reject) => {
      const waiting = this.lookups.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else this.lookups.set(id, [{ resolve, reject }]);
      this.kickLookups();
    });
  }

  private readonly lookups = new Map<string, Array<{ resolve(d: IntakeDevice | null): void; reject(e: unknown): void }>>();
  private lookingUp = false;

  private kickLookups() {
    if (this.lookingUp || !this.lookups.size) return;
    this.lookingUp = true;
    void (async () => {
      await new Promise((r) => setImmediate(r));
      while (this.lookups.size) {
        const round = new Map([...this.lookups].slice(0, 1000));
        for (const id of round.keys()) this.lookups.delete(id);
        try {
          const found = await this.lookup([...round.keys()]);
          for (const [id, waiters] of round) for (const w of waiters) w.resolve(found.get(id) ?? null);
        } catch (err) {
          for (const waiters of round.values()) for (const w of waiters) w.reject(err);
        }
      }
      this.lookingUp = false;
    })();
  }

  /** One query for several devices; fills the cache (a miss is remembered briefly too). */
  private async lookup(ids: string[]): Promise<Map<string, IntakeDevice | null>> {
    const found = await intakeDevices(this.ctx.db, ids);
    const byId = new Map(found.map((r) => [r.id, r]));
    const out = new Map<string, IntakeDevice | null>();
    for (const id of ids) {
      const row = byId.get(id);
      const dev = row
        ? {
            id: row.id,
            type: row.type,
            elderId: row.elder_id,
            regionCode: row.region_code,
            status: row.status,
            isDemo: row.is_demo,
          }
        : null;
      this.devices.set(id, { dev, until: Date.now() + (dev ? DEVICE_TTL_MS : 2_000) });
      out.set(id, dev);
    }
    return out;
  }

  forget(id: string) {
    this.devices.delete(id);
  }

  /** Store one event; resolves once it is durable ('stored') or known already ('duplicate'). */
  submit(ev: IncomingEvent, dev: IntakeDevice): Promise<StoreResult> {
    if (URGENT_EVENT_TYPES.has(ev.type)) return this.write([{ ev, dev }]).then((r) => r[0]);
    return new Promise<StoreResult>((resolve, reject) => {
      this.queue.push({ ev, dev, resolve, reject });
      this.kick();
    });
  }

  private kick() {
    if (this.flushing || !this.queue.length) return;
    // Start on the next turn of the event loop, after every socket read of this one: on PGlite a
    // whole transaction can complete inside microtasks, so starting at once would write batches of one.
    this.flushing = new Promise<void>((r) => setImmediate(r))
      .then(() => Promise.all(Array.from({ length: this.writers }, () => this.flushLoop())))
      .then(() => {})
      .finally(() => {
        this.flushing = null;
        if (this.queue.length) this.kick();
      });
  }

  /** PGlite has one connection, so one writer; PostgreSQL's pool takes a few batches at once. */
  private get writers() {
    return this.ctx.database.kind === 'postgres' ? 4 : 1;
  }

  private async flushLoop() {
    while (this.queue.length) {
      const batch = this.queue.splice(0, Math.max(1, Math.min(this.maxBatch, Math.ceil(this.queue.length / this.writers))));
      try {
        const results = await this.write(batch);
        for (const [i, p] of batch.entries()) p.resolve(results[i]);
      } catch (err) {
        if (batch.length === 1) {
          batch[0].reject(err);
          continue;
        }
        // One bad event must not take its whole batch down with it, again at every resend:
        // write them one by one, so only the event that fails is refused (and not acknowledged).
        for (const p of batch) await this.write([p]).then((r) => p.resolve(r[0]), p.reject);
      }
    }
  }

  private async write(items: Array<{ ev: IncomingEvent; dev: IntakeDevice }>): Promise<StoreResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await storeEvents(this.ctx, items, applyEventRules);
        this.stats.batches++;
        for (const r of results) r === 'stored' ? this.stats.stored++ : this.stats.duplicates++;
        return results;
      } catch (err) {
        // Two processes updating the same devices can deadlock on PostgreSQL: retry, then give up
        // (the device is not acknowledged and resends).
        const code =
          (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
        if (attempt < 3 && (code === '40P01' || code === '40001')) continue;
        this.stats.failed += items.length;
        this.ctx.log.error({ err, count: items.length }, 'device events not stored; devices will resend');
        throw err;
      }
    }
  }

  /** Write what is queued (shutdown). */
  async drain() {
    this.kick();
    while (this.flushing) await this.flushing;
  }
}
