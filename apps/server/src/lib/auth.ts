import { type Action, can as canRole, type Role } from '@zhiyang/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { touchSession, touchSessions } from '../modules/auth/auth.repo.ts';
import {
  type CachedSession,
  existingSessionCache,
  SESSION_CACHE_TTL_MS,
  type SessionCache,
  sessionCacheFor,
  TOUCH_FLUSH_MS,
} from '../modules/auth/session-cache.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { sha256Hex } from './crypto.ts';
import { AppError, forbidden, unauthorized } from './errors.ts';

export const SESSION_COOKIE = 'zy_session';

/**
 * Per-route access, declared in the route's `config` — every route declares exactly one of:
 * - `{ auth: 'public' }` — no login (health, device intake with its own signature, disclosure pages);
 * - `{ auth: 'user' }` — any logged-in user (me, logout, password change, own notifications …);
 * - `{ permission: 'user:write' }` — login and that permission from the role table.
 * A route that declares none fails at startup (see `checkRouteDeclarations`).
 * `allowWithExpiredPassword` lets a user who must change the password reach the route.
 *
 * Audit: every write route (POST/PUT/PATCH/DELETE) declares `audit: '<action>'` — a 2xx answer
 * must have written at least one audit entry (lib/audit-guard.ts checks it) — or `audit: false`
 * with `noAudit: '<why>'` for the few that must not (login is audited by its own service, device
 * intake is not a user's change …).
 */
export interface RouteAccess {
  auth?: 'public' | 'user';
  permission?: Action;
  allowWithExpiredPassword?: boolean;
  audit?: string | false;
  /** Why a write route records no audit entry (required with `audit: false`). */
  noAudit?: string;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One registered route and what it declares (the route-table tests read these). */
export interface DeclaredRoute {
  method: string;
  url: string;
  config: RouteAccess;
  hidden: boolean;
}

export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method);
}

/** What is wrong with a route's declarations, or null when it declares access (and audit, if a write). */
export function declarationProblem(r: DeclaredRoute): string | null {
  const c = r.config;
  const declared = [c.auth, c.permission].filter((v) => v !== undefined).length;
  if (declared !== 1) return 'declares neither or both of `auth` and `permission`';
  if (c.auth === 'public' && c.permission) return 'is public and has a permission';
  if (isWriteMethod(r.method) && r.url.startsWith('/api/')) {
    if (c.audit === undefined) return 'is a write without `audit` (an action, or false with `noAudit`)';
    if (c.audit === false && !c.noAudit) return 'has `audit: false` without a `noAudit` reason';
  }
  return null;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    mustChangePassword: boolean;
  }
  interface FastifyContextConfig extends RouteAccess {}
  interface FastifyInstance {
    /** Every route registered, with its declarations (for the route-table tests). */
    routeTable: DeclaredRoute[];
  }
}

/** The token from `Authorization: Bearer …`, or the session cookie, or the `token` query (WebSocket clients). */
export function tokenFrom(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim() || null;
  const c = req.cookies?.[SESSION_COOKIE];
  if (c) return c;
  return null;
}

/**
 * The actor behind a session token, or null when the session is over (idle, past its absolute
 * lifetime, revoked, or the account disabled). `touch: false` checks without extending it and
 * always asks the database (the WebSocket hub's re-check). Otherwise the answer comes from the
 * process's session cache (modules/auth/session-cache.ts) when it holds the session: dropped
 * within the NOTIFY's delay when the user's access changes, reloaded every few seconds anyway,
 * with activity written back in batches.
 */
export async function resolveActor(ctx: AppContext, token: string, ip?: string, opts: { touch?: boolean } = {}) {
  const id = sha256Hex(token);
  const limits = { idleMinutes: ctx.config.sessionIdleMinutes, maxHours: ctx.config.sessionMaxHours ?? 12 };
  const touch = opts.touch ?? true;
  const cache = touch ? existingSessionCache(ctx.events) : undefined;
  if (!cache) {
    const row = await touchSession(ctx.db, id, limits, touch);
    if (row?.user.status !== 'active') return null;
    return resolved(cachedFrom(row, Date.now()), ip);
  }
  const now = Date.now();
  let entry = cache.get(id, now);
  // Idle or too old by what this process knows: the database decides (another process may have seen activity).
  if (entry && (now - entry.lastSeenAt >= limits.idleMinutes * 60_000 || now - entry.createdAt >= limits.maxHours * 3_600_000)) {
    cache.delete(id);
    entry = undefined;
  }
  entry ??=
    (await cache.load(id, async () => {
      const row = await touchSession(ctx.db, id, limits, false);
      return row?.user.status === 'active' ? cachedFrom(row, Date.now()) : null;
    })) ?? undefined;
  if (!entry) return null;
  cache.noteActivity(entry, now);
  return resolved(entry, ip);
}

function cachedFrom(row: NonNullable<Awaited<ReturnType<typeof touchSession>>>, now: number): CachedSession {
  const u = row.user;
  return {
    sessionId: row.session.id,
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      regionCode: u.regionCode,
      orgId: u.orgId,
      mustChangePassword: u.mustChangePassword,
    },
    createdAt: row.session.createdAt.getTime(),
    lastSeenAt: row.session.lastSeenAt.getTime(),
    lastWrittenAt: row.session.lastSeenAt.getTime(),
    loadedAt: now,
  };
}

function resolved(e: CachedSession, ip: string | undefined) {
  const u = e.user;
  const actor: Actor = {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    regionCode: u.regionCode,
    orgId: u.orgId,
    ip,
  };
  return { actor, sessionId: e.sessionId, mustChangePassword: u.mustChangePassword };
}

/** Write the activity the session cache collected (one UPDATE for every session due). */
async function flushTouches(ctx: AppContext, cache: SessionCache) {
  const due = cache.takeDue();
  if (due.length === 0) return;
  try {
    await touchSessions(ctx.db, due);
  } catch (err) {
    ctx.log.warn({ err, sessions: due.length }, 'auth: writing session activity failed');
  }
}

export const authPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('mustChangePassword', false);
  const table: DeclaredRoute[] = [];
  app.decorate('routeTable', table);
  // The session cache of this process (none with SESSION_CACHE_SECONDS=0, or without an event bus as
  // in the route-table tests: then every request asks the database, as before).
  const cacheSeconds = opts.ctx.config?.sessionCacheSeconds ?? SESSION_CACHE_TTL_MS / 1000;
  if (opts.ctx.events && cacheSeconds > 0) {
    const cache = sessionCacheFor(opts.ctx.events, cacheSeconds * 1000);
    const flusher = setInterval(() => void flushTouches(opts.ctx, cache), TOUCH_FLUSH_MS);
    flusher.unref();
    app.addHook('onClose', async () => {
      clearInterval(flusher);
      await flushTouches(opts.ctx, cache);
    });
  }
  app.addHook('onRoute', (route) => {
    // HEAD twins of GET routes and the OpenAPI UI's own routes follow their GET / the document.
    if (route.url.startsWith('/api/docs')) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const config = (route.config ?? {}) as RouteAccess;
    for (const method of methods) {
      const r = { method, url: route.url, config, hidden: Boolean((route.schema as { hide?: boolean })?.hide) };
      const problem = declarationProblem(r);
      if (problem) throw new Error(`Route ${method} ${route.url} ${problem} (see RouteAccess in lib/auth.ts)`);
      table.push(r);
    }
  });
  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    const access = req.routeOptions.config as RouteAccess | undefined;
    const token = tokenFrom(req);
    if (token) {
      const resolved = await resolveActor(opts.ctx, token, req.ip);
      if (resolved) {
        req.actor = resolved.actor;
        req.sessionId = resolved.sessionId;
        req.mustChangePassword = resolved.mustChangePassword;
      }
    }
    // The OpenAPI UI's own routes (/api/docs/*) are public like the document itself.
    if (access?.auth === 'public' || !req.routeOptions.url || req.routeOptions.url.startsWith('/api/docs')) return;
    if (!req.actor) throw unauthorized(token ? 'Your session has expired; log in again.' : 'Log in first.');
    if (req.mustChangePassword && !access?.allowWithExpiredPassword) {
      throw new AppError(
        403,
        'Password change required',
        'Change your password before doing anything else.',
        undefined,
        'password-change-required',
      );
    }
    if (access?.permission && !canRole(req.actor.role as Role, access.permission)) {
      throw forbidden(`Your role may not ${access.permission.replace(':', ' ')}.`);
    }
  });
});

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
