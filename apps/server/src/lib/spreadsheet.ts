import { setImmediate as nextTurn } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import { AppError, badRequest } from './errors.ts';
import { badTextReason } from './input-guard.ts';
import { firstSheetRows } from './xlsx-reader.ts';

export interface TableReadLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  /** Data rows (non-empty, header excluded). Reading stops at the first row over the cap. */
  maxRows: number;
  /** Columns with a value; empty cells further right are ignored (default 100). */
  maxColumns?: number;
  /** Characters kept over all cells (default 512 per allowed row, at least 4 M). */
  maxTextChars?: number;
  /** Non-empty cells kept over all rows (default 32 per allowed row): bounds the memory of many tiny cells. */
  maxCells?: number;
  /** Uncompressed size of the sheet part of an .xlsx (default 2 KiB per allowed row, 8–256 MiB). */
  maxSheetBytes?: number;
  /** Uncompressed size of the shared-strings part (default 640 bytes per allowed row, 4–64 MiB). */
  maxSharedStringsBytes?: number;
  /** Uncompressed ÷ compressed size of those parts (default 200; deflate reaches ~1,000 on a bomb). */
  maxRatio?: number;
}

export interface ReadTable {
  headers: string[];
  /** Data rows (header row excluded) as trimmed strings; `rowNumber` is the 1-based sheet row. */
  rows: Array<{ rowNumber: number; cells: string[]; formulaColumns: number[] }>;
}

/** ExcelJS (used to write workbooks) is loaded on first use: it takes ~0.3 s to load, and start-up must not pay for it. */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
};

const MiB = 1024 * 1024;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
/** Rows handled between two turns of the event loop, so health checks and device events are answered during an import. */
const ROWS_PER_TURN = 256;
const CHARS_PER_TURN = 256 * 1024;

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Collects rows under the caps shared by both formats. */
class TableBuilder {
  headers: string[] = [];
  rows: ReadTable['rows'] = [];
  private chars = 0;
  private cells = 0;
  readonly maxColumns: number;
  private readonly maxChars: number;
  private readonly maxCells: number;
  constructor(private readonly limits: TableReadLimits) {
    this.maxColumns = limits.maxColumns ?? 100;
    this.maxChars = limits.maxTextChars ?? Math.max(4_000_000, limits.maxRows * 512);
    this.maxCells = limits.maxCells ?? limits.maxRows * 32;
  }
  /** Add a row (the first non-empty one is the header); empty rows are skipped; a row over a cap is a 400. */
  add(rowNumber: number, cells: string[], formulaColumns: number[]): void {
    if (!cells.some((v) => v !== '')) return;
    // The same text rules as every API input (lib/input-guard.ts): a NUL in a cell was a 500.
    for (const [i, c] of cells.entries()) {
      const reason = badTextReason(c);
      if (reason) throw badRequest(`Row ${rowNumber}, column ${i + 1}: the text ${reason}.`);
    }
    for (const c of cells) {
      this.chars += c.length;
      if (c !== '') this.cells++;
    }
    if (this.cells > this.maxCells)
      throw badRequest(`The file has more than ${this.maxCells.toLocaleString('en')} filled cells.`);
    if (this.chars > this.maxChars)
      throw badRequest(`The file holds more than ${this.maxChars.toLocaleString('en')} characters of text.`);
    if (this.headers.length === 0 && this.rows.length === 0) this.headers = cells.map((h) => h.trim());
    else {
      if (this.rows.length >= this.limits.maxRows) throw badRequest(`The sheet has more than ${this.limits.maxRows} rows.`);
      this.rows.push({ rowNumber, cells, formulaColumns });
    }
  }
  tooWide(): AppError {
    return badRequest(`The sheet has values in more than ${this.maxColumns} columns.`);
  }
}

/**
 * Read the first sheet of an .xlsx or a UTF-8 .csv into strings, streaming: an .xlsx is checked
 * part by part from its ZIP directory before anything is inflated (declared size, compression
 * ratio), inflated bytes are counted as they are read, and reading stops at the first row,
 * column or character over the caps; the event loop gets a turn every few hundred rows. Hostile
 * files are refused with a 400: over a cap, a CSV renamed to .xlsx, a broken or bomb archive.
 * Formula cells are reported per row (callers refuse them) rather than evaluated.
 *
 * Routes do not call this directly: `withUploadedTable` (lib/table-upload.ts) also limits how
 * many imports run at once.
 */
export async function readTable(buf: Buffer, filename: string, limits: TableReadLimits): Promise<ReadTable> {
  if (buf.length === 0) throw badRequest('The file is empty.');
  if (buf.length > limits.maxBytes) throw badRequest(`The file is larger than ${Math.round(limits.maxBytes / MiB)} MiB.`);
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) {
    if (!isZip(buf)) throw badRequest('The file is named .xlsx but is not an Excel workbook (is it a CSV renamed?).');
    try {
      return await readXlsx(buf, limits);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badRequest('The workbook cannot be read; save it again as .xlsx.');
    }
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    if (isZip(buf)) throw badRequest('The file is named .csv but is an Excel workbook; name it .xlsx.');
    return readCsv(buf.toString('utf8').replace(/^\uFEFF/, ''), limits);
  }
  throw badRequest('Upload an .xlsx or .csv file.');
}

async function readXlsx(buf: Buffer, limits: TableReadLimits): Promise<ReadTable> {
  const maxRatio = limits.maxRatio ?? 200;
  const parts = {
    sheet: { maxBytes: limits.maxSheetBytes ?? clamp(limits.maxRows * 2048, 8 * MiB, 256 * MiB), maxRatio },
    sharedStrings: { maxBytes: limits.maxSharedStringsBytes ?? clamp(limits.maxRows * 640, 4 * MiB, 64 * MiB), maxRatio },
  };
  const table = new TableBuilder(limits);
  let seen = 0;
  for await (const row of firstSheetRows(buf, parts)) {
    const cells: string[] = [];
    const formulaColumns: number[] = [];
    for (const cell of row.cells) {
      if (cell.col > table.maxColumns) {
        if (cell.text !== '') throw table.tooWide();
        continue;
      }
      while (cells.length < cell.col - 1) cells.push('');
      cells[cell.col - 1] = cell.text;
      if (cell.formula) formulaColumns.push(cell.col - 1);
    }
    while (cells.length < table.headers.length) cells.push('');
    table.add(row.number, cells, formulaColumns);
    if (++seen % ROWS_PER_TURN === 0) await nextTurn();
  }
  return { headers: table.headers, rows: table.rows };
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
async function readCsv(text: string, limits: TableReadLimits): Promise<ReadTable> {
  const table = new TableBuilder(limits);
  let field = '';
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  const push = () => {
    if (record.length >= table.maxColumns) {
      if (field.trim() !== '') throw table.tooWide();
    } else record.push(field);
    field = '';
  };
  const end = () => {
    const cells = record.map((c) => c.trim());
    // A leading = + - @ would be a formula in a spreadsheet program: treat as one.
    const formulaColumns = cells.flatMap((c, idx) => (/^[=+@]/.test(c) || /^-[^\d]/.test(c) ? [idx] : []));
    table.add(line++, cells, formulaColumns);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    if (i % CHARS_PER_TURN === 0 && i > 0) await nextTurn();
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') push();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      push();
      end();
    } else field += ch;
  }
  if (field !== '' || record.length) {
    push();
    end();
  }
  return { headers: table.headers, rows: table.rows };
}

/** Build an .xlsx from headers and rows; `extraSheets` for code lists in templates. */
export async function writeXlsx(
  sheetName: string,
  headers: string[],
  rows: Array<Array<string | number | null>>,
  extraSheets: Array<{ name: string; headers: string[]; rows: Array<Array<string | number | null>> }> = [],
): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  for (const s of [{ name: sheetName, headers, rows }, ...extraSheets]) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => {
      c.width = 18;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
