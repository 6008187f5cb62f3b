import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { updateDispatch } from '../alarms/alarms.service.ts';
import * as service from './responders.service.ts';

export const responderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/responders',
    {
      config: { permission: 'alarm:handle' },
      schema: {
        tags: ['responders'],
        summary: 'Available responders nearest to an alarm (distance and last-seen time)',
        querystring: z.object({ alarmId: z.uuid(), limit: z.coerce.number().int().min(1).max(50).default(10) }),
      },
    },
    async (req) => service.nearestResponders(ctx, actorOf(req), req.query.alarmId, req.query.limit),
  );
  app.put(
    '/responders/me',
    {
      config: { audit: 'responder.status', permission: 'alarm:respond' },
      schema: {
        tags: ['responders'],
        summary: 'Share on-duty state and position from the worker page',
        body: z.strictObject({
          onDuty: z.boolean(),
          lat: z.number().min(-90).max(90).optional(),
          lng: z.number().min(-180).max(180).optional(),
          accuracy: z.number().min(0).max(100_000).optional(),
        }),
      },
    },
    async (req) => service.reportStatus(ctx, actorOf(req), req.body),
  );
  app.get('/responders/me/tasks', { config: { permission: 'alarm:respond' }, schema: { tags: ['responders'] } }, async (req) =>
    service.myTasks(ctx, actorOf(req)),
  );
  app.post(
    '/alarm-dispatches/:id/:status',
    {
      config: { audit: 'alarm.respond', permission: 'alarm:respond' },
      schema: {
        tags: ['responders'],
        summary: 'Accept, decline, en route, on site, done',
        params: z.object({ id: z.uuid(), status: z.enum(['accept', 'decline', 'en-route', 'on-site', 'done']) }),
      },
    },
    async (req) => {
      const map = {
        accept: 'accepted',
        decline: 'declined',
        'en-route': 'en_route',
        'on-site': 'on_site',
        done: 'done',
      } as const;
      return updateDispatch(ctx, actorOf(req), req.params.id, map[req.params.status]);
    },
  );
};
