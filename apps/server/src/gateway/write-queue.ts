import type { IncomingEvent, IntakeDevice, StoreResult } from '../modules/devices/device-events.service.ts';

export interface QueuedEvent {
  ev: IncomingEvent;
  dev: IntakeDevice;
}

interface Pending extends QueuedEvent {
  resolve(r: StoreResult): void;
  reject(e: unknown): void;
}

export interface WriteQueueOptions {
  /** Transactions this queue runs at once. */
  writers: number;
  /** Most events in the next transaction (asked before each batch, so it may adapt). */
  maxBatch(): number;
  /** Store a batch in one transaction; resolves once it committed. */
  write(items: QueuedEvent[]): Promise<StoreResult[]>;
  /** Awaited before each batch starts (the routine queue gives the alarm lane its turn here). */
  beforeBatch?(): Promise<void>;
  /** Told after each batch that committed: its size and how long it took. */
  afterBatch?(events: number, ms: number): void;
}

/** Acknowledgements released in one turn of the event loop (see flushLoop). */
export const ACK_SLICE = 32;

/**
 * One queue of device events and the writers that group-commit it: when no write is running an
 * event is written at once; while one runs, arriving events queue and go together in the next
 * transaction (≤ maxBatch). Each promise resolves only after its event's transaction committed,
 * so the caller acknowledges what is stored (stored before acknowledged).
 */
export class WriteQueue {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private inFlight = 0;

  constructor(private readonly opts: WriteQueueOptions) {}

  /** Events waiting or being written. */
  get pending() {
    return this.queue.length + this.inFlight;
  }

  push(ev: IncomingEvent, dev: IntakeDevice): Promise<StoreResult> {
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
      .then(() => Promise.all(Array.from({ length: this.opts.writers }, () => this.flushLoop())))
      .then(() => {})
      .finally(() => {
        this.flushing = null;
        if (this.queue.length) this.kick();
      });
  }

  private async flushLoop() {
    let first = true;
    while (this.queue.length) {
      // Between two batches let the event loop read sockets: on PGlite a transaction runs in this
      // thread, and back-to-back batches chained in microtasks would leave an SOS unread meanwhile.
      if (!first) await new Promise((r) => setImmediate(r));
      first = false;
      await this.opts.beforeBatch?.();
      if (!this.queue.length) break;
      const size = Math.max(1, Math.min(this.opts.maxBatch(), Math.ceil(this.queue.length / this.opts.writers)));
      const batch = this.queue.splice(0, size);
      this.inFlight += batch.length;
      const t0 = performance.now();
      try {
        const results = await this.opts.write(batch);
        this.opts.afterBatch?.(batch.length, performance.now() - t0);
        // Acknowledge in slices with a turn of the event loop between them: each acknowledgement
        // is a socket write, and a whole batch's (hundreds) at once would hold the loop for tens
        // of milliseconds while an SOS waits to be read.
        for (let i = 0; i < batch.length; i += ACK_SLICE) {
          if (i) await new Promise((r) => setImmediate(r));
          for (let k = i; k < Math.min(i + ACK_SLICE, batch.length); k++) batch[k].resolve(results[k]);
        }
      } catch (err) {
        if (batch.length === 1) batch[0].reject(err);
        // One bad event must not take its whole batch down with it, again at every resend:
        // write them one by one, so only the event that fails is refused (and not acknowledged).
        else for (const p of batch) await this.opts.write([p]).then((r) => p.resolve(r[0]), p.reject);
      } finally {
        this.inFlight -= batch.length;
      }
    }
  }

  /** Write what is queued (shutdown). */
  async drain() {
    this.kick();
    while (this.flushing) await this.flushing;
  }
}
