import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * Hand-made .xlsx files for the spreadsheet-limit tests: a plain ZIP writer whose headers say
 * whatever the test wants (a lying uncompressed size, an absurd ratio), and deflate streams
 * built from independent segments so a "4 GB" sheet costs a few kilobytes to make.
 */
export interface CraftedPart {
  name: string;
  /** Raw deflate bytes as stored in the archive. */
  deflated: Buffer;
  /** The uncompressed size the headers declare. */
  declaredSize: number;
}

/** Deflate `text` honestly: declared size = real size. */
export function honestPart(name: string, text: string | Buffer): CraftedPart {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text);
  return { name, deflated: deflateRawSync(data), declaredSize: data.length };
}

/** One deflate segment that ends on a byte boundary and resets the dictionary, so segments concatenate. */
export const segment = (text: string | Buffer) =>
  deflateRawSync(Buffer.isBuffer(text) ? text : Buffer.from(text), { finishFlush: constants.Z_FULL_FLUSH });
/** The final (empty) block closing a chain of segments. */
export const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** A ZIP archive of the parts, headers as given (CRC of the declared data is not checked by the reader). */
export function zipOf(parts: CraftedPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name);
    const crc = crc32(p.deflated);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(p.deflated.length, 18);
    local.writeUInt32LE(p.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(p.deflated.length, 20);
    central.writeUInt32LE(p.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, p.deflated);
    centrals.push(central, name);
    offset += 30 + name.length + p.deflated.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export const SHEET_START = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_END = '</sheetData></worksheet>';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const colName = (i: number) => String.fromCharCode(65 + i);

/** One `<row>` of inline strings. */
export function rowXml(rowNumber: number, cells: string[]): string {
  return `<row r="${rowNumber}">${cells
    .map((v, i) => `<c r="${colName(i)}${rowNumber}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`)
    .join('')}</row>`;
}

/** A workbook of one sheet (and optionally a shared-strings part) with the minimum parts a reader needs. */
export function craftXlsx(sheet: CraftedPart | string, sharedStrings?: CraftedPart): Buffer {
  const rels = [
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`,
    sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : '',
  ].join('');
  const parts = [
    honestPart(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    honestPart(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    honestPart(
      'xl/_rels/workbook.xml.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    ),
    typeof sheet === 'string' ? honestPart('xl/worksheets/sheet1.xml', sheet) : { ...sheet, name: 'xl/worksheets/sheet1.xml' },
  ];
  if (sharedStrings) parts.push({ ...sharedStrings, name: 'xl/sharedStrings.xml' });
  return zipOf(parts);
}

/** A multipart/form-data body with the file in the field "file". */
export function multipartBody(filename: string, data: Buffer) {
  const boundary = `----zy${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return {
    body: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
