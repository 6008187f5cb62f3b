import { healthRecordsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { withUploadedTable } from '../../lib/table-upload.ts';
import { exportClaim } from './claim-export.service.ts';
import { exportFhir } from './fhir.service.ts';
import * as ltc from './ltc.service.ts';
import { importPhysicals } from './physicals.service.ts';
import * as records from './records.service.ts';

const PHYSICAL_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

/** The health record and 长护险: schemas, access and audit from the shared contract. */
export const healthRecordRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.getHealth, (req) => records.getHealth(ctx, actorOf(req), req.params.id, req.query.reason));
  registerRoute(app, api.getVitals, (req) =>
    records.getVitals(ctx, actorOf(req), req.params.id, req.query.days, req.query.reason),
  );
  registerRoute(app, api.addMedication, (req) => records.addMedication(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.importPhysicals, (req) =>
    withUploadedTable(ctx, req, PHYSICAL_LIMITS, ({ table, filename }) => importPhysicals(ctx, actorOf(req), table, filename)),
  );
  registerRoute(app, api.exportFhir, (req) =>
    exportFhir(ctx, actorOf(req), req.params.id, {
      includeIdNumber: req.query.includeIdNumber === 'true',
      reason: req.query.reason,
    }),
  );

  registerRoute(app, api.listLtcPolicies, (req) => ltc.listPolicies(ctx, actorOf(req)));
  registerRoute(app, api.createLtcPolicy, (req) => ltc.createPolicy(ctx, actorOf(req), req.body));
  registerRoute(app, api.listLtcEnrolments, (req) => ltc.listEnrolments(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.listLtcCandidates, (req) => ltc.listCandidates(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.enrol, (req) => ltc.enrol(ctx, actorOf(req), req.params.id, req.body.elderId));
  registerRoute(app, api.fundOrder, (req) => ltc.fundOrder(ctx, actorOf(req), req.params.id, req.body.orderId));
  registerRoute(app, api.listClaims, (req) => ltc.listClaims(ctx, actorOf(req), req.query.month));
  registerRoute(app, api.drawClaim, (req) => ltc.drawClaim(ctx, actorOf(req), req.body));

  // The claim file is a file, not JSON, so it is not a contract route (route() describes JSON
  // answers); the web links to it through ltcClaimExportUrl in apps/web/src/api/health-records.ts.
  app.get(
    '/ltc-claims/:id/export',
    {
      config: { permission: 'ltc:manage' },
      schema: {
        tags: ['health-records'],
        summary: 'A monthly 长护险 claim as .xlsx or .csv (layout in docs/health-records.md); audited',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
      },
    },
    async (req, reply) => {
      const x = await exportClaim(ctx, actorOf(req), req.params.id, req.query.format);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type(
          req.query.format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .send(x.buffer);
    },
  );
};
