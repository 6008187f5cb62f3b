import { type SQL, sql } from 'drizzle-orm';
import type { FieldCipher } from './crypto.ts';

/**
 * A row's sensitive values sealed together: FieldCipher output of a JSON object, in a
 * `private_enc` column. A row written before its table was sealed still has the values in plain
 * columns until a backfill job seals it; `sealedBox` selects either as one string, `openSealed`
 * reads it back.
 */
export const sealJson = (cipher: FieldCipher, value: object) => cipher.encrypt(JSON.stringify(value));

const PLAIN = 'plain:';

/**
 * SELECT expression: the sealed value, or for a row not sealed yet `plain:` + the JSON object of
 * its plain columns (`fields`: JSON key → column). `alias` is the table's name or alias.
 */
export function sealedBox(alias: string, fields: Record<string, string>): SQL<string> {
  const name = /^[a-z_][a-z0-9_]*$/;
  if (!name.test(alias) || !Object.values(fields).every((c) => name.test(c))) throw new Error(`bad sealed box ${alias}`);
  const pairs = Object.entries(fields).map(([k, c]) => `'${k}', ${alias}.${c}`);
  return sql.raw(`COALESCE(${alias}.private_enc, '${PLAIN}' || json_build_object(${pairs.join(', ')})::text)`) as SQL<string>;
}

/** The object in a box from `sealedBox` (or a `private_enc` value); one that does not open (rotated key, damaged row) reads as empty, never as a 500. */
export function openSealed(cipher: FieldCipher, box: string | null | undefined): Record<string, unknown> {
  if (!box) return {};
  try {
    const o = JSON.parse(box.startsWith(PLAIN) ? box.slice(PLAIN.length) : cipher.decrypt(box)) as unknown;
    return o && typeof o === 'object' ? (o as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const sealedText = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const sealedNumber = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const sealedStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
