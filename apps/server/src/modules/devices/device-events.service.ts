import type { Db, DbOrTx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { isKnownEventType } from './device-types.ts';
import { applyHealth, type HealthRow, insertEvents, linkEventToAlarm } from './devices.repo.ts';

/** A parsed event body with its device and receive time: what the intake hands to storage. */
export interface IncomingEvent {
  deviceId: string;
  msgId: string;
  type: string;
  data: Record<string, unknown>;
  deviceTs: Date | null;
  receivedAt: Date;
  transport: 'mqtt' | 'http' | 'internal';
}

/** The registry facts the intake needs about a device (cached briefly by the gateway). */
export interface IntakeDevice {
  id: string;
  type: string;
  elderId: string | null;
  regionCode: string;
  status: 'active' | 'disabled' | 'retired';
  isDemo: boolean;
}

export type StoreResult = 'stored' | 'duplicate';

/**
 * What happens to each newly stored event inside its transaction: the alarm rules of the alarms
 * module, passed in by the gateway (so devices does not depend on alarms). Returns the id of the
 * alarm the event raised or joined, if any.
 */
export type EventRules = (
  ctx: AppContext,
  tx: DbOrTx,
  dev: IntakeDevice,
  ev: { id: number; type: string; data: Record<string, unknown>; receivedAt: Date },
) => Promise<string | null>;

const CLOCK_SKEW_MS = 300_000;

function flagsOf(ev: IncomingEvent, dev: IntakeDevice): string[] {
  const flags: string[] = [];
  if (!dev.elderId) flags.push('unbound');
  if (dev.status !== 'active') flags.push('disabled');
  if (!isKnownEventType(ev.type)) flags.push('unknown_type');
  // No device time from a device transport means its clock gave an impossible time (see event-body.ts).
  if (ev.deviceTs ? Math.abs(ev.deviceTs.getTime() - ev.receivedAt.getTime()) > CLOCK_SKEW_MS : ev.transport !== 'internal')
    flags.push('clock_skew');
  return flags;
}

/**
 * Store a batch of events in one transaction, deduplicated by (device_id, msg_id), update the
 * devices' health columns and apply the alarm rules to every newly stored event — all or
 * nothing. Callers acknowledge to devices only after this resolves (stored before acknowledged).
 * `db` is the connection pool to write on (the gateway's alarm lane has its own); the database
 * of `ctx` by default.
 */
export async function storeEvents(
  ctx: AppContext,
  batch: Array<{ ev: IncomingEvent; dev: IntakeDevice }>,
  applyRules: EventRules,
  db: Db = ctx.db,
): Promise<StoreResult[]> {
  const results: StoreResult[] = new Array(batch.length).fill('duplicate');
  // Dedup inside the batch first: the first of identical (device, msgId) pairs is the one stored.
  const firstIndex = new Map<string, number>();
  batch.forEach((b, i) => {
    const k = `${b.ev.deviceId}\u0000${b.ev.msgId}`;
    if (!firstIndex.has(k)) firstIndex.set(k, i);
  });
  const unique = [...firstIndex.values()].map((i) => ({ i, ...batch[i] }));
  const values = unique.map(({ ev, dev }) => ({
    device_id: ev.deviceId,
    msg_id: ev.msgId,
    type: ev.type,
    data: ev.data,
    device_ts: ev.deviceTs?.toISOString() ?? null,
    received_at: ev.receivedAt.toISOString(),
    elder_id: dev.elderId,
    region_code: dev.regionCode,
    flags: `{${flagsOf(ev, dev).join(',')}}`,
    transport: ev.transport,
  }));

  await db.transaction(async (tx) => {
    const inserted = await insertEvents(tx, values);
    const ids = new Map(inserted.map((r) => [`${r.device_id}\u0000${r.msg_id}`, Number(r.id)]));
    const fresh = unique.filter((u) => ids.has(`${u.ev.deviceId}\u0000${u.ev.msgId}`));
    for (const u of fresh) results[u.i] = 'stored';
    if (!fresh.length) return;

    await updateHealth(tx, fresh);
    for (const u of fresh) {
      if (u.dev.status !== 'active') continue; // kept and flagged, but a disabled device raises nothing
      const id = ids.get(`${u.ev.deviceId}\u0000${u.ev.msgId}`) as number;
      const alarmId = await applyRules(ctx, tx, u.dev, {
        id,
        type: u.ev.type,
        data: u.ev.data,
        receivedAt: u.ev.receivedAt,
      });
      if (alarmId) await linkEventToAlarm(tx, id, alarmId);
    }
  });
  return results;
}

/** One UPDATE for the batch: last seen, online, battery, signal, worn state, last test, last activity. */
async function updateHealth(
  tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0],
  fresh: Array<{ ev: IncomingEvent }>,
) {
  const per = new Map<string, HealthRow>();
  for (const { ev } of fresh) {
    const at = ev.receivedAt.toISOString();
    const p = per.get(ev.deviceId) ?? {
      id: ev.deviceId,
      at,
      type: ev.type,
      battery: null,
      rssi: null,
      worn: null,
      test: false,
      activity: null,
    };
    if (at >= p.at) {
      p.at = at;
      p.type = ev.type;
    }
    const battery = ev.type === 'battery' ? ev.data.level : ev.type === 'heartbeat' ? ev.data.battery : undefined;
    if (typeof battery === 'number') p.battery = Math.round(battery);
    if (typeof ev.data.rssi === 'number') p.rssi = Math.round(ev.data.rssi);
    if (ev.type === 'worn' && typeof ev.data.worn === 'boolean') p.worn = ev.data.worn;
    if (ev.type === 'test') p.test = true;
    if (ev.type === 'door' || ev.type === 'presence' || (ev.type === 'bed' && ev.data.inBed === false)) p.activity = at;
    per.set(ev.deviceId, p);
  }
  const healthRows = [...per.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  await applyHealth(tx, healthRows);
}
