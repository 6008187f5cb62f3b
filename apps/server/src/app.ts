import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { auditGuardPlugin } from './lib/audit-guard.ts';
import { authPlugin } from './lib/auth.ts';
import type { AppContext } from './lib/context.ts';
import { FieldCipher } from './lib/crypto.ts';
import { csrfPlugin } from './lib/csrf.ts';
import { notFoundHandler, problemErrorHandler } from './lib/errors.ts';
import { EventBus } from './lib/events.ts';
import { inputGuardPlugin } from './lib/input-guard.ts';
import { RequestLogController, requestChildLogger } from './lib/request-log.ts';
import { securityHeaders } from './lib/security-headers.ts';
import { databaseRateLimitStore } from './modules/auth/rate-limit.store.ts';
import type { BrokerState } from './modules/health/health.routes.ts';
import { registerTimelineSources, routeModulesFor } from './modules/index.ts';
import { type RealtimeOptions, registerRealtime } from './realtime/hub.ts';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  boss?: PgBoss | null;
  broker?: BrokerState;
  /** An EventBus already started (main.ts); otherwise one is created and started here. */
  events?: EventBus;
  /** The WebSocket hub's options (tests shorten its periodic session check). */
  realtime?: RealtimeOptions;
}

const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Build the HTTP app for the process's ROLES: a `web` process serves the whole API, the
 * WebSocket, the API docs and the console; a process without `web` (a worker or a gateway)
 * answers only GET /api/v1/health. main.ts and the tests call the same function.
 */
export async function buildApp(opts: BuildAppOptions): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const events = opts.events ?? new EventBus(opts.database);
  if (!opts.events) await events.start();
  const ctx: AppContext = {
    config: opts.config,
    database: opts.database,
    db: opts.database.db,
    events,
    cipher: new FieldCipher(opts.config.secretKey),
    boss: opts.boss ?? null,
    log: opts.logger,
  };

  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // Request lines at debug unless slow or failed, and a request's logger made on first use (lib/request-log.ts).
    logController: new RequestLogController(opts.config.logSlowRequestMs ?? 1000),
    childLoggerFactory: requestChildLogger,
    bodyLimit: 1024 * 1024,
    // Fastify gives each plugin 10 s to start. On a loaded machine (a CI run with browsers beside
    // it) Swagger UI once took longer, and the server refused to start at all: better slow than down.
    pluginTimeout: 60_000,
    // X-Forwarded-* only from the configured proxies (TRUST_PROXY), else a client could pick its own address.
    trustProxy: opts.config.trustProxy?.length ? opts.config.trustProxy : false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await app.register(securityHeaders, {
    mapTileUrl: opts.config.mapTileUrl,
    mapLabelTileUrl: opts.config.mapLabelTileUrl,
    sipWsUrl: opts.config.sipWsUrl,
  });

  await app.register(fastifyCookie);
  // Counted in the database: several web processes share each client's count (rate-limit.store.ts).
  await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(ctx) });
  await app.register(fastifyMultipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 10 } });
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Zhiyang 智养 API',
        version: '1',
        description: 'Smart elderly-care service platform. Conventions: docs/api-conventions.md in the Zhiyang repository.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'zy_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const web = opts.config.roles.has('web');
  if (web) await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await app.register(csrfPlugin, { publicUrl: opts.config.publicUrl });
  await app.register(inputGuardPlugin);
  await app.register(authPlugin, { ctx });
  await app.register(auditGuardPlugin, { strict: opts.config.auditStrict ?? false });

  if (web) app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      const broker = opts.broker ?? (() => 'disabled');
      registerTimelineSources();
      for (const m of routeModulesFor(opts.config.roles)) if (m.routes) await api.register(m.routes, { ctx, broker });
    },
    { prefix: '/api/v1' },
  );
  if (web) await registerRealtime(app, ctx, opts.realtime);

  const webDist = opts.config.webDist ?? DEFAULT_WEB_DIST;
  if (web && existsSync(path.join(webDist, 'index.html'))) {
    // serve: false — only the public catch-all below sends files, so every path passes the same checks.
    await app.register(fastifyStatic, { root: webDist, serve: false, index: false });
    // Single-page app: every non-API GET that is not a file gets index.html.
    app.get('/*', { config: { auth: 'public' }, schema: { hide: true } }, async (req, reply) => {
      if (req.url.startsWith('/api/')) return notFoundHandler(req, reply);
      let rel = '';
      try {
        rel = decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, '');
      } catch {
        // A malformed escape is just not a file.
      }
      const file = path.join(webDist, rel);
      if (rel && !rel.includes('..') && existsSync(file) && statSync(file).isFile()) {
        // Vite names every file under assets/ by a hash of its content: a browser keeps it for good and
        // a returning operator's console starts without asking again. Other files (early.js, the icon)
        // keep their names across builds, so the browser checks them each time.
        return rel.startsWith('assets/')
          ? reply.sendFile(rel, { maxAge: '365d', immutable: true })
          : reply.sendFile(rel, { maxAge: 0, immutable: false });
      }
      return reply.type('text/html').sendFile('index.html', { maxAge: 0, immutable: false });
    });
  }

  app.addHook('onClose', async () => {
    if (!opts.events) await events.stop();
  });
  return { app: app as unknown as FastifyInstance, ctx };
}
