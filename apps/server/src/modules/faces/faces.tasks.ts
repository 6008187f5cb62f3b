import { AppError } from '../../lib/errors.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import type { PhotoFigures, PhotoRefusal } from './faces.engine.ts';
import type { FrameReading } from './faces.liveness.ts';

/** One photo's bytes, handed over (transferred) to the thread. */
export interface AnalyseTask {
  photo: ArrayBuffer;
}

export type AnalyseResult =
  | { ok: true; descriptor: ArrayBuffer; figures: PhotoFigures; ms: number }
  | { ok: false; reason: PhotoRefusal; figures?: Partial<PhotoFigures>; ms: number };

/** A liveness answer's frames, handed over to the thread. */
export interface LivenessTask {
  frames: ArrayBuffer[];
}

export interface LivenessTaskResult {
  frames: Array<
    | (Extract<FrameReading, { ok: true }> extends infer R ? Omit<R, 'descriptor'> & { descriptor: ArrayBuffer } : never)
    | Extract<FrameReading, { ok: false }>
  >;
  ms: number;
}

const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./faces.worker.ts', import.meta.url)
  : new URL('./faces-worker.mjs', import.meta.url);

let pool: WorkerPool | undefined;

/**
 * The face threads of this process: one, started on first use. The model takes ~150 MB and a
 * frame ~0.2–1 s of one core, so a second thread would only compete with the first on a
 * 2-core machine; requests queue in the thread's inbox instead of on the event loop.
 */
export function facePool(): WorkerPool {
  pool ??= new WorkerPool(WORKER_ENTRY, 1);
  return pool;
}

/**
 * Photos waiting for or in the face thread. Each holds up to 2 MiB until its turn, and a kiosk
 * waits ~0.2–1 s a photo, so past this many the answer is a 429 at once rather than a queue that
 * grows with every retry.
 */
export const MAX_QUEUED_PHOTOS = 16;
let queued = 0;

/** Run the pipeline on one photo off the event loop. */
export async function analyseInWorker(photo: Uint8Array) {
  if (queued >= MAX_QUEUED_PHOTOS)
    throw new AppError(429, 'Too Many Requests', 'The face pipeline is busy; try again in a moment.', undefined, 'rate-limited');
  queued++;
  try {
    return await analyse(photo);
  } finally {
    queued--;
  }
}

async function analyse(photo: Uint8Array) {
  // A copy with its own buffer (a small Buffer is a view into a shared pool, which cannot be transferred).
  const copy = new Uint8Array(photo).buffer as ArrayBuffer;
  const r = await facePool().run<AnalyseResult>('analyse', { photo: copy } satisfies AnalyseTask, [copy]);
  return r.ok ? { ...r, descriptor: new Float32Array(r.descriptor) } : r;
}

/**
 * Read a liveness answer's frames off the event loop, in one task (the thread reads them one
 * after another).
 */
export async function readFramesInWorker(frames: Uint8Array[]) {
  // A frame is at most a fifth of a photo's bytes: three frames weigh as one photo in the queue.
  const weight = Math.ceil(frames.length / 3);
  if (queued + weight > MAX_QUEUED_PHOTOS)
    throw new AppError(429, 'Too Many Requests', 'The face pipeline is busy; try again in a moment.', undefined, 'rate-limited');
  queued += weight;
  try {
    const copies = frames.map((f) => new Uint8Array(f).buffer as ArrayBuffer);
    const r = await facePool().run<LivenessTaskResult>('liveness', { frames: copies } satisfies LivenessTask, copies);
    return {
      ms: r.ms,
      frames: r.frames.map((f) => (f.ok ? { ...f, descriptor: new Float32Array(f.descriptor) } : f)),
    };
  } finally {
    queued -= weight;
  }
}

/** End the face threads (tests, shutdown). */
export async function closeFacePool() {
  await pool?.close();
  pool = undefined;
}
