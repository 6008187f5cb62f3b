import { badRequest } from './errors.ts';
import { type EntryLimits, inflateText, readZipDirectory, type ZipEntry } from './zip.ts';

/** What each workbook part may unpack to; the sheet and shared strings scale with the row cap. */
export interface XlsxPartLimits {
  sheet: EntryLimits;
  sharedStrings: EntryLimits;
}

/** One cell with a value: its 1-based column, its text as the spreadsheet shows it, and whether it is a formula. */
export interface SheetCell {
  col: number;
  text: string;
  formula: boolean;
}

export interface SheetRow {
  /** 1-based row number of the sheet. */
  number: number;
  cells: SheetCell[];
}

/** Workbook, relationships and styles parts: small in any real workbook. */
const SMALL_PART: EntryLimits = { maxBytes: 4 * 1024 * 1024, maxRatio: 200 };
const STYLES_PART: EntryLimits = { maxBytes: 16 * 1024 * 1024, maxRatio: 200 };
/** Text held while waiting for the end of one row or one shared string: no real row comes near it. */
const MAX_ELEMENT_CHARS = 4 * 1024 * 1024;

const broken = () => badRequest('The workbook cannot be read; save it again as .xlsx.');
const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);

/**
 * The rows of the first sheet (workbook order) of an .xlsx, streamed. The parts are picked from
 * the ZIP central directory in the order needed (relationships, workbook, styles, shared
 * strings, then the sheet), each checked for declared size and ratio before it is inflated and
 * counted while it is (lib/zip.ts); breaking out of the loop stops the inflation.
 *
 * This reads the SpreadsheetML itself instead of going through ExcelJS's streaming reader: that
 * one took ~0.3 ms a row (30 s for a 100,000-row file on a loaded machine, most of an import's
 * budget) and could only be fed parts through its private `_parse*` methods, which any ExcelJS
 * release may rename. Only what an import needs is read: shared and inline strings (rich text
 * joined, phonetic runs left out), numbers, booleans, dates (cells whose number format is a
 * date, or `t="d"`), formulas flagged (their cached result as text), errors as empty.
 */
export async function* firstSheetRows(buf: Buffer, limits: XlsxPartLimits): AsyncGenerator<SheetRow> {
  const dir = readZipDirectory(buf);
  const whole = async (name: string, l: EntryLimits) => {
    const entry = dir.get(name);
    if (!entry) return undefined;
    let text = '';
    for await (const chunk of inflateText(buf, entry, l)) text += chunk;
    return text;
  };
  const relsXml = await whole('xl/_rels/workbook.xml.rels', SMALL_PART);
  const workbookXml = await whole('xl/workbook.xml', SMALL_PART);
  if (relsXml === undefined || workbookXml === undefined) throw broken();
  const rels = [...relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)>/g)].map((m) => attributes(m[1]));
  const relOf = (type: string) => rels.find((r) => r.Type?.endsWith(`/${type}`));
  const firstSheet = /<(?:\w+:)?sheet\b([^>]*)>/.exec(workbookXml);
  const rId = firstSheet && Object.entries(attributes(firstSheet[1])).find(([k]) => k === 'id' || k.endsWith(':id'))?.[1];
  const target = rId && rels.find((r) => r.Id === rId)?.Target;
  const sheet: ZipEntry | undefined = target ? dir.get(partPath(target)) : undefined;
  if (!sheet) throw badRequest('The workbook has no sheet.');
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbookXml);

  const stylesXml = await whole(partPath(relOf('styles')?.Target ?? 'styles.xml'), STYLES_PART);
  const dateStyles = stylesXml ? dateStyleIndexes(stylesXml) : new Set<number>();

  const strings: string[] = [];
  const stringsEntry = dir.get(partPath(relOf('sharedStrings')?.Target ?? 'sharedStrings.xml'));
  if (stringsEntry)
    for await (const si of elements(inflateText(buf, stringsEntry, limits.sharedStrings), 'si')) strings.push(richText(si.body));

  let previous = 0;
  for await (const row of elements(inflateText(buf, sheet, limits.sheet), 'row')) {
    const r = attributes(row.attrs).r;
    const number = r ? Number(r) : previous + 1;
    if (!Number.isInteger(number) || number < 1) throw broken();
    previous = number;
    yield { number, cells: cellsOf(row.body, strings, dateStyles, date1904) };
  }
}

/**
 * The complete `<name …>…</name>` (or `<name …/>`) elements of a streamed part, in order, with
 * any namespace prefix; text is held only until the element's end has arrived.
 */
async function* elements(chunks: AsyncIterable<string>, name: string): AsyncGenerator<{ attrs: string; body: string }> {
  const pattern = new RegExp(`<(?:\\w+:)?${name}(\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</(?:\\w+:)?${name}>)`, 'g');
  let pending = '';
  for await (const chunk of chunks) {
    pending += chunk;
    pattern.lastIndex = 0;
    let end = 0;
    for (let m = pattern.exec(pending); m; m = pattern.exec(pending)) {
      end = pattern.lastIndex;
      yield { attrs: m[1] ?? '', body: m[2] ?? '' };
    }
    pending = pending.slice(end);
    // An opening tag's remains are all that may wait for the next chunk.
    const open = pending.search(new RegExp(`<(?:\\w+:)?${name}[\\s/>]`));
    pending = open < 0 ? pending.slice(Math.max(0, pending.length - name.length - 32)) : pending.slice(open);
    if (pending.length > MAX_ELEMENT_CHARS) throw badRequest(`A <${name}> of the workbook is larger than 4 MiB.`);
  }
}

const CELL = /<(?:\w+:)?c(\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;
const FORMULA = /<(?:\w+:)?f[\s/>]/;
const REF = /\br\s*=\s*["']([A-Za-z]+)/;
const TYPE = /\bt\s*=\s*["'](\w+)/;
const STYLE = /\bs\s*=\s*["'](\d+)/;
const INLINE = /<(?:\w+:)?is(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?is>/;

function cellsOf(body: string, strings: string[], dateStyles: Set<number>, date1904: boolean): SheetCell[] {
  const cells: SheetCell[] = [];
  let previous = 0;
  CELL.lastIndex = 0;
  for (let m = CELL.exec(body); m; m = CELL.exec(body)) {
    // A cell's attributes are r, s, t (and rarely cm, vm, ph): three small patterns beat a general parser here.
    const attrs = m[1] ?? '';
    const a = { r: REF.exec(attrs)?.[1], t: TYPE.exec(attrs)?.[1], s: STYLE.exec(attrs)?.[1] };
    const col = a.r ? columnNumber(a.r) : previous + 1;
    previous = col;
    const inner = m[2] ?? '';
    const v = VALUE.exec(inner)?.[1];
    let text = '';
    switch (a.t) {
      case 's':
        text = v === undefined ? '' : (strings[Number(v)] ?? '');
        break;
      case 'inlineStr':
        text = richText(INLINE.exec(inner)?.[1] ?? '');
        break;
      case 'str':
        text = v === undefined ? '' : unescapeXml(v);
        break;
      case 'b':
        text = v === undefined ? '' : String(v.trim() === '1' || v.trim() === 'true');
        break;
      case 'e':
        break;
      case 'd':
        text = v === undefined ? '' : isoDay(new Date(unescapeXml(v)));
        break;
      default:
        if (v !== undefined && v.trim() !== '') {
          const n = Number.parseFloat(v);
          text = dateStyles.has(Number(a.s ?? 0)) && Number.isFinite(n) ? isoDay(serialDate(n, date1904)) : String(n);
        }
    }
    cells.push({ col, text: text.trim(), formula: FORMULA.test(inner) });
  }
  return cells;
}

/** The text of a shared or inline string: its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
function richText(xml: string): string {
  const plain = xml.includes('rPh') ? xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '') : xml;
  let out = '';
  for (const m of plain.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) out += m[1];
  return unescapeXml(out);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e];
    const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]] = unescapeXml(m[2] ?? m[3] ?? '');
  return out;
}

/** "B7" → 2; "AA1" → 27. */
function columnNumber(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) & ~32;
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  if (n < 1 || n > 16_384) throw broken();
  return n;
}

/** Built-in number formats that show a date or time (ECMA-376 18.8.30, with the CJK ones). */
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** The indexes of `cellXfs` whose number format is a date: their numbers are day counts. */
function dateStyleIndexes(xml: string): Set<number> {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:\w+:)?numFmt\b([^>]*)>/g)) {
    const a = attributes(m[1]);
    custom.set(Number(a.numFmtId), a.formatCode ?? '');
  }
  const isDate = (id: number) => {
    const code = custom.get(id);
    if (code === undefined) return BUILT_IN_DATES.has(id);
    // Quoted text, [colours] / [$-locale] and escaped characters are not date parts.
    return /[ymdhs]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ''));
  };
  const out = new Set<number>();
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  let i = 0;
  for (const m of xfs.matchAll(/<(?:\w+:)?xf\b([^>]*)>/g)) {
    if (isDate(Number(attributes(m[1]).numFmtId ?? 0))) out.add(i);
    i++;
  }
  return out;
}

/** A spreadsheet day number as a date (1900 system, with its phantom 29 February 1900; or 1904). */
function serialDate(n: number, date1904: boolean): Date {
  const days = date1904 ? n + 1462 : n;
  return new Date(Math.round((days - 25569) * 86_400_000));
}

const isoDay = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));
