import pino, { type Logger } from 'pino';

/*
 * What must never reach a log line: resident ID numbers and phone numbers, however they are
 * written, and tokens in query strings. Every pattern is linear: fixed-length groups whose
 * optional separators cannot be confused with the digits around them, so a long hostile string
 * costs one pass (no nested or overlapping quantifiers, nothing to backtrack into).
 *
 * A number only counts when it stands alone: not glued to letters, digits or dashes, so UUIDs,
 * order numbers, epoch milliseconds, region codes (6/9/12 digits) and amounts stay intact.
 */
/** A separator people put inside numbers: space (also full-width, or + in a query string), dash, dot. */
const GAP = String.raw`[ \t\u3000.\-+]`;
const SEP = `${GAP}?`;
const LEFT = String.raw`(?<![\w\-])`;
const RIGHT = String.raw`(?![\w\-])`;
/** +86, 0086, (+86). */
const CN_PREFIX = String.raw`(?:(?:\+|00)86|\(\+?86\))${SEP}`;

/** 18-character ID (GB 11643) as 6-8-4 / 6-4-4-4 with optional separators, or in groups of four. */
const ID_18 = String.raw`\d{6}${SEP}(?:18|19|20)\d{2}${SEP}(?:0[1-9]|1[0-2])\d{2}${SEP}\d{3}[\dXx]|\d{4}(?:${GAP}\d{4}){3}${GAP}\d[\dXx]`;
/** 15-digit IDs of before 1999: any 15 digits, or 6-6-3 with separators. */
const ID_15 = String.raw`\d{6}${SEP}\d{6}${SEP}\d{3}`;
const ID_NUMBER = new RegExp(`${LEFT}(?:${ID_18}|${ID_15})${RIGHT}`, 'g');

/** Mobiles: 1[3-9]x xxxx xxxx, with +86 / 0086 and any of the separators, or (139) 1234 5678. */
const MOBILE = new RegExp(`${LEFT}(?:${CN_PREFIX})?(?:1[3-9]\\d|\\(1[3-9]\\d\\))${SEP}\\d{4}${SEP}\\d{4}${RIGHT}`, 'g');
/** Landlines: 010-1234 5678, (0571) 8888 6666, 0571-8888-6666, +86 10 1234 5678 (the 0 dropped abroad). */
const LANDLINE = new RegExp(
  `${LEFT}(?:${CN_PREFIX}(?:\\(0?\\d{2,3}\\)|0?\\d{2,3})|\\(0\\d{2,3}\\)|0\\d{2,3})${SEP}\\d{3,4}${SEP}\\d{4}${RIGHT}`,
  'g',
);
const TOKEN_PARAM = /([?&](?:token|password|secret)=)[^&\s]*/gi;

/** Remove what must never be in a log line: tokens in query strings, ID numbers, phone numbers. */
export function scrubText(s: string): string {
  // Most log strings hold no digit at all: they need no further work.
  if (!/\d/.test(s)) return s.replace(TOKEN_PARAM, '$1[redacted]');
  return s
    .replace(TOKEN_PARAM, '$1[redacted]')
    .replace(ID_NUMBER, '[id-number]')
    .replace(MOBILE, '[phone]')
    .replace(LANDLINE, '[phone]');
}

/** A URL decoded first (%2B86%20139… is a phone too), then scrubbed; logged decoded. */
export function scrubUrl(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // Malformed escapes: scrub the URL as it came.
  }
  return scrubText(decoded);
}

const SERIALIZED = new Set(['req', 'res', 'err']);

/**
 * Scrub every string inside a log object (messages, nested details, error messages and stacks).
 * Only plain objects and arrays are walked (a request or socket is never traversed), to a
 * bounded depth; the keys with their own serializer are left to it.
 */
export function scrubValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrubText(v);
  if (v === null || typeof v !== 'object' || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, depth + 1));
  if (v instanceof Error) return depth === 0 ? v : scrubError(v); // a first-argument error goes to pino's err serializer
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = depth === 0 && SERIALIZED.has(k) ? x : scrubValue(x, depth + 1);
  return out;
}

function scrubError(err: Error) {
  // Query errors carry their parameters (personal data): keep the SQL, drop the values.
  const { params: _params, ...s } = pino.stdSerializers.err(err) as ReturnType<typeof pino.stdSerializers.err> & {
    params?: unknown;
  };
  const clean = (t?: string) => (t ? t.replace(/\nparams: [^\n]*/g, '\nparams: [redacted]') : t);
  return scrubValue({ ...s, message: clean(s.message) ?? '', stack: clean(s.stack) }, 1) as Record<string, unknown>;
}

/**
 * pino with the secrets redacted: authorization and cookie headers, set-cookie, anything named
 * password/token/secret/phone, and every string of every line scrubbed of tokens in query
 * strings, ID numbers and phone numbers (the URL, the message, nested fields, errors).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.newPassword',
          '*.currentPassword',
          '*.token',
          '*.secret',
          '*.idNumber',
          '*.phone',
        ],
        censor: '[redacted]',
      },
      hooks: {
        // The message and its interpolation arguments: log.info('sent to %s', phone).
        logMethod(args, method) {
          const clean = args.map((a) => scrubValue(a));
          // log.error(err) takes its message from the error: give pino the scrubbed one.
          if (args[0] instanceof Error && typeof args[1] !== 'string') clean.splice(1, 0, scrubText(args[0].message));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: scrubUrl(req.url), ip: req.ip }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: (err: Error) => scrubError(err),
      },
    },
    destination,
  );
}
