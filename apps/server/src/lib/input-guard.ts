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
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findBadText(value: unknown, root: string): { path: string; message: string } | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      const reason = badTextReason(v);
      if (reason) return { path, message: reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`]);
    } else if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, child] of Object.entries(v)) {
        const reason = badTextReason(k);
        if (reason) return { path, message: `field names ${reason}` };
        stack.push([child, `${path}.${k}`]);
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

/**
 * One input check for every route, before schema validation: the parsed JSON or text body, query,
 * path parameters and header values. Raw bodies (signed device intake) are checked by their own
 * parser, multipart field values and file names by lib/upload.ts.
 */
export const inputGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req) => {
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v === 'string' && HEADER_CONTROL.test(v))
          throw validationError(`headers.${name}`, 'must not contain control characters');
      }
    }
    assertCleanText(req.params, 'params');
    assertCleanText(req.query, 'query');
    assertCleanText(req.body, 'body');
  });
});
