import type ExcelJS from 'exceljs';
import { badRequest } from './errors.ts';

export interface TableReadLimits {
  maxBytes: number;
  maxRows: number;
}

export interface ReadTable {
  headers: string[];
  /** Data rows (header row excluded) as trimmed strings; `rowNumber` is the 1-based sheet row. */
  rows: Array<{ rowNumber: number; cells: string[]; formulaColumns: number[] }>;
}

/** ExcelJS is loaded on first use: it takes ~0.3 s to load, and start-up must not pay for it. */
let excel: Promise<typeof ExcelJS> | undefined;
const loadExcel = () => {
  excel ??= import('exceljs').then((m) => m.default);
  return excel;
};

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Read the first sheet of an .xlsx or a UTF-8 .csv into strings. Hostile files are refused
 * with a 400: over the size or row cap, a CSV renamed to .xlsx, a broken archive. Formula
 * cells are reported per row (callers refuse them) rather than evaluated.
 */
export async function readTable(buf: Buffer, filename: string, limits: TableReadLimits): Promise<ReadTable> {
  if (buf.length === 0) throw badRequest('The file is empty.');
  if (buf.length > limits.maxBytes) throw badRequest(`The file is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB.`);
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) {
    if (!isZip(buf)) throw badRequest('The file is named .xlsx but is not an Excel workbook (is it a CSV renamed?).');
    return readXlsx(buf, limits);
  }
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) {
    if (isZip(buf)) throw badRequest('The file is named .csv but is an Excel workbook; name it .xlsx.');
    return readCsv(buf.toString('utf8').replace(/^\uFEFF/, ''), limits);
  }
  throw badRequest('Upload an .xlsx or .csv file.');
}

async function readXlsx(buf: Buffer, limits: TableReadLimits): Promise<ReadTable> {
  const Excel = await loadExcel();
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw badRequest('The workbook cannot be read; save it again as .xlsx.');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('The workbook has no sheet.');
  if (ws.actualRowCount - 1 > limits.maxRows) throw badRequest(`The sheet has more than ${limits.maxRows} rows.`);
  let headers: string[] = [];
  const rows: ReadTable['rows'] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    const formulaColumns: number[] = [];
    const width = Math.max(row.cellCount, headers.length);
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      if (cell.formula || cell.type === Excel.ValueType.Formula) formulaColumns.push(c - 1);
      cells.push(cellText(cell.value));
    }
    if (headers.length === 0) headers = cells.map((h) => h.trim());
    else if (cells.some((v) => v !== '')) rows.push({ rowNumber, cells, formulaColumns });
  });
  return { headers, rows };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return v.result === undefined ? '' : String(v.result).trim();
    return '';
  }
  return String(v).trim();
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
function readCsv(text: string, limits: TableReadLimits): ReadTable {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (records.length > limits.maxRows + 1) throw badRequest(`The file has more than ${limits.maxRows} rows.`);
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const [head = [], ...body] = records;
  const rows: ReadTable['rows'] = [];
  body.forEach((cells, i) => {
    const trimmed = cells.map((c) => c.trim());
    if (trimmed.some((c) => c !== '')) {
      // A leading = + - @ would be a formula in a spreadsheet program: treat as one.
      const formulaColumns = trimmed.flatMap((c, idx) => (/^[=+@]/.test(c) || /^-[^\d]/.test(c) ? [idx] : []));
      rows.push({ rowNumber: i + 2, cells: trimmed, formulaColumns });
    }
  });
  return { headers: head.map((h) => h.trim()), rows };
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
