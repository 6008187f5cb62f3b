import { institutionsContract as api, isoDay } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as admissions from './admissions.service.ts';
import * as care from './care.service.ts';
import * as inst from './institutions.service.ts';

/** Institutions 机构养老: schemas, access and audit from the shared contract. */
export const institutionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listInstitutions, (req) => inst.listInstitutions(ctx, actorOf(req)));
  registerRoute(app, api.putProfile, (req) => inst.putProfile(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.addBuilding, (req) => inst.addBuilding(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.bedBoard, (req) => inst.bedBoard(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.patchBed, (req) => inst.patchBed(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.bindDevice, (req) => inst.bindDevice(ctx, actorOf(req), req.params.id, req.body.deviceId));
  registerRoute(app, api.unbindDevice, (req) => inst.unbindDevice(ctx, actorOf(req), req.params.id, req.params.deviceId));
  registerRoute(app, api.listAdmissions, (req) => admissions.listAdmissions(ctx, actorOf(req), req.params.id, req.query.status));
  registerRoute(app, api.apply, (req) => admissions.apply(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.getAdmission, (req) => admissions.getAdmission(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.assessRisk, (req) => admissions.assessRisk(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.admit, (req) => admissions.admit(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.reserveBed, (req) => admissions.reserveBed(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.cancelReservation, (req) => admissions.cancelReservation(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.moveBed, (req) => admissions.moveBed(ctx, actorOf(req), req.params.id, req.body.bedId));
  registerRoute(app, api.endStay, (req) => admissions.endStay(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.careDay, (req) => care.careDay(ctx, actorOf(req), req.params.id, req.query.day));
  registerRoute(app, api.recordCare, (req) =>
    care.recordCare(ctx, actorOf(req), req.headers['idempotency-key'] as string | undefined, req.body),
  );
  registerRoute(app, api.recordIncident, (req) => care.recordIncident(ctx, actorOf(req), req.body));
  registerRoute(app, api.incidentReport, (req) => care.listIncidents(ctx, actorOf(req), req.params.id, req.query));
  registerRoute(app, api.familyStay, (req) => care.familyStay(ctx, actorOf(req)));
  // The .xlsx is a file, not JSON, so not a contract route (as the canteen statement's export).
  app.get(
    '/institutions/:id/incidents.xlsx',
    {
      config: { permission: 'institution:read' },
      schema: {
        tags: ['institutions'],
        summary: 'The incident report of a period for the regulator, as .xlsx',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ from: isoDay('filter'), to: isoDay('filter') }),
      },
    },
    async (req, reply) => {
      const x = await care.incidentReportXlsx(ctx, actorOf(req), req.params.id, req.query);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(x.buffer);
    },
  );
};
