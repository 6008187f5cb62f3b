import { eldersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { encodeAnswer } from '../../lib/encoded-answer.ts';
import * as contacts from './contacts.service.ts';
import * as elders from './elders.service.ts';
import { elderIoRoutes } from './elders-io.routes.ts';
import * as family from './family.service.ts';

/** The elder archive, contacts and family binding: schemas, access and audit come from the shared contract. */
export const elderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(elderIoRoutes, { ctx });
  registerRoute(app, api.listElders, (req) => {
    const { limit, page, count, ...f } = req.query;
    // Kept pages are kept encoded (elders.service.ts): most list requests send bytes already built.
    return elders.listElders(ctx, actorOf(req), f, limit, page, count, (answer) => encodeAnswer(api.listElders, answer));
  });
  registerRoute(app, api.createElder, (req) => elders.createElder(ctx, actorOf(req), req.body));
  registerRoute(app, api.getElder, (req) => elders.getElder(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateElder, (req) => elders.updateElder(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.changeStatus, (req) => elders.changeStatus(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.reveal, (req) => elders.revealElder(ctx, actorOf(req), req.params.id, req.body.fields, req.body.reason));
  registerRoute(app, api.getBrief, (req) => elders.getElderBrief(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.timeline, (req) => elders.elderTimeline(ctx, actorOf(req), req.params.id, req.query));

  registerRoute(app, api.listContacts, (req) => contacts.listContacts(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.addContact, (req) => contacts.addContact(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateContact, (req) =>
    contacts.updateContact(ctx, actorOf(req), req.params.id, req.params.contactId, req.body),
  );
  registerRoute(app, api.deleteContact, (req) => contacts.deleteContact(ctx, actorOf(req), req.params.id, req.params.contactId));
  registerRoute(app, api.reorderContacts, (req) => contacts.reorderContacts(ctx, actorOf(req), req.params.id, req.body.ids));

  registerRoute(app, api.createInviteCode, (req) => family.createInviteCode(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.bindFamily, (req) => family.bindFamily(ctx, actorOf(req), req.body.code), {
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
  });
};
