import { allowancesContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as apps from './applications.service.ts';
import { allowanceBackOfficeRoutes } from './back-office.routes.ts';
import * as mine from './mine.service.ts';
import * as rolls from './rolls.service.ts';
import * as status from './status.service.ts';
import * as tiers from './tiers.service.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

/** High-age allowance: schemas, access and audit from the shared contract; the bank file is a plain xlsx route. */
export const allowanceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listTiers, (req) => tiers.listTiers(ctx, actorOf(req), req.query));
  registerRoute(app, api.createTier, (req) => tiers.createTier(ctx, actorOf(req), req.body));
  registerRoute(app, api.getSettings, (req) => tiers.getSettings(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putSettings, (req) => tiers.putSettings(ctx, actorOf(req), req.body));

  registerRoute(app, api.listApplications, (req) => apps.listApplications(ctx, actorOf(req), req.query));
  registerRoute(app, api.createApplication, (req) => apps.createApplication(ctx, actorOf(req), req.body));
  registerRoute(app, api.getApplication, (req) => apps.getApplication(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.confirmApplication, (req) => apps.confirmApplication(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.decideApplication, (req) => apps.decide(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.recordObjection, (req) => apps.recordObjection(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.suspend, (req) => status.suspend(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.resume, (req) => status.resume(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.recordVerification, (req) => status.recordVerification(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.getMine, (req) => mine.getMine(ctx, actorOf(req)));
  registerRoute(app, api.applyMine, (req) => mine.applyMine(ctx, actorOf(req), req.body));
  registerRoute(app, api.listNotices, (req) => apps.listNotices(ctx, actorOf(req), req.query.regionCode));

  registerRoute(app, api.generateRoll, (req) => rolls.generateRoll(ctx, actorOf(req), req.body));
  registerRoute(app, api.listRolls, (req) => rolls.listRolls(ctx, actorOf(req), req.query.regionCode, req.query.month));
  registerRoute(app, api.getRoll, (req) => rolls.getRoll(ctx, actorOf(req), req.params.id, req.query));
  registerRoute(app, api.approveRoll, (req) => rolls.approveRoll(ctx, actorOf(req), req.params.id));

  app.get(
    '/allowance-rolls/:id/export',
    {
      config: { permission: 'allowance:manage' },
      schema: {
        tags: ['allowances'],
        summary: 'The bank payment file of an approved roll (xlsx, full ID and account numbers; audited)',
        params: z.object({ id: z.uuid() }),
        produces: [XLSX],
      },
    },
    async (req, reply) => {
      const file = await rolls.exportRoll(ctx, actorOf(req), req.params.id);
      return reply.type(XLSX).header('content-disposition', attachment(file.filename)).send(file.data);
    },
  );

  // Bank files, returns, deaths and recoveries, scans, reports (back-office.routes.ts).
  await allowanceBackOfficeRoutes(app, { ctx });
};
