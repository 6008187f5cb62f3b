import { type Database, type Db, openDatabase } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { applyEventRules } from '../modules/alarms/event-rules.service.ts';
import { ALARM_LANE_EVENT_TYPES } from '../modules/alarms/rules.ts';
import { openServiceCall } from '../modules/calls/cti.service.ts';
import {
  type EventRules,
  type IncomingEvent,
  type IntakeDevice,
  type StoreResult,
  storeEvents,
} from '../modules/devices/device-events.service.ts';
import { intakeDevices } from '../modules/devices/devices.repo.ts';
import { recordDeviceVitals, VITAL_EVENT_TYPES } from '../modules/health-records/observations.service.ts';
import { type QueuedEvent, WriteQueue } from './write-queue.ts';

export interface IntakeOptions {
  /** Most routine events written in one transaction. */
  maxBatch?: number;
  /**
   * PGlite (one connection shared by both lanes): how long one routine batch may hold it, in ms.
   * The routine batch size adapts to it, which bounds how long an alarm event waits for its turn.
   */
  routineBatchMs?: number;
}

const DEVICE_TTL_MS = 10_000;
/** Connections of the alarm lane's own pool on PostgreSQL. */
const LANE_CONNECTIONS = 2;
/** Most alarm events in one lane transaction (an alarm storm is written in several). */
const LANE_MAX_BATCH = 50;

/**
 * What a newly stored event sets off: a terminal's green service key opens the call centre's screen
 * pop; a vital-sign reading goes into the elder's health record; the rest go to the alarm rules.
 */
const deviceEventRules: EventRules = async (ctx, tx, dev, ev) => {
  if (ev.type === 'service_call') return openServiceCall(ctx, tx, dev, ev);
  if (VITAL_EVENT_TYPES.has(ev.type)) await recordDeviceVitals(tx, dev, ev);
  return applyEventRules(ctx, tx, dev, ev);
};

/** Is this event type one the alarm lane carries (it raises or changes an alarm at once)? */
export const takesAlarmLane = (type: string) => ALARM_LANE_EVENT_TYPES.has(type);

/**
 * The device intake shared by MQTT and HTTP: resolves each event to its device and stores it,
 * resolving only after the transaction committed (the caller then acknowledges).
 *
 * Two lanes (docs/decisions/0010-alarm-priority-lane.md):
 * - **routine** events (heartbeats, readings …) are group-committed in batches (WriteQueue);
 * - **alarm** events (ALARM_LANE_EVENT_TYPES: SOS, fall, smoke, gas, water, tamper, SOS cancel)
 *   have their own queue and writer. On PostgreSQL the lane writes on its own small connection
 *   pool, so it never waits for a group commit or a free connection. On PGlite there is one
 *   connection: the routine writer gives the lane the next turn before each batch and keeps its
 *   batches short (routineBatchMs), so an alarm waits at most for the batch already running.
 * Both lanes store through the same storeEvents: dedup by (device, msgId) and stored-before-ack
 * are the same whichever lane an event takes.
 */
export class EventIntake {
  private readonly devices = new Map<string, { dev: IntakeDevice | null; until: number }>();
  private readonly maxBatch: number;
  private readonly routineBatchMs: number;
  private readonly routine: WriteQueue;
  private readonly lane: WriteQueue;
  /** Alarm events from their arrival (device lookup included) until their write is done. */
  private laneBusy = 0;
  /** Routine work waiting for the lane's turn to pass (PGlite). */
  private laneTurn: Array<() => void> = [];
  private laneDatabase: Promise<Database> | null = null;
  /** Routine milliseconds per event, smoothed (PGlite's batch size follows it). */
  private perEventMs = 0;
  stats = { stored: 0, duplicates: 0, batches: 0, failed: 0, laneStored: 0, laneBatches: 0, routineBatchCap: 0 };

  constructor(
    private readonly ctx: AppContext,
    opts: IntakeOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.routineBatchMs = opts.routineBatchMs ?? 50;
    const shared = this.sharedConnection;
    this.routine = new WriteQueue({
      // PGlite has one connection, so one writer; PostgreSQL's pool takes a few batches at once.
      writers: shared ? 1 : 4,
      maxBatch: () => (this.stats.routineBatchCap = this.routineCap()),
      write: (items) => this.store(items, this.ctx.db),
      beforeBatch: shared ? () => this.afterLane() : undefined,
      afterBatch: (n, ms) => {
        const per = ms / n;
        this.perEventMs = this.perEventMs ? 0.7 * this.perEventMs + 0.3 * per : per;
      },
    });
    this.lane = new WriteQueue({
      writers: shared ? 1 : LANE_CONNECTIONS,
      maxBatch: () => LANE_MAX_BATCH,
      write: async (items) => {
        try {
          const r = await this.store(items, await this.laneDb(), true);
          return r;
        } finally {
          this.wakeRoutine();
        }
      },
    });
  }

  /** PGlite: one connection that both lanes share. */
  private get sharedConnection() {
    return this.ctx.database.kind !== 'postgres' || !this.ctx.database.url;
  }

  /** Routine batch size: as configured on PostgreSQL; on PGlite what fits in routineBatchMs. */
  private routineCap() {
    if (!this.sharedConnection) return this.maxBatch;
    if (!this.perEventMs) return Math.min(this.maxBatch, 64);
    return Math.max(8, Math.min(this.maxBatch, Math.floor(this.routineBatchMs / this.perEventMs)));
  }

  /** The alarm lane's own pool on PostgreSQL (opened at first use); the one connection on PGlite. */
  private async laneDb(): Promise<Db> {
    if (this.sharedConnection) return this.ctx.db;
    this.laneDatabase ??= openDatabase({
      databaseUrl: this.ctx.database.url,
      poolSize: LANE_CONNECTIONS,
      preparedStatements: this.ctx.database.preparedStatements,
    }).catch((err) => {
      this.laneDatabase = null;
      throw err;
    });
    return (await this.laneDatabase).db;
  }

  /** Run an alarm event's work with the lane marked busy, so routine work on PGlite lets it go first. */
  private async onLane<T>(fn: () => Promise<T>): Promise<T> {
    this.laneBusy++;
    try {
      return await fn();
    } finally {
      if (--this.laneBusy === 0) this.wakeRoutine();
    }
  }

  /**
   * Routine work waits here on PGlite while alarm events are pending, until the lane has written
   * one batch (or has nothing left): alarms go first, and a flood of them still cannot starve the
   * routine intake (the two alternate at worst).
   */
  private afterLane(): Promise<void> {
    if (!this.laneBusy) return Promise.resolve();
    return new Promise<void>((r) => this.laneTurn.push(r));
  }

  private wakeRoutine() {
    const waiting = this.laneTurn;
    this.laneTurn = [];
    for (const w of waiting) w();
  }

  /**
   * Store an event from a transport; resolves once it is durable ('stored') or known already
   * ('duplicate'), or 'unknown-device'. Alarm types take the alarm lane from the first step on
   * (their device lookup too).
   */
  async accept(ev: IncomingEvent): Promise<StoreResult | 'unknown-device'> {
    if (takesAlarmLane(ev.type)) {
      return this.onLane(async () => {
        const dev = await this.laneDevice(ev.deviceId);
        return dev ? this.lane.push(ev, dev) : 'unknown-device';
      });
    }
    // A gateway that receives events has its lane's connections ready before the first alarm.
    if (!this.laneDatabase && !this.sharedConnection) void this.laneDb().catch(() => {});
    const dev = await this.device(ev.deviceId);
    return dev ? this.routine.push(ev, dev) : 'unknown-device';
  }

  /**
   * Run a query for an event's transport (the HTTP intake's signature check) on the alarm lane's
   * connection when the event is an alarm type, so it does not wait behind routine work either.
   */
  query<T>(alarm: boolean, fn: (db: Db) => Promise<T>): Promise<T> {
    return alarm ? this.onLane(async () => fn(await this.laneDb())) : fn(this.ctx.db);
  }

  /**
   * The device's registry facts, cached for a few seconds (status changes reach the intake within
   * 10 s). Misses are looked up together, one query per round, like the event writes: on PGlite
   * every query waits its turn, so one lookup per event would serialise the whole intake.
   * `urgent` looks the device up at once on the alarm lane's connection.
   */
  async device(id: string, opts: { urgent?: boolean } = {}): Promise<IntakeDevice | null> {
    if (opts.urgent) return this.onLane(() => this.laneDevice(id));
    const hit = this.devices.get(id);
    if (hit && hit.until > Date.now()) return hit.dev;
    return new Promise<IntakeDevice | null>((resolve, reject) => {
      const waiting = this.lookups.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else this.lookups.set(id, [{ resolve, reject }]);
      this.kickLookups();
    });
  }

  /** An alarm event's device: from the cache, else one query on the lane's connection, not a lookup round. */
  private async laneDevice(id: string): Promise<IntakeDevice | null> {
    const hit = this.devices.get(id);
    if (hit && hit.until > Date.now()) return hit.dev;
    return (await this.lookup([id], await this.laneDb())).get(id) ?? null;
  }

  private readonly lookups = new Map<string, Array<{ resolve(d: IntakeDevice | null): void; reject(e: unknown): void }>>();
  private lookingUp = false;

  private kickLookups() {
    if (this.lookingUp || !this.lookups.size) return;
    this.lookingUp = true;
    void (async () => {
      while (this.lookups.size) {
        await new Promise((r) => setImmediate(r));
        if (this.sharedConnection) await this.afterLane();
        const round = new Map([...this.lookups].slice(0, 1000));
        for (const id of round.keys()) this.lookups.delete(id);
        try {
          const found = await this.lookup([...round.keys()], this.ctx.db);
          for (const [id, waiters] of round) for (const w of waiters) w.resolve(found.get(id) ?? null);
        } catch (err) {
          for (const waiters of round.values()) for (const w of waiters) w.reject(err);
        }
      }
      this.lookingUp = false;
    })();
  }

  /** One query for several devices; fills the cache (a miss is remembered briefly too). */
  private async lookup(ids: string[], db: Db): Promise<Map<string, IntakeDevice | null>> {
    const found = await intakeDevices(db, ids);
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

  /** Store one event of a known device (alarm types on the alarm lane); resolves once durable or known. */
  submit(ev: IncomingEvent, dev: IntakeDevice): Promise<StoreResult> {
    if (takesAlarmLane(ev.type)) return this.onLane(() => this.lane.push(ev, dev));
    return this.routine.push(ev, dev);
  }

  private async store(items: QueuedEvent[], db: Db, lane = false): Promise<StoreResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await storeEvents(this.ctx, items, deviceEventRules, db);
        this.stats.batches++;
        if (lane) this.stats.laneBatches++;
        for (const r of results) {
          if (r === 'stored') {
            this.stats.stored++;
            if (lane) this.stats.laneStored++;
          } else this.stats.duplicates++;
        }
        return results;
      } catch (err) {
        // Two processes updating the same devices can deadlock on PostgreSQL: retry, then give up
        // (the device is not acknowledged and resends).
        const code =
          (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
        if (attempt < 3 && (code === '40P01' || code === '40001')) continue;
        this.stats.failed += items.length;
        this.ctx.log.error(
          { err, count: items.length, lane: lane ? 'alarm' : 'routine' },
          'device events not stored; devices will resend',
        );
        throw err;
      }
    }
  }

  /** Write what is queued (shutdown). */
  async drain() {
    await Promise.all([this.lane.drain(), this.routine.drain()]);
  }

  /** Write what is queued and close the alarm lane's own connections (opened again if needed). */
  async close() {
    await this.drain();
    const lane = this.laneDatabase;
    this.laneDatabase = null;
    if (lane) await (await lane.catch(() => null))?.close();
  }
}
