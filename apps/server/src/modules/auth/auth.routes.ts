import { authContract as api } from '@zhiyang/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, SESSION_COOKIE } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as auth from './auth.service.ts';
import * as phone from './phone-login.service.ts';

/** The session cookie a password or code login sets: HttpOnly, SameSite=Strict, Secure over HTTPS. */
function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', path: '/' });
}

/** Login, logout, me and the password change: schemas, access and audit come from the shared contract. */
export const authRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(
    app,
    api.login,
    async (req, reply) => {
      const result = await auth.login(ctx, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      setSessionCookie(req, reply, result.token);
      return result;
    },
    {
      config: {
        // Per address and username: a call centre behind one NAT address must not lock itself out,
        // while guessing one account's password stays slow (and the account locks after 5 failures).
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req: { ip: string; body?: unknown }) =>
            `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
    },
  );

  registerRoute(
    app,
    api.requestPhoneCode,
    async (req, reply) => {
      try {
        return reply.code(202).send(await phone.requestPhoneCode(ctx, { phone: req.body.phone, ip: req.ip }));
      } catch (err) {
        if (err instanceof phone.PhoneCodeRateLimited) reply.header('retry-after', String(err.retryAfter));
        throw err;
      }
    },
    // Per address, a burst guard in front of the per-number and per-address limits kept in the database.
    { config: { rateLimit: { max: 10, timeWindow: '1 minute', hook: 'preHandler' } } },
  );
  registerRoute(
    app,
    api.loginWithPhoneCode,
    async (req, reply) => {
      const result = await phone.loginWithPhoneCode(ctx, {
        ...req.body,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      });
      setSessionCookie(req, reply, result.token);
      return result;
    },
    // Guessing is bounded by 5 tries per code and 5 codes per hour per number; this caps bursts per address.
    { config: { rateLimit: { max: 20, timeWindow: '1 minute', hook: 'preHandler' } } },
  );
  registerRoute(app, api.logout, async (req, reply) => {
    await auth.logout(ctx, actorOf(req), req.sessionId ?? '');
    return reply.clearCookie(SESSION_COOKIE, { path: '/' }).send();
  });

  registerRoute(app, api.me, (req) => auth.me(ctx, actorOf(req)));

  registerRoute(
    app,
    api.changePassword,
    async (req, reply) => {
      await auth.changePassword(ctx, actorOf(req), req.sessionId ?? '', req.body.currentPassword, req.body.newPassword);
      return reply.send();
    },
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
  );
};
