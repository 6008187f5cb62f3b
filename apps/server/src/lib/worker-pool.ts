import { availableParallelism } from 'node:os';
import { parentPort, type Transferable, Worker } from 'node:worker_threads';
import { AppError } from './errors.ts';

/** What a task handler in a worker returns: its result and the buffers to hand over rather than copy. */
export interface TaskAnswer {
  result: unknown;
  transfer?: Transferable[];
}

type Handlers = Record<string, (task: never) => Promise<TaskAnswer> | TaskAnswer>;

interface Request {
  id: number;
  kind: string;
  task: unknown;
}

type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; status?: number; title?: string; code?: string } };

/** Worker threads for CPU work of this process: one per core beyond the main thread's, 1–4. */
export const defaultPoolSize = () => Math.max(1, Math.min(4, availableParallelism() - 1));

/** Seconds a pool with nothing to do keeps its threads (each holds its own copy of the modules it loaded). */
const IDLE_SECONDS = 30;

interface Slot {
  worker: Worker;
  running: Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>;
}

/**
 * A small pool of worker threads that all run one entry module (which calls `serveTasks`). A task
 * goes to the least busy thread; a thread that dies fails its own tasks and is replaced on the
 * next one. Threads start on first use, do not keep the process alive, and end after
 * IDLE_SECONDS without work.
 *
 * `entry` is the worker's module: a `.ts` file when the server runs from its sources (loaded
 * through tsx, as the server is), the `.mjs` that scripts/build-server.mjs emits beside main.mjs
 * in the bundle.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly entry: URL,
    readonly size = defaultPoolSize(),
  ) {}

  run<T>(kind: string, task: unknown, transfer: Transferable[] = []): Promise<T> {
    clearTimeout(this.idle);
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      slot.running.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ id, kind, task } satisfies Request, transfer);
    });
  }

  /** End every thread (tests, shutdown); tasks still running fail. */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pick(): Slot {
    let best: Slot | undefined;
    for (const s of this.slots) if (!best || s.running.size < best.running.size) best = s;
    if (best && (best.running.size === 0 || this.slots.length >= this.size)) return best;
    return this.start();
  }

  private start(): Slot {
    const ts = this.entry.pathname.endsWith('.ts');
    const worker = new Worker(this.entry, { execArgv: ts ? ['--import', 'tsx'] : [] });
    worker.unref();
    const slot: Slot = { worker, running: new Map() };
    this.slots.push(slot);
    worker.on('message', (reply: Reply) => {
      const waiting = slot.running.get(reply.id);
      if (!waiting) return;
      slot.running.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else {
        const e = reply.error;
        waiting.reject(
          e.status
            ? new AppError(e.status, e.title ?? 'Bad Request', e.message, undefined, e.code as never)
            : new Error(e.message),
        );
      }
      this.maybeIdle();
    });
    const fail = (err: unknown) => {
      this.slots = this.slots.filter((s) => s !== slot);
      for (const w of slot.running.values()) w.reject(err instanceof Error ? err : new Error(`worker stopped: ${String(err)}`));
      slot.running.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    return slot;
  }

  private maybeIdle() {
    if (this.slots.some((s) => s.running.size > 0)) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => void this.close(), IDLE_SECONDS * 1000);
    this.idle.unref();
  }
}

/** In a worker's entry module: answer the pool's tasks with these handlers, one message at a time. */
export function serveTasks(handlers: Handlers): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks() runs in a worker thread');
  port.on('message', async ({ id, kind, task }: Request) => {
    try {
      const handler = handlers[kind];
      if (!handler) throw new Error(`no task ${kind}`);
      const answer = await handler(task as never);
      port.postMessage({ id, ok: true, result: answer.result } satisfies Reply, answer.transfer ?? []);
    } catch (err) {
      const app = err instanceof AppError ? err : undefined;
      port.postMessage({
        id,
        ok: false,
        error: {
          message: err instanceof Error ? err.message : String(err),
          ...(app && { status: app.status, title: app.title, code: app.code }),
        },
      } satisfies Reply);
    }
  });
}
