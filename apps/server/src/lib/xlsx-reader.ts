import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { badRequest } from './errors.ts';
import { type EntryLimits, inflateText, readZipDirectory, type ZipEntry } from './zip.ts';

/** What each workbook part may unpack to; the sheet and shared strings scale with the row cap. */
export interface XlsxPartLimits {
  sheet: EntryLimits;
  sharedStrings: EntryLimits;
}

/** Workbook, relationships and styles parts: small in any real workbook. */
const SMALL_PART: EntryLimits = { maxBytes: 4 * 1024 * 1024, maxRatio: 200 };
const STYLES_PART: EntryLimits = { maxBytes: 16 * 1024 * 1024, maxRatio: 200 };

/**
 * The parts of ExcelJS's streaming reader used here. Its own `parse()` follows the archive's
 * local headers and spills a sheet that comes before the shared strings (as Excel writes them)
 * to a temporary file; instead this module picks the parts from the central directory, in the
 * order it needs, each inflated with a byte count (lib/zip.ts), and feeds them to the same parsers.
 */
interface StreamingWorkbook {
  workbookRels?: Array<{ Id: string; Target: string; Type: string }>;
  model?: { sheets?: Array<{ rId: string }> };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ value: AsyncIterable<ExcelJS.Row> }>;
}

/** ExcelJS no longer has the streaming parts used here: a bug to fix (500), not a bad file (400). */
export class XlsxReaderBroken extends Error {}

export type ExcelModule = typeof ExcelJS & {
  stream: { xlsx: { WorkbookReader: new (input: unknown, options: Record<string, string>) => unknown } };
};

const partPath = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);

/**
 * The rows of the first sheet (workbook order) of an .xlsx, streamed: every part's declared size
 * and ratio is checked before it is inflated and its inflated bytes are counted while it is read;
 * breaking out of the loop stops the inflation. Cell values are ExcelJS's (dates, rich text,
 * formula results) so callers see what the whole-workbook loader gave.
 */
export async function* firstSheetRows(Excel: ExcelModule, buf: Buffer, limits: XlsxPartLimits): AsyncGenerator<ExcelJS.Row> {
  const dir = readZipDirectory(buf);
  // Parts left half-read by a parse error are closed too, so their inflaters do not linger.
  const opened: Readable[] = [];
  const part = (name: string, l: EntryLimits) => {
    const entry = dir.get(name);
    if (!entry) return undefined;
    const stream = Readable.from(inflateText(buf, entry, l));
    opened.push(stream);
    return stream;
  };
  try {
    yield* rowsOf(Excel, buf, dir, part, limits);
  } finally {
    for (const stream of opened) stream.destroy();
  }
}

async function* rowsOf(
  Excel: ExcelModule,
  buf: Buffer,
  dir: Map<string, ZipEntry>,
  part: (name: string, limits: EntryLimits) => Readable | undefined,
  limits: XlsxPartLimits,
): AsyncGenerator<ExcelJS.Row> {
  const rels = part('xl/_rels/workbook.xml.rels', SMALL_PART);
  const workbookPart = part('xl/workbook.xml', SMALL_PART);
  if (!rels || !workbookPart) throw badRequest('The workbook cannot be read; save it again as .xlsx.');
  const reader = new Excel.stream.xlsx.WorkbookReader(undefined, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as StreamingWorkbook;
  for (const m of ['_parseRels', '_parseWorkbook', '_parseStyles', '_parseSharedStrings', '_parseWorksheet'] as const)
    if (typeof reader[m] !== 'function')
      throw new XlsxReaderBroken(`ExcelJS's WorkbookReader has no ${m} (was ExcelJS upgraded?)`);
  await reader._parseRels(rels);
  await reader._parseWorkbook(workbookPart);
  const relOf = (type: string) => reader.workbookRels?.find((r) => r.Type.endsWith(`/${type}`));
  const styles = part(partPath(relOf('styles')?.Target ?? 'styles.xml'), STYLES_PART);
  if (styles) await reader._parseStyles(styles);
  const strings = part(partPath(relOf('sharedStrings')?.Target ?? 'sharedStrings.xml'), limits.sharedStrings);
  if (strings) for await (const _ of reader._parseSharedStrings(strings));

  const first = reader.model?.sheets?.[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  const sheet: ZipEntry | undefined = target ? dir.get(partPath(target)) : undefined;
  if (!sheet) throw badRequest('The workbook has no sheet.');
  const sheetNo = /sheet(\d+)\.xml$/.exec(sheet.name)?.[1] ?? '1';
  const [worksheet] = reader._parseWorksheet(inflateText(buf, sheet, limits.sheet), sheetNo);
  yield* worksheet.value;
}
