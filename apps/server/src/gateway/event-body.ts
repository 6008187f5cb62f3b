import { isCalendarDate } from '@zhiyang/shared';
import { z } from 'zod';

/** Largest accepted event body, over MQTT and HTTP (device protocol v1). */
export const MAX_EVENT_BYTES = 64 * 1024;

const pct = z.number().min(0).max(100);
/** Data shapes of the protocol's known types. Extra fields are kept (vendors add their own). */
const DATA_SCHEMAS: Record<string, z.ZodType> = {
  sos: z.looseObject({ long: z.boolean().optional() }),
  fall: z.looseObject({ confidence: z.number().min(0).max(1).optional() }),
  smoke: z.looseObject({ level: pct.optional() }),
  gas: z.looseObject({ lel: z.number().min(0).optional() }),
  door: z.looseObject({ open: z.boolean() }),
  presence: z.looseObject({ present: z.boolean() }),
  vitals: z.looseObject({
    heartRate: z.number().min(0).max(400).optional(),
    respRate: z.number().min(0).max(200).optional(),
    spo2: z.number().min(0).max(100).optional(),
    temperature: z.number().min(20).max(50).optional(),
    systolic: z.number().min(0).max(400).optional(),
    diastolic: z.number().min(0).max(300).optional(),
    /** Blood glucose in mmol/L (a watch or patch that measures it). */
    glucose: z.number().min(0.5).max(40).optional(),
  }),
  /** A blood-pressure meter's reading (mmHg; the pulse it measured, if any). */
  blood_pressure: z.looseObject({
    systolic: z.number().min(40).max(300),
    diastolic: z.number().min(20).max(200),
    heartRate: z.number().min(20).max(300).optional(),
  }),
  /** A glucose meter's reading in mmol/L, and when it was taken relative to a meal. */
  blood_glucose: z.looseObject({
    glucose: z.number().min(0.5).max(40),
    context: z.enum(['fasting', 'after_meal', 'random']).optional(),
  }),
  bed: z.looseObject({ inBed: z.boolean() }),
  location: z.looseObject({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    accuracy: z.number().min(0).optional(),
  }),
  battery: z.looseObject({ level: pct }),
  heartbeat: z.looseObject({ battery: pct.optional(), rssi: z.number().optional() }),
  worn: z.looseObject({ worn: z.boolean() }),
};

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export const eventBodySchema = z.object({
  msgId: z.string().min(1).max(128),
  ts: z.union([
    z.string().regex(ISO_WITH_OFFSET, 'ISO 8601 with an offset, or Unix milliseconds'),
    z.number().int().min(0).max(8_640_000_000_000_000),
  ]),
  type: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1–64 letters, digits, _ . -'),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Device times before this, or more than a year ahead, are a wrong clock, not a time to store. */
const EARLIEST_DEVICE_TS = Date.parse('2000-01-01T00:00:00Z');
const MAX_DEVICE_AHEAD_MS = 366 * 86_400_000;

export interface ParsedEvent {
  msgId: string;
  type: string;
  data: Record<string, unknown>;
  /** The device's clock; null when it gave a real but implausible time (a reset clock). */
  deviceTs: Date | null;
}

export class EventBodyError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Parse a raw event body; throws EventBodyError naming the offending field. */
export function parseEventBody(raw: Buffer | string): ParsedEvent {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size > MAX_EVENT_BYTES) throw new EventBodyError('body', `larger than ${MAX_EVENT_BYTES} bytes`);
  let json: unknown;
  try {
    // PostgreSQL text and jsonb cannot hold NUL: keep the event, with U+FFFD in its place.
    json = JSON.parse((typeof raw === 'string' ? raw : raw.toString('utf8')).replace(/\\u0000/g, '\\ufffd'));
  } catch {
    throw new EventBodyError('body', 'not valid JSON');
  }
  return validateEventBody(wellFormed(json));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Unpaired surrogates ("\ud800") have no UTF-8 form and PostgreSQL refuses them: U+FFFD too, like NUL. */
function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(v)) return v.map(wellFormed);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, c]) => [k.replace(LONE_SURROGATE, '\ufffd'), wellFormed(c)]));
  return v;
}

export function validateEventBody(json: unknown): ParsedEvent {
  const r = eventBodySchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new EventBodyError(i.path.length ? i.path.join('.') : 'body', i.message);
  }
  const b = r.data;
  // 2026-02-30T… would roll over to March in a JavaScript Date: an impossible day is a malformed body.
  if (typeof b.ts === 'string' && !isCalendarDate(b.ts.slice(0, 10))) throw new EventBodyError('ts', 'not a real calendar date');
  const parsedTs = new Date(b.ts);
  if (Number.isNaN(parsedTs.getTime())) throw new EventBodyError('ts', 'not a valid time');
  // A device whose clock was reset (1970, year 0) or runs years ahead still gets its alarm through:
  // the time it gave is dropped (stored NULL, flagged clock_skew), never the event.
  const t = parsedTs.getTime();
  const deviceTs = t >= EARLIEST_DEVICE_TS && t <= Date.now() + MAX_DEVICE_AHEAD_MS ? parsedTs : null;
  const data = b.data ?? {};
  const schema = DATA_SCHEMAS[b.type];
  if (schema) {
    const d = schema.safeParse(data);
    if (!d.success) {
      const i = d.error.issues[0];
      throw new EventBodyError(['data', ...i.path].join('.'), i.message);
    }
  }
  return { msgId: b.msgId, type: b.type, data, deviceTs };
}

export const EVENTS_TOPIC = /^zy\/v1\/devices\/([A-Za-z0-9_-]{3,64})\/events$/;
export { commandsTopic, eventsTopic } from '../modules/devices/device-topics.ts';
