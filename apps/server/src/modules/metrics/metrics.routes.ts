import { timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../../lib/context.ts';
import { AppError, unauthorized } from '../../lib/errors.ts';
import { processRegistry } from '../../lib/metrics.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import type { ModuleRouteOptions } from '../module.ts';

/** The app's own metrics: request durations, and what is read from the database at each scrape. */
function appRegistry(ctx: AppContext) {
  const register = new Registry();
  const httpDuration = new Histogram({
    name: 'zhiyang_http_request_duration_seconds',
    help: 'HTTP request durations by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  new Gauge({
    name: 'zhiyang_queue_jobs',
    help: 'pg-boss jobs per queue and state (ready: waiting to run now; deferred: scheduled later; active; failed: retained failures).',
    labelNames: ['queue', 'state'] as const,
    registers: [register],
    async collect() {
      this.reset();
      if (!ctx.boss) return;
      for (const q of await ctx.boss.getQueues()) {
        this.set({ queue: q.name, state: 'ready' }, q.readyCount);
        this.set({ queue: q.name, state: 'deferred' }, q.deferredCount);
        this.set({ queue: q.name, state: 'active' }, q.activeCount);
        this.set({ queue: q.name, state: 'failed' }, q.failedCount);
      }
    },
  });
  new Gauge({
    name: 'zhiyang_alarms_open',
    help: 'Open alarms by priority (P1 life-safety … P4).',
    labelNames: ['priority'] as const,
    registers: [register],
    async collect() {
      this.reset();
      const rows = await queryRows<{ priority: string; n: number }>(
        ctx.db,
        sql`SELECT priority, count(*)::int AS n FROM alarms WHERE open GROUP BY priority`,
      );
      for (const r of rows) this.set({ priority: r.priority }, r.n);
    },
  });
  const ackRatio = new Gauge({
    name: 'zhiyang_alarm_ack_within_60s_ratio',
    help: 'Share of the alarms raised in the last 24 h (and due: acknowledged, or older than 60 s) that were acknowledged within 60 s; 1 when there were none.',
    registers: [register],
    async collect() {
      const [r] = await queryRows<{ due: number; within60: number }>(
        ctx.db,
        sql`SELECT count(*)::int AS due,
                   count(*) FILTER (WHERE acknowledged_at <= raised_at + interval '60 seconds')::int AS within60
              FROM alarms
             WHERE raised_at > now() - interval '24 hours'
               AND (acknowledged_at IS NOT NULL OR raised_at < now() - interval '60 seconds')`,
      );
      this.set(r && r.due > 0 ? r.within60 / r.due : 1);
      alarmsDue.set(r?.due ?? 0);
    },
  });
  const alarmsDue = new Gauge({
    name: 'zhiyang_alarms_due_24h',
    help: 'Alarms of the last 24 h counted in zhiyang_alarm_ack_within_60s_ratio.',
    registers: [register],
  });
  void ackRatio;
  return { register, httpDuration };
}

/** METRICS_TOKEN as a bearer token, or the caller's address in METRICS_ALLOW. */
function allowed(ctx: AppContext, req: FastifyRequest): boolean {
  const m = ctx.config.metrics;
  if (!m) return false;
  const auth = req.headers.authorization;
  if (m.token && auth?.startsWith('Bearer ')) {
    const a = Buffer.from(auth.slice(7));
    const b = Buffer.from(m.token);
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
  }
  // req.ip honours TRUST_PROXY: behind nginx it is the client's address, never the proxy's.
  return Boolean(m.allow?.length && allowList(m.allow).check(...ipOf(req.ip)));
}

const lists = new WeakMap<string[], BlockList>();
/** METRICS_ALLOW as a BlockList: addresses, CIDRs, and `loopback`. */
function allowList(entries: string[]): BlockList {
  let list = lists.get(entries);
  if (list) return list;
  list = new BlockList();
  for (const e of entries) {
    if (e === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [ip, prefix] = e.split('/');
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(ip)) continue;
    if (prefix === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(prefix), family);
  }
  lists.set(entries, list);
  return list;
}

/** An IPv4 client seen through an IPv6 socket (::ffff:10.0.0.5) is checked as IPv4. */
function ipOf(ip: string): [string, 'ipv4' | 'ipv6'] {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return [v4[1], 'ipv4'];
  return [ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4'];
}

/**
 * GET /api/v1/metrics in Prometheus text format, answered by every process (like the health
 * check): a web process its request durations, a gateway its device intake, a worker its job
 * failures, and each the queue depths, alarm SLA and its event-loop lag. Off (404) until
 * METRICS_TOKEN or METRICS_ALLOW is set; otherwise 401 without the token from an address not listed.
 * Registered with fastify-plugin so the timing hook sees every API route of the app.
 */
export const metricsRoutes = fp(
  async (app: FastifyInstance, { ctx }: ModuleRouteOptions) => {
    const { register, httpDuration } = appRegistry(ctx);
    app.addHook('onResponse', (req, reply, done) => {
      // The route pattern, not the URL: ids must not make a label per record.
      const route = req.routeOptions.url ?? 'unmatched';
      httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
    app.get(
      '/metrics',
      {
        config: { auth: 'public' },
        schema: { tags: ['health'], summary: 'Prometheus metrics of this process (METRICS_TOKEN or METRICS_ALLOW)', hide: true },
      },
      async (req, reply) => {
        if (!ctx.config.metrics)
          throw new AppError(404, 'Not Found', 'Metrics are off: set METRICS_TOKEN or METRICS_ALLOW.', undefined, 'no-route');
        if (!allowed(ctx, req)) {
          reply.header('www-authenticate', 'Bearer');
          throw unauthorized('A metrics token (Authorization: Bearer) or an allowed address is required.');
        }
        const merged = Registry.merge([processRegistry, register]);
        return reply.type(merged.contentType).send(await merged.metrics());
      },
    );
  },
  { name: 'zhiyang-metrics' },
);
