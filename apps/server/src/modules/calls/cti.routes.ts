import { ctiContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { AppError, badRequest } from '../../lib/errors.ts';
import { signatureValid } from '../devices/device-secret.ts';
import { applyCtiEvent } from './cti.service.ts';
import { routeCall } from './routing.service.ts';

const MAX_CTI_BYTES = 64 * 1024;
const TIMESTAMP_WINDOW_S = 300;
const badSignature = (detail: string) => new AppError(401, 'Unauthorized', detail, undefined, 'bad-signature');
const INVALID_JSON = Symbol('invalid-json');

declare module 'fastify' {
  interface FastifyRequest {
    ctiRawBody?: Buffer;
  }
}

/**
 * The same HMAC may come base64url-encoded (`sha256=` and 43 characters): Kamailio's crypto module
 * gives that form (deploy/telephony/kamailio.cfg). It is read as the hex it stands for.
 */
function hexSignature(sig: string): string {
  const b64 = /^sha256=([A-Za-z0-9_-]{43})$/.exec(sig)?.[1];
  return b64 ? `sha256=${Buffer.from(b64, 'base64url').toString('hex')}` : sig;
}

/**
 * The telephony's signed routes (CTI contract v1, docs/cti.md): events in and the routing
 * question. Signed like the device HTTP intake: `X-Timestamp` (Unix seconds, within 300 s) and
 * `X-Signature: sha256=<hex HMAC-SHA256("{timestamp}.{raw body}", CTI_SECRET)>` (or the same
 * HMAC in base64url), checked on the
 * raw bytes before the body is read. Without CTI_SECRET they answer 404. This plugin keeps its
 * own JSON parser (scoped to it) so the raw bytes are at hand.
 */
const signedRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_CTI_BYTES }, (req, body, done) => {
    const raw = body as Buffer;
    req.ctiRawBody = raw;
    try {
      done(null, raw.length ? JSON.parse(raw.toString('utf8')) : {});
    } catch {
      done(null, INVALID_JSON);
    }
  });
  app.addHook('preValidation', async (req) => {
    const secret = ctx.config.ctiSecret;
    if (!secret)
      throw new AppError(404, 'Not Found', 'CTI is not configured on this server (CTI_SECRET).', undefined, 'no-route');
    const ts = req.headers['x-timestamp'];
    const sig = req.headers['x-signature'];
    if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts)) throw badSignature('X-Timestamp: Unix seconds required.');
    if (Math.abs(Date.now() / 1000 - Number(ts)) > TIMESTAMP_WINDOW_S)
      throw badSignature('X-Timestamp is more than 300 s from server time.');
    if (!signatureValid(secret, ts, req.ctiRawBody ?? Buffer.alloc(0), typeof sig === 'string' ? hexSignature(sig) : undefined)) {
      req.log.warn({ ip: req.ip, route: req.routeOptions.url }, 'CTI request refused: bad signature');
      throw badSignature('X-Signature does not match.');
    }
    if (req.body === INVALID_JSON) throw badRequest('The body is not valid JSON.', undefined, 'invalid-json');
  });
  registerRoute(app, api.ctiEvent, (req) => applyCtiEvent(ctx, req.body), { bodyLimit: MAX_CTI_BYTES });
  registerRoute(app, api.ctiRoute, (req) => routeCall(ctx, req.body), { bodyLimit: MAX_CTI_BYTES });
};

/** The built-in phone simulator: an unsigned event from a supervisor, through the very same intake. */
const simulatorRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('preValidation', async () => {
    if (!(ctx.config.ctiSimulator ?? !ctx.config.production))
      throw new AppError(
        404,
        'Not Found',
        'The phone simulator is off in production (CTI_SIMULATOR=on turns it on).',
        undefined,
        'no-route',
      );
  });
  registerRoute(app, api.simulatorEvent, (req) => {
    const actor = actorOf(req);
    return applyCtiEvent(ctx, req.body, { actor, audit: 'cti.simulate' });
  });
};

export const ctiRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(signedRoutes, { ctx });
  await app.register(simulatorRoutes, { ctx });
};
