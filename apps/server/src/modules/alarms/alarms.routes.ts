import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { isoInstant } from '../../lib/dates.ts';
import { pageQuery } from '../../lib/http.ts';
import * as service from './alarms.service.ts';
import { screenStats, slaReport } from './alarms.stats.ts';

const idParam = z.object({ id: z.uuid() });
const note = z.string().trim().max(2000).optional();

export const alarmRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/alarms',
    {
      config: { permission: 'alarm:read' },
      schema: {
        tags: ['alarms'],
        summary: 'Alarms; `status=open` is the queue (priority, then oldest first)',
        querystring: pageQuery.extend({
          status: z
            .enum(['open', 'closed', 'raised', 'acknowledged', 'responding', 'on_site', 'resolved', 'reviewed'])
            .optional(),
          priority: z.enum(['P1', 'P2', 'P3']).optional(),
          type: z.string().max(40).optional(),
          elderId: z.uuid().optional(),
          deviceId: z.string().max(64).optional(),
          from: isoInstant('filter').optional(),
          to: isoInstant('filter').optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(20),
        }),
      },
    },
    async (req) => {
      const { limit, page, from, to, ...f } = req.query;
      return service.listAlarms(
        ctx,
        actorOf(req),
        { ...f, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined },
        limit,
        page,
      );
    },
  );
  app.get(
    '/alarms/sla',
    {
      config: { permission: 'alarm:read' },
      schema: {
        tags: ['alarms'],
        summary: 'Share of alarms acknowledged within 60 s and 180 s',
        querystring: z.object({
          from: isoInstant('filter').optional(),
          to: isoInstant('filter').optional(),
          priority: z.enum(['P1', 'P2', 'P3']).optional(),
        }),
      },
    },
    async (req) => {
      const to = req.query.to ? new Date(req.query.to) : new Date();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
      return slaReport(ctx, actorOf(req), from, to, req.query.priority);
    },
  );
  app.get(
    '/alarms/screen',
    { config: { permission: 'alarm:read' }, schema: { tags: ['alarms'], summary: 'Command-centre figures' } },
    async (req) => screenStats(ctx, actorOf(req)),
  );
  app.get(
    '/alarms/console-config',
    {
      config: { permission: 'alarm:read' },
      schema: { tags: ['alarms'], summary: 'What the alarm-centre console needs: map tiles, outcome and action codes' },
    },
    async () => ({
      mapTileUrl: ctx.config.mapTileUrl ?? null,
      outcomes: [...service.OUTCOMES],
      actionKinds: [...service.ACTION_KINDS],
      ackTargetSeconds: ctx.config.alarmAckSeconds ?? 60,
    }),
  );
  app.get('/alarms/:id', { config: { permission: 'alarm:read' }, schema: { tags: ['alarms'], params: idParam } }, async (req) =>
    service.getAlarm(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/alarms/:id/acknowledge',
    {
      config: { audit: 'alarm.acknowledge', permission: 'alarm:handle' },
      schema: { tags: ['alarms'], summary: 'Take the alarm (one operator only)', params: idParam },
    },
    async (req) => service.acknowledgeAlarm(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/alarms/:id/actions',
    {
      config: { audit: 'alarm.action', permission: 'alarm:handle' },
      schema: {
        tags: ['alarms'],
        params: idParam,
        body: z.strictObject({
          kind: z.enum(service.ACTION_KINDS),
          contactId: z.uuid().optional(),
          result: z.string().trim().max(200).optional(),
          note,
        }),
      },
    },
    async (req, reply) => reply.code(201).send(await service.addAction(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/alarms/:id/dispatch',
    {
      config: { audit: 'alarm.dispatch', permission: 'alarm:handle' },
      schema: {
        tags: ['alarms'],
        params: idParam,
        body: z.strictObject({ responderId: z.uuid(), distanceM: z.number().int().min(0).optional() }),
      },
    },
    async (req, reply) => reply.code(201).send(await service.dispatchResponder(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/alarms/:id/resolve',
    {
      config: { audit: 'alarm.resolve', permission: 'alarm:handle' },
      schema: {
        tags: ['alarms'],
        summary: 'Close with an outcome code (required)',
        params: idParam,
        body: z.strictObject({ outcome: z.enum(service.OUTCOMES), note }),
      },
    },
    async (req) => service.resolveAlarm(ctx, actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/alarms/:id/review',
    {
      config: { audit: 'alarm.review', permission: 'alarm:handle' },
      schema: { tags: ['alarms'], params: idParam, body: z.strictObject({ note }) },
    },
    async (req) => service.reviewAlarm(ctx, actorOf(req), req.params.id, req.body),
  );
};
