import { statisticsContract as api, isoMonth, seriesQuery } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as statistics from './statistics.service.ts';
import { monthlyReportXlsx, seriesXlsx } from './statistics.xlsx.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const regionCode = z
  .string()
  .regex(/^[0-9]{6}([0-9]{3}){0,2}$/)
  .optional();

/** Statistics 统计 (monthly report, ad-hoc statistics): schemas and access from the shared contract. */
export const statisticsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listIndicators, () => statistics.listIndicators());
  registerRoute(app, api.monthlyReport, (req) =>
    statistics.monthlyReport(ctx, actorOf(req), req.query.month, req.query.regionCode),
  );
  registerRoute(app, api.series, (req) => statistics.series(ctx, actorOf(req), req.query));

  // The .xlsx files are files, not JSON, so not contract routes (as the patrol report's).
  app.get(
    '/statistics/monthly-report.xlsx',
    {
      config: { permission: 'supervision:read' },
      schema: {
        tags: ['statistics'],
        summary: 'The monthly report 月报 of a region in reach, as .xlsx',
        querystring: z.object({ month: isoMonth('filter'), regionCode }),
      },
    },
    async (req, reply) => {
      const r = await statistics.monthlyReport(ctx, actorOf(req), req.query.month, req.query.regionCode);
      return reply
        .header('content-disposition', `attachment; filename="monthly-report-${r.region.code}-${r.month}.xlsx"`)
        .type(XLSX)
        .send(await monthlyReportXlsx(r));
    },
  );
  app.get(
    '/statistics/series.xlsx',
    {
      config: { permission: 'supervision:read' },
      schema: { tags: ['statistics'], summary: 'Ad-hoc statistics 自定义统计 as .xlsx', querystring: seriesQuery },
    },
    async (req, reply) => {
      const s = await statistics.series(ctx, actorOf(req), req.query);
      return reply
        .header('content-disposition', `attachment; filename="statistics-${s.region.code}-${s.periods[0]?.key}.xlsx"`)
        .type(XLSX)
        .send(await seriesXlsx(s));
    },
  );
};
