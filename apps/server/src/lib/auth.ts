import { type Action, can, type Role } from '@zhiyang/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { touchSession } from '../modules/auth/auth.repo.ts';
import type { Actor } from './actor.ts';
import type { AppContext } from './context.ts';
import { sha256Hex } from './crypto.ts';
import { AppError, forbidden, unauthorized } from './errors.ts';

export const SESSION_COOKIE = 'zy_session';

/**
 * Per-route access, declared in the route's `config`:
 * - `{ auth: 'public' }` — no login (health, device intake with its own signature, disclosure pages);
 * - `{ permission: 'user:write' }` — login and that permission from the role table;
 * - nothing — any logged-in user.
 * `allowWithExpiredPassword` lets a user who must change the password reach the route.
 */
export interface RouteAccess {
  auth?: 'public';
  permission?: Action;
  allowWithExpiredPassword?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    mustChangePassword: boolean;
  }
  interface FastifyContextConfig extends RouteAccess {}
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
 * lifetime, revoked, or the account disabled). `touch: false` checks without extending it.
 */
export async function resolveActor(ctx: AppContext, token: string, ip?: string, opts: { touch?: boolean } = {}) {
  const id = sha256Hex(token);
  const limits = { idleMinutes: ctx.config.sessionIdleMinutes, maxHours: ctx.config.sessionMaxHours ?? 12 };
  const row = await touchSession(ctx.db, id, limits, opts.touch ?? true);
  if (row?.user.status !== 'active') return null;
  const actor: Actor = {
    id: row.user.id,
    username: row.user.username,
    displayName: row.user.displayName,
    role: row.user.role,
    regionCode: row.user.regionCode,
    orgId: row.user.orgId,
    ip,
  };
  return { actor, sessionId: id, mustChangePassword: row.user.mustChangePassword };
}

export const authPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('mustChangePassword', false);
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
    if (access?.permission && !can(req.actor.role as Role, access.permission)) {
      throw forbidden(`Your role may not ${access.permission.replace(':', ' ')}.`);
    }
  });
});

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}
