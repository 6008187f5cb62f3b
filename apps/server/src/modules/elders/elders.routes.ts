import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoInstant } from '../../lib/dates.ts';
import { listOf } from '../../lib/http.ts';
import * as contacts from './contacts.service.ts';
import * as c from './elders.contract.ts';
import { TOTAL_CAP } from './elders.repo.ts';
import * as elders from './elders.service.ts';
import { elderIoRoutes } from './elders-io.routes.ts';
import * as family from './family.service.ts';
import { readTimeline } from './timeline.ts';

const tags = ['elders'];

export const elderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(elderIoRoutes, { ctx });
  app.get(
    '/elders',
    {
      config: { permission: 'elder:read' },
      schema: {
        tags,
        summary: 'Search the archive (masked identifiers)',
        querystring: c.elderListQuery,
        response: {
          200: listOf(c.elderListItem).extend({
            totalCapped: z.boolean().describe(`true when more than ${TOTAL_CAP} match; total is then ${TOTAL_CAP}`),
          }),
        },
      },
    },
    async (req) => {
      const { limit, page, ...f } = req.query;
      return elders.listElders(ctx, actorOf(req), f, limit, page);
    },
  );
  app.post(
    '/elders',
    {
      config: { audit: 'elder.create', permission: 'elder:write' },
      schema: { tags, summary: 'Create an elder record', body: c.createElderBody, response: { 201: c.elderSchema } },
    },
    async (req, reply) => reply.code(201).send(await elders.createElder(ctx, actorOf(req), req.body)),
  );
  app.get(
    '/elders/:id',
    {
      config: { permission: 'elder:read' },
      schema: { tags, summary: 'One record (audited read)', params: c.idParam, response: { 200: c.elderSchema } },
    },
    async (req) => elders.getElder(ctx, actorOf(req), req.params.id),
  );
  app.patch(
    '/elders/:id',
    {
      config: { audit: 'elder.update', permission: 'elder:write' },
      schema: { tags, params: c.idParam, body: c.updateElderBody, response: { 200: c.elderSchema } },
    },
    async (req) => elders.updateElder(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/elders/:id/status',
    {
      config: { audit: 'elder.status-change', permission: 'elder:write' },
      schema: {
        tags,
        summary: 'Change status (active, moved away, in hospital, deceased); publishes elder.status-changed',
        params: c.idParam,
        body: c.statusBody,
        response: { 200: c.elderSchema },
      },
    },
    async (req) => elders.changeStatus(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/elders/:id/reveal',
    {
      config: { audit: 'elder.reveal', permission: 'elder:reveal' },
      schema: {
        tags,
        summary: 'Show full ID number / phones (audited with the reason)',
        params: c.idParam,
        body: c.revealBody,
        response: {
          200: z.object({
            idNumber: z.string().nullable().optional(),
            phone: z.string().nullable().optional(),
            contacts: z.array(z.object({ id: z.string(), name: z.string(), phone: z.string() })).optional(),
          }),
        },
      },
    },
    async (req) => elders.revealElder(ctx, actorOf(req), req.params.id, req.body.fields, req.body.reason),
  );
  app.get(
    '/elders/:id/brief',
    {
      config: { auth: 'user' },
      schema: {
        tags,
        summary: 'Minimum fields for a provider or worker serving the elder through an order',
        params: c.idParam,
        response: { 200: c.elderBriefSchema },
      },
    },
    async (req) => elders.getElderBrief(ctx, actorOf(req), req.params.id),
  );
  app.get(
    '/elders/:id/timeline',
    {
      config: { permission: 'elder:read' },
      schema: {
        tags,
        summary: '360° timeline merged from every registered source',
        params: c.idParam,
        querystring: z.object({
          before: isoInstant('filter').optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ items: z.array(c.timelineEntry), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await elders.getElderForTimeline(ctx, actor, req.params.id);
      const before = req.query.before ? new Date(req.query.before) : new Date(Date.now() + 1000);
      return readTimeline(ctx, req.params.id, { before, limit: req.query.limit, actor });
    },
  );

  // ---- contacts ----
  app.get(
    '/elders/:id/contacts',
    { config: { permission: 'elder:read' }, schema: { tags, params: c.idParam, response: { 200: z.array(c.contactSchema) } } },
    async (req) => contacts.listContacts(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/elders/:id/contacts',
    {
      config: { audit: 'elder.contact.create', permission: 'elder:write' },
      schema: {
        tags,
        summary: 'Add a guardian or emergency contact',
        params: c.idParam,
        body: c.contactBody,
        response: { 201: z.array(c.contactSchema) },
      },
    },
    async (req, reply) => reply.code(201).send(await contacts.addContact(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/elders/:id/contacts/:contactId',
    {
      config: { audit: 'elder.contact.update', permission: 'elder:write' },
      schema: { tags, params: c.contactParam, body: c.contactBody.partial(), response: { 200: z.array(c.contactSchema) } },
    },
    async (req) => contacts.updateContact(ctx, actorOf(req), req.params.id, req.params.contactId, req.body),
  );
  app.delete(
    '/elders/:id/contacts/:contactId',
    {
      config: { audit: 'elder.contact.delete', permission: 'elder:write' },
      schema: { tags, params: c.contactParam, response: { 200: z.array(c.contactSchema) } },
    },
    async (req) => contacts.deleteContact(ctx, actorOf(req), req.params.id, req.params.contactId),
  );
  app.put(
    '/elders/:id/contacts/order',
    {
      config: { audit: 'elder.contact.reorder', permission: 'elder:write' },
      schema: {
        tags,
        summary: 'Set the call order of all contacts (used by the alarm centre)',
        params: c.idParam,
        body: z.strictObject({ ids: z.array(z.uuid()).max(10) }),
        response: { 200: z.array(c.contactSchema) },
      },
    },
    async (req) => contacts.reorderContacts(ctx, actorOf(req), req.params.id, req.body.ids),
  );

  // ---- family binding ----
  app.post(
    '/elders/:id/invite-codes',
    {
      config: { auth: 'user', audit: 'elder.invite-code.create' },
      schema: {
        tags,
        summary: 'A single-use family invite code (staff who may edit the elder, or the elder)',
        params: c.idParam,
        response: { 201: z.object({ code: z.string(), expiresAt: z.string() }) },
      },
    },
    async (req, reply) => reply.code(201).send(await family.createInviteCode(ctx, actorOf(req), req.params.id)),
  );
  app.post(
    '/family/bind',
    {
      config: { auth: 'user', audit: 'family.bind', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'A family account binds to an elder with an invite code',
        body: z.strictObject({ code: z.string().trim().min(4).max(20) }),
        response: { 200: z.object({ elderId: z.string(), name: z.string() }) },
      },
    },
    async (req) => family.bindFamily(ctx, actorOf(req), req.body.code),
  );
};
