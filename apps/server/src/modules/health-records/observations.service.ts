import type { DbOrTx } from '../../db/client.ts';
import { insertObservations, type ObservationInsert } from './health-records.repo.ts';
import type { VitalCode } from './health-records.schema.ts';

/** Device event types whose data are vital-sign readings (device protocol v1). */
export const VITAL_EVENT_TYPES: ReadonlySet<string> = new Set(['vitals', 'blood_pressure', 'blood_glucose']);

/** The protocol's data field of each sign → the record's code. */
const FIELD_CODES: Array<[string, VitalCode]> = [
  ['heartRate', 'heart_rate'],
  ['respRate', 'resp_rate'],
  ['spo2', 'spo2'],
  ['temperature', 'temperature'],
  ['systolic', 'systolic'],
  ['diastolic', 'diastolic'],
  ['glucose', 'glucose'],
];

/** The readings one event's data carries (the gateway has already checked their ranges). */
export function readingsOf(data: Record<string, unknown>): Array<{ code: VitalCode; value: number }> {
  const out: Array<{ code: VitalCode; value: number }> = [];
  for (const [field, code] of FIELD_CODES) {
    const v = data[field];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ code, value: v });
  }
  return out;
}

/**
 * Record a device's vital-sign event in its elder's health record, inside the transaction that
 * stores the event (the gateway's intake): the reading exists iff the event does. Events of a
 * device bound to no elder stay device events only.
 */
export async function recordDeviceVitals(
  tx: DbOrTx,
  dev: { id: string; elderId: string | null; isDemo: boolean },
  ev: { id: number; type: string; data: Record<string, unknown>; receivedAt: Date },
) {
  if (!dev.elderId || !VITAL_EVENT_TYPES.has(ev.type)) return;
  const rows: ObservationInsert[] = readingsOf(ev.data).map((r) => ({
    elderId: dev.elderId as string,
    code: r.code,
    value: r.value,
    observedAt: ev.receivedAt,
    source: 'device',
    deviceId: dev.id,
    eventId: ev.id,
    isDemo: dev.isDemo,
  }));
  await insertObservations(tx, rows);
}
