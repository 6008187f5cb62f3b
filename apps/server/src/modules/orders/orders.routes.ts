import { ordersContract as api, bookingContract } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import { bookableItems } from './bookable.service.ts';
import { complaintRoutes } from './complaints.routes.ts';
import * as dispatch from './dispatch.service.ts';
import { freeSlots } from './free-slots.service.ts';
import { readHotline, updateHotline } from './hotline.service.ts';
import { noticeRoutes } from './notices.routes.ts';
import * as orders from './orders.service.ts';
import { photoRoutes } from './photos.routes.ts';
import { getServiceSettings, updateServiceSettings } from './service-settings.service.ts';
import { visitRoutes } from './visits.routes.ts';

/**
 * Service orders (服务工单) from booking to rating, and the loop's rules; the worker's visit,
 * complaints, notices and photos have their own route files. Schemas, access and audit come from
 * the shared contract. Money and points calls run under `withIdempotency` (Idempotency-Key).
 */
export const orderRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(visitRoutes, { ctx });
  await app.register(complaintRoutes, { ctx });
  await app.register(noticeRoutes, { ctx });
  await app.register(photoRoutes, { ctx });
  const one = (req: Parameters<typeof actorOf>[0], id: string) => orders.visibleOrder(ctx, actorOf(req), id);

  registerRoute(app, api.listOrders, (req) => orders.listOrders(ctx, actorOf(req), req.query));
  registerRoute(app, api.createOrder, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 201,
        body: orders.presentOrder(await orders.createOrder(c, actorOf(req), req.body)),
      })),
    ),
  );
  registerRoute(app, bookingContract.freeSlots, (req) => freeSlots(ctx, actorOf(req), req.query));
  registerRoute(app, bookingContract.bookableItems, (req) => bookableItems(ctx, actorOf(req), req.query.elderId));
  registerRoute(app, bookingContract.getHotline, () => readHotline(ctx));
  registerRoute(app, bookingContract.setHotline, (req) => updateHotline(ctx, actorOf(req), req.body.hotline));
  registerRoute(app, api.getOrder, (req) => orders.getOrder(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.candidates, async (req) => dispatch.candidatesFor(ctx, actorOf(req), await one(req, req.params.id)));
  registerRoute(app, api.dispatch, async (req) =>
    orders.presentOrder(
      await dispatch.manualDispatch(ctx, actorOf(req), await one(req, req.params.id), req.body.providerId, req.body.reason),
    ),
  );
  registerRoute(app, api.accept, async (req) =>
    orders.presentOrder(await dispatch.accept(ctx, actorOf(req), await one(req, req.params.id))),
  );
  registerRoute(app, api.reject, async (req) =>
    orders.presentOrder(await dispatch.reject(ctx, actorOf(req), await one(req, req.params.id), req.body.reason)),
  );
  registerRoute(app, api.confirm, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 200,
        body: orders.presentOrder(
          await orders.confirmOrder(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id)),
        ),
      })),
    ),
  );
  registerRoute(app, api.cancel, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({
        status: 200,
        body: orders.presentOrder(
          await orders.cancelOrder(c, actorOf(req), await orders.visibleOrder(c, actorOf(req), req.params.id), req.body.reason),
        ),
      })),
    ),
  );
  registerRoute(app, api.rate, async (req) =>
    orders.rateOrder(ctx, actorOf(req), await one(req, req.params.id), req.body.score, req.body.comment ?? null),
  );
  registerRoute(app, api.getSettings, () => getServiceSettings(ctx.db));
  registerRoute(app, api.updateSettings, (req) => updateServiceSettings(ctx, actorOf(req), req.body));
};
