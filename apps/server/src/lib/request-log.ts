import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, Logger } from 'pino';

/**
 * What Fastify logs of each request. Its default is two `info` lines per request ("incoming
 * request", "request completed"), each through the redaction and scrubbing of lib/logger.ts: on
 * the regions list that halved the requests a process answers a second (measured in
 * docs/performance.md). An access log of every request is the reverse proxy's job
 * (docs/deploy.md); the server's log at `info` keeps what someone reads it for:
 * - a request answered with a server error, or slower than `slowMs`: one `info` line with the
 *   method, the scrubbed URL, the status and the time it took;
 * - a request whose answer failed to be sent: one `error` line, as before;
 * - every other request: the two lines at `debug` (LOG_LEVEL=debug logs every request again).
 */
export class RequestLogController extends LogController {
  constructor(private readonly slowMs: number) {
    super();
  }

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = reply.elapsedTime;
    if (error) {
      reply.log.error({ req: request, res: reply, err: error, responseTime }, 'request errored');
      return;
    }
    if (reply.statusCode >= 500 || responseTime >= this.slowMs) {
      const what = reply.statusCode >= 500 ? 'request failed' : 'slow request';
      reply.log.info({ req: request, res: reply, responseTime }, what);
    } else {
      reply.log.debug({ res: reply, responseTime }, 'request completed');
    }
  }
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger that becomes a real child logger only when something is logged at a level
 * that is on. Fastify gives every request a child logger with the request's id; making one costs
 * pino a pass over the bindings through the redaction (a deep copy each time), and most requests
 * never log a line.
 */
class RequestLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindingsOf: Bindings,
  ) {}

  #real(): Logger {
    this.#child ??= this.parent.child(this.bindingsOf);
    return this.#child;
  }

  #log(level: Level, args: unknown[]): void {
    const target = this.#child ?? this.parent;
    if (!target.isLevelEnabled(level)) return;
    (this.#real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): LevelWithSilentOrString {
    return (this.#child ?? this.parent).level;
  }
  set level(level: LevelWithSilentOrString) {
    this.#real().level = level;
  }
  isLevelEnabled(level: LevelWithSilentOrString): boolean {
    return (this.#child ?? this.parent).isLevelEnabled(level);
  }
  bindings(): Bindings {
    return this.#child ? this.#child.bindings() : { ...this.parent.bindings(), ...this.bindingsOf };
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
  flush(cb?: (err?: Error) => void): void {
    this.parent.flush(cb);
  }
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }
  error(...args: unknown[]): void {
    this.#log('error', args);
  }
  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }
  info(...args: unknown[]): void {
    this.#log('info', args);
  }
  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }
  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }
  silent(): void {}
}

/**
 * Fastify's `childLoggerFactory`: the request's logger made on first use (see RequestLogger). A
 * route with its own log options (a level) gets its child at once.
 */
export function requestChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  for (const _ in options) return logger.child(bindings, options);
  return new RequestLogger(logger as Logger, bindings) as unknown as FastifyBaseLogger;
}
