import { privilegeCardsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import * as apps from './applications.service.ts';
import * as cards from './cards.service.ts';
import { importCheckFile } from './checks.service.ts';

/** A result file of the external data check: small (one row per applicant). */
const CHECK_IMPORT_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRows: 20_000 };

/** 老年人优待证: schemas, access and audit from the shared contract. */
export const privilegeCardRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getSettings, (req) => apps.getSettings(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putSettings, (req) => apps.putSettings(ctx, actorOf(req), req.body));
  registerRoute(app, api.list, (req) => apps.listCards(ctx, actorOf(req), req.query));
  registerRoute(app, api.get, (req) => apps.getCard(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.create, (req) => apps.createApplication(ctx, actorOf(req), req.body));
  registerRoute(app, api.importChecks, (req) =>
    withUploadedTable(ctx, req, CHECK_IMPORT_LIMITS, ({ table, filename }) =>
      importCheckFile(ctx, actorOf(req), table, filename),
    ),
  );
  registerRoute(app, api.decide, (req) => cards.decide(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.revoke, (req) => cards.revoke(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.reissue, (req) => cards.reissue(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.renew, (req) => cards.renew(ctx, actorOf(req), req.params.id));
  // Public, so limited per address like the login.
  registerRoute(app, api.verify, (req) => cards.verify(ctx, req.params.token), {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
  });
  registerRoute(app, api.getMine, (req) => apps.getMine(ctx, actorOf(req)));
  registerRoute(app, api.applyMine, (req) => apps.applyMine(ctx, actorOf(req), req.body));
  registerRoute(app, api.renewMine, (req) => apps.renewMine(ctx, actorOf(req)));
};
