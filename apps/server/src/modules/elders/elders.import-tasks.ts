import type { TableReadLimits } from '../../lib/spreadsheet.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import type { EncodedRow } from './elders.import-rows.ts';
import type { ImportRowError } from './elders.schema.ts';
import type { SheetKey } from './elders.sheet.ts';

/** Read the uploaded file in a worker: its bytes are handed over (transferred), not copied. */
export interface ReadTask {
  file: ArrayBuffer;
  filename: string;
  limits: TableReadLimits;
  batchRows: number;
}

export interface ReadResult {
  headers: string[];
  totalRows: number;
  /** The first formula cells (row, 0-based column) and how many there are. */
  formulas: Array<{ row: number; col: number }>;
  formulaCount: number;
  /** The data rows, `batchRows` at a time, as UTF-8 JSON of `RawRow[]`. */
  batches: ArrayBuffer[];
}

export interface EncodeTask {
  batch: ArrayBuffer;
  cols: Array<[SheetKey, number]>;
  communities: string[];
  /** The field-encryption secret (FieldCipher.keyForWorker); the thread builds the same cipher. */
  key: Uint8Array;
}

export interface EncodeResult {
  /** Rows in the batch. */
  rows: number;
  good: EncodedRow[];
  errors: ImportRowError[];
}

/**
 * The worker module: the TypeScript source beside this file when the server runs from its
 * sources, the `.mjs` that scripts/build-server.mjs emits beside main.mjs in the bundle (where
 * `import.meta.url` is main.mjs's).
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./elders.import-worker.ts', import.meta.url)
  : new URL('./elders-import-worker.mjs', import.meta.url);

let pool: WorkerPool | undefined;

/** The process's import threads (started on first use). */
export function importPool(): WorkerPool {
  pool ??= new WorkerPool(WORKER_ENTRY);
  return pool;
}
