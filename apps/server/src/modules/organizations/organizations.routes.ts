import { ORG_TYPES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { listOf, pageQuery } from '../../lib/http.ts';
import * as orgs from './organizations.service.ts';

const orgSchema = z.object({
  id: z.string(),
  type: z.enum(ORG_TYPES),
  name: z.string(),
  regionCode: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  status: z.enum(['active', 'suspended', 'closed']),
});
const phone = z
  .string()
  .regex(/^[0-9+\-\s]{5,20}$/, 'a phone number')
  .nullable();
const orgBody = z.strictObject({
  type: z.enum(ORG_TYPES),
  name: z.string().trim().min(1).max(200),
  regionCode: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code'),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: phone.optional(),
  address: z.string().trim().max(300).nullable().optional(),
  status: z.enum(['active', 'suspended', 'closed']).optional(),
});
const idParam = z.object({ id: z.uuid() });

export const organizationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/organizations',
    {
      config: { permission: 'org:read' },
      schema: {
        tags: ['organizations'],
        querystring: pageQuery.extend({
          type: z.enum(ORG_TYPES).optional(),
          regionCode: z
            .string()
            .regex(/^\d{1,12}$/)
            .optional(),
          q: z.string().max(50).optional(),
        }),
        response: { 200: listOf(orgSchema) },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return orgs.listOrgs(ctx, actorOf(req), f, limit, page);
    },
  );
  app.get(
    '/organizations/:id',
    { config: { permission: 'org:read' }, schema: { tags: ['organizations'], params: idParam, response: { 200: orgSchema } } },
    async (req) => orgs.getOrg(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/organizations',
    {
      config: { audit: 'org.create', permission: 'org:write' },
      schema: { tags: ['organizations'], body: orgBody, response: { 201: orgSchema } },
    },
    async (req, reply) => reply.code(201).send(await orgs.createOrg(ctx, actorOf(req), req.body)),
  );
  app.patch(
    '/organizations/:id',
    {
      config: { audit: 'org.update', permission: 'org:write' },
      schema: { tags: ['organizations'], params: idParam, body: orgBody.partial(), response: { 200: orgSchema } },
    },
    async (req) => orgs.updateOrg(ctx, actorOf(req), req.params.id, req.body),
  );
};
