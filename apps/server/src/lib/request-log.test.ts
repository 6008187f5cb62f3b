import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { RequestLogController, requestChildLogger } from './request-log.ts';

/** A Fastify app logging as the server's does (lib/logger.ts, lib/request-log.ts), into `lines`. */
async function appLogging(level: string, slowMs: number) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()));
      cb();
    },
  });
  const app = Fastify({
    loggerInstance: createLogger(level, sink) as FastifyBaseLogger,
    logController: new RequestLogController(slowMs),
    childLoggerFactory: requestChildLogger,
  });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/boom', async () => {
    throw new Error('broken on purpose');
  });
  app.get('/noted', async (req) => {
    req.log.info({ step: 'noted' }, 'handler says %s', 'hello');
    req.log.child({ part: 'inner' }).warn('inner warning');
    return { bindings: (req.log as unknown as { bindings(): Record<string, unknown> }).bindings() };
  });
  await app.ready();
  apps.push(app);
  return { app, lines };
}
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

describe('what a request writes to the log', () => {
  it('at info, a quick successful request writes nothing; a failed one writes its method, scrubbed URL, status and time', async () => {
    const { app, lines } = await appLogging('info', 1000);
    expect((await app.inject('/ok?q=13912345678')).statusCode).toBe(200);
    expect((await app.inject('/boom?q=13912345678')).statusCode).toBe(500);
    // Lines are written in order: once the failed request's line is there, the quick one's would be too.
    await expect.poll(() => lines.some((l) => l.msg === 'request failed')).toBe(true);
    const failed = lines.find((l) => l.msg === 'request failed') as Record<string, { [k: string]: unknown }>;
    expect(failed.req).toMatchObject({ method: 'GET', url: '/boom?q=[phone]' });
    expect(failed.res).toEqual({ statusCode: 500 });
    expect(typeof failed.responseTime).toBe('number');
    expect(failed.reqId).toBeTruthy();
    expect(lines.filter((l) => JSON.stringify(l).includes('/ok'))).toEqual([]);
    expect(lines.map((l) => l.msg)).not.toContain('incoming request');
    expect(JSON.stringify(lines)).not.toContain('13912345678');
  });

  it('at info, a request slower than the threshold writes one line with its URL', async () => {
    const { app, lines } = await appLogging('info', 0);
    await app.inject('/ok?token=abc');
    await expect.poll(() => lines.filter((l) => l.msg === 'slow request').length).toBe(1);
    expect(lines.find((l) => l.msg === 'slow request')?.req).toMatchObject({ url: '/ok?token=[redacted]' });
  });

  it('at debug, every request writes its incoming and completed lines, as Fastify does by default', async () => {
    const { app, lines } = await appLogging('debug', 1000);
    await app.inject('/ok');
    await expect.poll(() => lines.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(lines[0].reqId).toBe(lines[1].reqId);
  });

  it("a handler's own lines carry the request's id, at the levels that are on, children included", async () => {
    const { app, lines } = await appLogging('info', 1000);
    const res = await app.inject('/noted');
    const noted = lines.find((l) => l.msg === 'handler says hello');
    expect(noted).toMatchObject({ step: 'noted', level: 30 });
    expect(noted?.reqId).toBeTruthy();
    expect(lines.find((l) => l.msg === 'inner warning')).toMatchObject({ part: 'inner', reqId: noted?.reqId });
    expect(res.json().bindings).toMatchObject({ reqId: noted?.reqId });

    const quiet = await appLogging('warn', 1000);
    await quiet.app.inject('/noted');
    await expect.poll(() => quiet.lines.map((l) => l.msg)).toEqual(['inner warning']);
  });
});
