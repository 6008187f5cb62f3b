import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import { actorOf } from './auth.ts';
import type { AppContext } from './context.ts';
import { AppError } from './errors.ts';
import { type ReadTable, readTable, type TableReadLimits } from './spreadsheet.ts';
import { uploadedFile } from './upload.ts';

/** Imports running at once in one process when IMPORT_CONCURRENCY is not set. */
export const DEFAULT_IMPORT_CONCURRENCY = 2;
/** Seconds an import's upload may take when IMPORT_UPLOAD_SECONDS is not set: a trickled upload holds a place. */
export const DEFAULT_IMPORT_UPLOAD_SECONDS = 180;

/** Lets an import keep its place after the route has answered (work that goes on in the background). */
export interface ImportSlot {
  /** Keep the place until `work` settles instead of releasing it when the route's callback returns. */
  holdUntil(work: Promise<unknown>): void;
}

export interface UploadedTable {
  filename: string;
  table: ReadTable;
}

/** Who is importing now, per app (one process). Kept beside the context rather than in it: only imports need it. */
class ImportGate {
  private readonly users = new Set<string>();
  private running = 0;
  constructor(readonly capacity: number) {}

  get size() {
    return this.running;
  }

  acquire(userKey: string): () => void {
    if (this.users.has(userKey))
      throw new AppError(
        429,
        'Too Many Requests',
        'You already have an import running; wait for it to finish (the import page shows its progress), then upload again.',
        undefined,
        'import-running',
      );
    if (this.running >= this.capacity)
      throw new AppError(
        429,
        'Too Many Requests',
        `The server is already running ${this.capacity} imports, its limit; try again in a minute.`,
        undefined,
        'import-capacity',
      );
    this.users.add(userKey);
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users.delete(userKey);
      this.running--;
    };
  }
}

const gates = new WeakMap<AppContext, ImportGate>();
const gateOf = (ctx: AppContext) => {
  let gate = gates.get(ctx);
  if (!gate) {
    gate = new ImportGate(ctx.config.importConcurrency ?? DEFAULT_IMPORT_CONCURRENCY);
    gates.set(ctx, gate);
  }
  return gate;
};

/**
 * Give the event loop a turn (HTTP requests, MQTT, alarm timers) between rows of an import. Call it
 * every few rows of any per-row work: on PGlite a database call resolves without a turn of the
 * loop, so an import that only awaits the database would still hold the whole process.
 */
export const letOthersRun = (): Promise<void> => nextTurn();

/** Imports holding a place now in this app (tests, diagnostics). */
export const importsRunning = (ctx: AppContext) => gateOf(ctx).size;

/**
 * The one way a route reads an uploaded table (multipart field "file", .xlsx or .csv): it takes
 * an import place first — one per user, IMPORT_CONCURRENCY per process, else a 429 before the
 * upload is read — then receives the file under `limits.maxBytes` within IMPORT_UPLOAD_SECONDS
 * (else 408), reads it with `readTable`
 * (streamed, capped, bomb-checked) and runs `work` with the table. The place is released when
 * `work` settles, or later if `work` hands background work to `slot.holdUntil`.
 */
export async function withUploadedTable<T>(
  ctx: AppContext,
  req: FastifyRequest,
  limits: TableReadLimits,
  work: (upload: UploadedTable, slot: ImportSlot) => Promise<T>,
): Promise<T> {
  return withUploadedFile(ctx, req, limits.maxBytes, async ({ filename, data }, slot) =>
    work({ filename, table: await readTable(data, filename, limits) }, slot),
  );
}

/**
 * `withUploadedTable` for a route that reads the file itself, off the event loop (the elder
 * import reads it with `readTable` in a worker thread): the same import place, size cap and
 * upload deadline, and `work` gets the file's bytes.
 */
export async function withUploadedFile<T>(
  ctx: AppContext,
  req: FastifyRequest,
  maxBytes: number,
  work: (upload: { filename: string; data: Buffer }, slot: ImportSlot) => Promise<T>,
): Promise<T> {
  const actor = actorOf(req);
  const release = gateOf(ctx).acquire(actor.id ?? actor.username);
  let held: Promise<unknown> | undefined;
  try {
    const file = await uploadedFile(req, maxBytes, {
      deadlineSeconds: ctx.config.importUploadSeconds ?? DEFAULT_IMPORT_UPLOAD_SECONDS,
    });
    return await work(file, {
      holdUntil(p) {
        held = p;
      },
    });
  } finally {
    if (held) held.then(release, release);
    else release();
  }
}
