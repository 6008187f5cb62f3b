import { ROLES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import * as usersService from './users.service.ts';

const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  regionCode: z.string().nullable(),
  orgId: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code')
  .nullable();
const fields = {
  displayName: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  regionCode: regionCode.optional(),
  orgId: z.uuid().nullable().optional(),
  phone: z
    .string()
    .regex(/^[0-9+\-\s]{5,20}$/, 'a phone number')
    .nullable()
    .optional(),
};
const idParam = z.object({ id: z.uuid() });

export const userRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/users',
    {
      config: { permission: 'user:read' },
      schema: {
        tags: ['users'],
        querystring: pageQuery.extend({
          q: z.string().max(50).optional(),
          role: z.enum(ROLES).optional(),
          status: z.enum(['active', 'disabled']).optional(),
        }),
        response: { 200: listOf(userSchema) },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return usersService.listUsers(ctx, actorOf(req), f, limit, page);
    },
  );
  app.get(
    '/users/:id',
    { config: { permission: 'user:read' }, schema: { tags: ['users'], params: idParam, response: { 200: userSchema } } },
    async (req) => usersService.getUser(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/users',
    {
      config: { audit: 'user.create', permission: 'user:write' },
      schema: {
        tags: ['users'],
        summary: 'Create an account; without `password` one is generated and returned once',
        body: z.strictObject({
          username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, '3–32 letters, digits, dot, dash or underscore'),
          ...fields,
          password: z.string().min(1).max(128).optional(),
        }),
        response: { 201: z.object({ user: userSchema, initialPassword: z.string().optional() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await usersService.createUser(ctx, actorOf(req), req.body)),
  );
  app.patch(
    '/users/:id',
    {
      config: { audit: 'user.update', permission: 'user:write' },
      schema: {
        tags: ['users'],
        params: idParam,
        body: z.strictObject({ ...fields, status: z.enum(['active', 'disabled']) }).partial(),
        response: { 200: userSchema },
      },
    },
    async (req) => usersService.updateUser(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/users/:id/reset-password',
    {
      config: { audit: 'user.reset-password', permission: 'user:write' },
      schema: { tags: ['users'], params: idParam, response: { 200: z.object({ temporaryPassword: z.string() }) } },
    },
    async (req) => usersService.resetPassword(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/users/:id/unlock',
    {
      config: { audit: 'user.unlock', permission: 'user:write' },
      schema: {
        tags: ['users'],
        summary: 'End the login lock of an account (from every address); audited',
        params: idParam,
        response: { 200: userSchema },
      },
    },
    async (req) => usersService.unlockUser(ctx, actorOf(req), req.params.id),
  );
};
