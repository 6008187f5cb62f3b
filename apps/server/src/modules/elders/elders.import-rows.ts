import { PHONE_PATTERN } from '@zhiyang/shared';
import type { FieldCipher } from '../../lib/crypto.ts';
import { normalisePhone } from '../../lib/http.ts';
import { checkElderFields, encodeElder } from './elders.fields.ts';
import type { ImportRowError } from './elders.schema.ts';
import { HEADER_OF, readSheetRow, type SheetKey } from './elders.sheet.ts';

/** Data rows of an import as they travel to the worker threads: `[sheet row number, cells]`. */
export type RawRow = [rowNumber: number, cells: string[]];

/** A row that passed every check that needs no database, encoded as the archive stores it. */
export interface EncodedRow {
  row: number;
  encoded: ReturnType<typeof encodeElder>;
  /**
   * Keyed digest (a blind index) of everything the row writes: the sheet's values with its
   * emergency contact, and every column derived from them except the ciphertexts (whose plain
   * values are in the sheet's). Equal to the stored `import_digest` only when the same row was
   * imported before and the record has not been changed since.
   */
  digest: string;
  /** The emergency contact with its phone already normalised, encrypted and blind-indexed. */
  contact: { name: string; relationship: string; phoneEnc: string; phoneHash: string } | null;
}

/**
 * Check and encode one batch of rows (in a worker thread): the sheet's codes, GB 11643 and the
 * record rules, the community in the importer's scope, the contact's phone; then encryption,
 * blind indexes and pinyin with the same functions the API uses. Checks that need the database
 * or the whole file (an ID number seen earlier in the file, in the archive of another area) stay
 * with the caller, which sees the batches in file order.
 */
export function encodeRows(
  cipher: FieldCipher,
  rows: RawRow[],
  cols: Array<[SheetKey, number]>,
  communities: ReadonlySet<string>,
): { good: EncodedRow[]; errors: ImportRowError[] } {
  const colOf = new Map(cols);
  const good: EncodedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const [rowNumber, cells] of rows) {
    const get = (k: SheetKey) => {
      const i = colOf.get(k);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const sheet = readSheetRow(get);
    const rowErrors: ImportRowError[] = sheet.problems.map((p) => ({ row: rowNumber, column: p.column, message: p.message }));
    const checked = checkElderFields(sheet.fields);
    for (const p of checked.problems)
      if (!(p.field === 'name' && !sheet.fields.name))
        rowErrors.push({ row: rowNumber, column: HEADER_OF[p.field as SheetKey] ?? null, message: p.zh });
    if (sheet.fields.regionCode && !communities.has(sheet.fields.regionCode))
      rowErrors.push({ row: rowNumber, column: HEADER_OF.regionCode, message: '居住社区编码不存在或不在您的辖区' });
    const contactPhone = sheet.contact?.phone ? normalisePhone(sheet.contact.phone) : '';
    if (sheet.contact?.phone && !PHONE_PATTERN.test(contactPhone))
      rowErrors.push({ row: rowNumber, column: HEADER_OF.contactPhone, message: '联系人电话格式错误' });
    if (rowErrors.length || !checked.identity) {
      errors.push(...rowErrors);
      continue;
    }
    const encoded = encodeElder(cipher, sheet.fields, checked.identity);
    good.push({
      row: rowNumber,
      encoded,
      digest: importDigest(cipher, [sheet.fields, sheet.contact ?? null], encoded),
      contact: sheet.contact
        ? {
            name: sheet.contact.name.slice(0, 50),
            relationship: sheet.contact.relationship.slice(0, 20),
            phoneEnc: cipher.encrypt(contactPhone),
            phoneHash: cipher.blindIndex(contactPhone, 'phone'),
          }
        : null,
    });
  }
  return { good, errors };
}

/**
 * The row's import digest: an HMAC under the blind-index key of the sheet's values and of the
 * encoded row without its ciphertexts (random each time). A column the encoding derives in a new
 * way (a new pinyin rule, a new index) changes the digest, so such a change is written on re-import.
 */
export function importDigest(cipher: FieldCipher, sheet: unknown, encoded: Record<string, unknown>): string {
  const derived = Object.entries(encoded).filter(([k]) => !k.endsWith('Enc'));
  return cipher.blindIndex(JSON.stringify([sheet, derived]), 'elder_import');
}
