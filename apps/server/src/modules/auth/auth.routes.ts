import { ACTIONS, ROLES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, SESSION_COOKIE } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import * as auth from './auth.service.ts';

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  orgId: z.string().nullable(),
  mustChangePassword: z.boolean(),
  permissions: z.array(z.enum(ACTIONS)),
});

const loginBody = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const authRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/auth/login',
    {
      config: {
        audit: 'auth.login',
        auth: 'public',
        // Per address and username: a call centre behind one NAT address must not lock itself out,
        // while guessing one account's password stays slow (and the account locks after 5 failures).
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req) =>
            `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie and returns a bearer token',
        body: loginBody,
        response: { 200: z.object({ token: z.string(), user: meSchema }) },
      },
    },
    async (req, reply) => {
      const result = await auth.login(ctx, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        path: '/',
      });
      return result;
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { auth: 'user', audit: 'auth.logout', allowWithExpiredPassword: true },
      schema: { tags: ['auth'], summary: 'End this session' },
    },
    async (req, reply) => {
      await auth.logout(ctx, actorOf(req), req.sessionId ?? '');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { auth: 'user', allowWithExpiredPassword: true },
      schema: { tags: ['auth'], summary: 'Who am I', response: { 200: meSchema } },
    },
    async (req) => auth.me(ctx, actorOf(req)),
  );

  app.post(
    '/auth/change-password',
    {
      config: {
        auth: 'user',
        audit: 'auth.change-password',
        allowWithExpiredPassword: true,
        rateLimit: { max: 20, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (required at first login)',
        body: z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }),
      },
    },
    async (req, reply) => {
      await auth.changePassword(ctx, actorOf(req), req.sessionId ?? '', req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send();
    },
  );
};
