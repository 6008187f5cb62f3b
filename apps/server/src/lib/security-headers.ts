import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Hashes (`'sha256-…'`, from `scriptHash()`) of the fixed inline scripts an HTML page of this
     * route carries; they are added to its script-src. No other inline script runs anywhere.
     */
    cspScriptHashes?: string[];
  }
}

export interface SecurityHeadersOptions {
  /** MAP_TILE_URL: its host is the one outside origin images may come from. */
  mapTileUrl?: string;
  /** MAP_LABEL_TILE_URL: a second tile host (usually the same as the first). */
  mapLabelTileUrl?: string;
  /** SIP_WS_URL: Kamailio's SIP over WebSocket, which the console's softphone connects to. */
  sipWsUrl?: string;
}

/** The CSP source of a fixed inline script, for `config.cspScriptHashes`. */
export function scriptHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/**
 * The img-src source for a Leaflet tile URL template. A `{s}` (or any template) in the first
 * host label becomes the wildcard `*.` (`https://{s}.tile.example.org/{z}/{x}/{y}.png` →
 * `https://*.tile.example.org`). CSP has no wildcard in a later label, so a template there
 * widens to the scheme alone (`https:`) and `note` says so. A host CSP cannot express gives null.
 */
export function tileImageSource(template: string | undefined): { source: string | null; note?: string } {
  if (!template) return { source: null };
  const m = /^(https?):\/\/([^/?#]+)/.exec(template);
  if (!m || !/^[A-Za-z0-9.\-{}]+(:\d+)?$/.test(m[2])) {
    return { source: null, note: 'MAP_TILE_URL has a host the Content-Security-Policy cannot name; tiles will be blocked' };
  }
  const [, scheme, authority] = m;
  const labels = authority.split('.');
  if (labels.slice(1).some((l) => l.includes('{'))) {
    return { source: `${scheme}:`, note: `MAP_TILE_URL has a template inside its host; img-src allows any ${scheme}: image` };
  }
  if (labels[0].includes('{')) labels[0] = '*';
  return { source: `${scheme}://${labels.join('.')}` };
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The Content-Security-Policy of every page this server sends (the operators' notes are in docs/security.md). */
export function contentSecurityPolicy(opts: {
  tileSource?: string | null;
  /** Another image source (the label layer's host), when it differs from the tiles'. */
  labelSource?: string | null;
  host?: string;
  https?: boolean;
  scriptHashes?: string[];
  /** Another WebSocket the pages may open: the softphone's SIP_WS_URL (scheme, host and port). */
  sipSource?: string | null;
}): string {
  // 'self' covers same-origin WebSockets in current browsers; the explicit ws(s) source is for older ones.
  const socket = opts.host && HOST.test(opts.host) ? `${opts.https ? 'wss' : 'ws'}://${opts.host}` : '';
  const directives: Array<[string, ...string[]]> = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(opts.scriptHashes ?? [])],
    ['script-src-attr', "'none'"],
    // antd (CSS-in-JS) and Leaflet set inline styles; styles cannot run script.
    ['style-src', "'self'", "'unsafe-inline'"],
    [
      'img-src',
      "'self'",
      'data:',
      'blob:',
      ...(opts.tileSource ? [opts.tileSource] : []),
      ...(opts.labelSource && opts.labelSource !== opts.tileSource ? [opts.labelSource] : []),
    ],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'", ...(socket ? [socket] : []), ...(opts.sipSource ? [opts.sipSource] : [])],
    ['media-src', "'self'", 'blob:'],
    ['worker-src', "'self'"],
    ['manifest-src', "'self'"],
    ['frame-src', "'none'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

export const PERMISSIONS_POLICY = [
  // The worker page takes visit photos and checks in with the phone's position.
  'camera=(self)',
  'geolocation=(self)',
  // The agent console's softphone (docs/telephony.md) talks through the microphone.
  'microphone=(self)',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'bluetooth=()',
  'midi=()',
  'display-capture=()',
].join(', ');

/** The Content-Security-Policy of a JSON answer (the API's data and problems): nothing loads, nothing frames it. */
export const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A JSON answer (`application/json`, `application/problem+json`, …), not a document a browser renders. */
function isData(contentType: unknown): boolean {
  const type = String(contentType ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * One place for the browser security headers of every response the server sends (pages,
 * static files, the API, Swagger UI at /api/docs, errors): HSTS on HTTPS requests, nosniff,
 * X-Frame-Options and Referrer-Policy on all; documents (everything but JSON) a strict
 * Content-Security-Policy (no inline script; outside images only from the map tile host),
 * Permissions-Policy and Cross-Origin-Opener-Policy; JSON answers `DATA_POLICY`.
 */
export const securityHeaders = fp(
  async (app: FastifyInstance, opts: SecurityHeadersOptions) => {
    const tile = tileImageSource(opts.mapTileUrl);
    if (tile.note) app.log.warn(tile.note);
    const label = tileImageSource(opts.mapLabelTileUrl);
    if (label.note) app.log.warn(label.note);
    const sip = opts.sipWsUrl ? /^(wss?:\/\/[A-Za-z0-9.\-[\]:]+)/.exec(opts.sipWsUrl)?.[1] : undefined;
    // The policy depends only on the host, the scheme and the route's script hashes: built once
    // per combination, not on every response (a few hosts in practice; bounded all the same).
    const policies = new Map<string, string>();
    const policyFor = (host: string, https: boolean, scriptHashes: string[] | undefined) => {
      const key = `${https ? 's' : ''}|${host}|${scriptHashes?.join(' ') ?? ''}`;
      let policy = policies.get(key);
      if (policy === undefined) {
        policy = contentSecurityPolicy({
          tileSource: tile.source,
          labelSource: label.source,
          host,
          https,
          scriptHashes,
          sipSource: sip,
        });
        if (policies.size >= 256) policies.clear();
        policies.set(key, policy);
      }
      return policy;
    };
    app.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
      // req.protocol follows the trustProxy setting: behind a proxy it is the client's scheme.
      const https = req.protocol === 'https';
      if (https) reply.header('strict-transport-security', 'max-age=31536000');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'same-origin');
      if (isData(reply.getHeader('content-type'))) {
        // JSON is data, never a document: it may load nothing and be framed nowhere. The page
        // policy, Permissions-Policy and Cross-Origin-Opener-Policy govern documents only, and
        // would add some 900 bytes to every API answer.
        reply.header('content-security-policy', DATA_POLICY);
        return done(null, payload);
      }
      reply.header('content-security-policy', policyFor(req.host, https, req.routeOptions.config?.cspScriptHashes));
      reply.header('permissions-policy', PERMISSIONS_POLICY);
      reply.header('cross-origin-opener-policy', 'same-origin');
      done(null, payload);
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
