// Worker thread of the elder import (lib/worker-pool.ts): reads the uploaded workbook and checks
// and encodes rows off the event loop. Bundled as dist/elders-import-worker.mjs by
// scripts/build-server.mjs. It holds no database connection and no state beyond the ciphers.
import { FieldCipher } from '../../lib/crypto.ts';
import { readTable, type TableReadLimits } from '../../lib/spreadsheet.ts';
import { serveTasks } from '../../lib/worker-pool.ts';
import { encodeRows, type RawRow } from './elders.import-rows.ts';
import type { EncodeResult, EncodeTask, ReadResult, ReadTask } from './elders.import-tasks.ts';

const ciphers = new Map<string, FieldCipher>();
const cipherFor = (key: Uint8Array) => {
  const k = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const id = k.toString('base64');
  let c = ciphers.get(id);
  if (!c) {
    c = new FieldCipher(k);
    ciphers.set(id, c);
  }
  return c;
};

serveTasks({
  /** The whole table under the caps, handed back as JSON batches the main thread passes on unread. */
  async read(task: ReadTask) {
    const limits: TableReadLimits = task.limits;
    const table = await readTable(Buffer.from(task.file), task.filename, limits);
    const formulas: ReadResult['formulas'] = [];
    let formulaCount = 0;
    for (const r of table.rows)
      for (const c of r.formulaColumns) {
        if (formulas.length < 5) formulas.push({ row: r.rowNumber, col: c });
        formulaCount++;
      }
    const encoder = new TextEncoder();
    const batches: ArrayBuffer[] = [];
    for (let i = 0; i < table.rows.length; i += task.batchRows) {
      const rows: RawRow[] = table.rows.slice(i, i + task.batchRows).map((r) => [r.rowNumber, r.cells]);
      batches.push(encoder.encode(JSON.stringify(rows)).buffer as ArrayBuffer);
    }
    const result: ReadResult = { headers: table.headers, totalRows: table.rows.length, formulas, formulaCount, batches };
    return { result, transfer: batches };
  },
  encode(task: EncodeTask) {
    const rows = JSON.parse(new TextDecoder().decode(task.batch)) as RawRow[];
    const result: EncodeResult = {
      rows: rows.length,
      ...encodeRows(cipherFor(task.key), rows, task.cols, new Set(task.communities)),
    };
    return { result };
  },
});
