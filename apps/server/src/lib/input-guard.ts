import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { validationError } from './errors.ts';

// NUL: PostgreSQL text and jsonb cannot hold it (the query fails). Other C0 controls except tab,
// line feed and carriage return: nobody types them, they break spreadsheet exports (XML forbids
// them) and can hide text in the console. An unpaired UTF-16 surrogate (JSON "\ud800") has no
// UTF-8 form, so PostgreSQL refuses it as well.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Header values: the HTTP parser already refuses most controls; tab is legal there.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HEADER_CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/;

/** Why `text` may not be stored, or null when it may. */
export function badTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters (\\u0000)';
  if (CONTROL.test(text)) return 'must not contain control characters other than tab and line breaks';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/**
 * The first string (value or object key, at any depth) that may not be stored, with its path.
 * Iterative, so a deeply nested body cannot overflow the stack. The path of a value is only built
 * when the value is refused: the clean case, every request, allocates nothing per string.
 */
export function findBadText(value: unknown, root: string): { path: string; message: string } | null {
  if (typeof value === 'string') {
    const reason = badTextReason(value);
    return reason ? { path: root, message: reason } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        const child = v[i];
        if (typeof child === 'string') {
          const reason = badTextReason(child);
          if (reason) return { path: `${path}.${i}`, message: reason };
        } else if (child !== null && typeof child === 'object') stack.push([child, `${path}.${i}`]);
      }
    } else if (!Buffer.isBuffer(v)) {
      const o = v as Record<string, unknown>;
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        const reason = badTextReason(k);
        if (reason) return { path, message: `field names ${reason}` };
        const child = o[k];
        if (typeof child === 'string') {
          const bad = badTextReason(child);
          if (bad) return { path: `${path}.${k}`, message: bad };
        } else if (child !== null && typeof child === 'object') stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}

/** Throws the 400 problem for the first string in `value` that may not be stored. */
export function assertCleanText(value: unknown, root: string): void {
  const bad = findBadText(value, root);
  if (bad) throw validationError(bad.path, bad.message);
}

/** The first header value with a control character, or null. */
function badHeader(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') {
      if (HEADER_CONTROL.test(value)) return name;
    } else if (Array.isArray(value)) {
      for (const v of value) if (HEADER_CONTROL.test(v)) return name;
    }
  }
  return null;
}

/**
 * One input check for every route, before schema validation: the parsed JSON or text body, query,
 * path parameters and header values. Raw bodies (signed device intake) are checked by their own
 * parser, multipart field values and file names by lib/upload.ts.
 */
export const inputGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', (req, _reply, done) => {
    const header = badHeader(req.headers);
    if (header !== null) return done(validationError(`headers.${header}`, 'must not contain control characters'));
    const bad = findBadText(req.params, 'params') ?? findBadText(req.query, 'query') ?? findBadText(req.body, 'body');
    done(bad ? validationError(bad.path, bad.message) : undefined);
  });
});
