import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './auth.ts';
import { AppError } from './errors.ts';

/** The header the web console sends with every API call; a cross-site form cannot send it. */
export const CLIENT_HEADER = 'x-zhiyang-client';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const crossSite = (detail: string) => new AppError(403, 'Forbidden', detail, undefined, 'cross-site-request');

/** Whether `origin` is this server: PUBLIC_URL when configured, else the host the request came to. */
function isOwnOrigin(origin: string, req: FastifyRequest, publicUrl: string | undefined): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (publicUrl) return url.origin === publicUrl;
  // Without PUBLIC_URL the scheme cannot be known behind a TLS-terminating proxy, so the host
  // (with port) decides; req.host follows X-Forwarded-Host only from a trusted proxy.
  try {
    return new URL(`${url.protocol}//${req.host}`).host === url.host;
  } catch {
    return false;
  }
}

/**
 * Cross-site request forgery and cross-site WebSocket hijacking guard (see the operator notes).
 * For an unsafe method (POST/PUT/PATCH/DELETE), or a WebSocket upgrade with the session cookie,
 * that is not authenticated by `Authorization: Bearer` (the same precedence as tokenFrom in auth.ts):
 * - `Sec-Fetch-Site` present and not `same-origin`/`none` → 403;
 * - `Origin` present and not this server's origin → 403;
 * - with the session cookie and neither header, an HTTP write must carry `X-Zhiyang-Client`
 *   (a custom header needs a CORS preflight, which this server never grants) → else 403.
 * Bearer clients and signed device intake (no cookie, no browser headers) pass unchanged.
 */
export const csrfPlugin = fp(async (app: FastifyInstance, opts: { publicUrl?: string }) => {
  app.addHook('onRequest', (req, _reply, done) => {
    try {
      refuseCrossSite(req);
    } catch (err) {
      return done(err as Error);
    }
    done();
  });

  function refuseCrossSite(req: FastifyRequest): void {
    const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
    const cookie = Boolean(req.cookies?.[SESSION_COOKIE]);
    // A WebSocket carries no body to forge; only one riding on the cookie can be hijacked.
    if (!UNSAFE.has(req.method) && !(upgrade && cookie)) return;
    if (req.headers.authorization?.startsWith('Bearer ')) return;
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw crossSite(`Requests from another site are refused (Sec-Fetch-Site: ${site}).`);
    if (origin !== undefined && !isOwnOrigin(origin, req, opts.publicUrl))
      throw crossSite('Requests from another origin are refused.');
    if (upgrade || site !== undefined || origin !== undefined || !cookie) return;
    // A browser always sends Origin with a write; this is an old browser or a script using the cookie.
    if (req.headers[CLIENT_HEADER] === undefined)
      throw crossSite(`A request authenticated by the session cookie needs an Origin or the ${CLIENT_HEADER} header.`);
  }
});
