import { ordersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import * as orders from './orders.service.ts';
import * as visits from './visits.service.ts';

/**
 * The visit (上门服务): the provider assigns a worker, who sets off, checks in and out (the
 * worker page's offline queue resends these with an Idempotency-Key), edits the record; flagged
 * visits are reviewed. The elder's QR code is what the worker scans at the door.
 */
export const visitRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const one = (req: Parameters<typeof actorOf>[0], id: string) => orders.visibleOrder(ctx, actorOf(req), id);

  registerRoute(app, api.assign, async (req) =>
    orders.presentOrder(await visits.assign(ctx, actorOf(req), await one(req, req.params.id), req.body.workerId)),
  );
  registerRoute(app, api.enRoute, async (req) =>
    orders.presentOrder(await visits.enRoute(ctx, actorOf(req), await one(req, req.params.id))),
  );
  registerRoute(app, api.checkIn, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 200,
        body: orders.presentOrder(
          await visits.checkIn(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body),
        ),
      })),
    ),
  );
  registerRoute(app, api.checkOut, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 200,
        body: orders.presentOrder(
          await visits.checkOut(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body),
        ),
      })),
    ),
  );
  registerRoute(app, api.editVisit, async (req) =>
    orders.presentVisit(
      await visits.editRecord(ctx, actorOf(req), await one(req, req.params.id), req.body.record, req.body.reason),
    ),
  );
  registerRoute(app, api.review, async (req) =>
    orders.presentOrder(await visits.review(ctx, actorOf(req), await one(req, req.params.id), req.body.decision, req.body.note)),
  );
  registerRoute(app, api.elderQr, (req) => visits.elderQrFor(ctx, actorOf(req), req.params.elderId));
};
