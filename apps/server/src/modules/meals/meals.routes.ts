import { mealsContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { badRequest } from '../../lib/errors.ts';
import { idempotencyKeyOf } from '../../lib/idempotency.ts';
import * as canteens from './canteens.service.ts';
import * as deliveries from './deliveries.service.ts';
import { deliveryOptions } from './delivery-options.service.ts';
import { findKioskElders } from './kiosk.service.ts';
import * as meals from './meals.service.ts';
import { recommend } from './recommend.service.ts';
import * as rules from './rules.service.ts';
import * as settlement from './settlement.service.ts';
import * as signals from './signals.service.ts';
import { mealStats } from './stats.service.ts';

/** Canteens, menus and meals (助餐): schemas, access and audit come from the shared contract. */
export const mealRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listCanteens, (req) => canteens.listCanteens(ctx, actorOf(req)));
  registerRoute(app, api.getCanteen, (req) => canteens.getCanteen(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.updateCanteenProfile, (req) => canteens.updateProfile(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listDishes, (req) =>
    canteens.listDishes(ctx, actorOf(req), req.params.id, req.query.includeInactive === 'true'),
  );
  registerRoute(app, api.createDish, (req) => canteens.createDish(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateDish, (req) => canteens.updateDish(ctx, actorOf(req), req.params.id, req.params.dishId, req.body));
  registerRoute(app, api.listMenus, (req) => canteens.listMenus(ctx, actorOf(req), req.params.id, req.query.from, req.query.to));
  registerRoute(app, api.setMenu, (req) =>
    canteens.setMenu(ctx, actorOf(req), req.params.id, req.params.day, req.params.period, req.body.items),
  );
  registerRoute(app, api.recommend, (req) => recommend(ctx, actorOf(req), req.params.id, req.query));
  registerRoute(app, api.findKioskElders, (req) => findKioskElders(ctx, actorOf(req), req.params.id, req.query.q, req.query.by));
  // The kiosk's Idempotency-Key is kept on the meal itself (unique per canteen), so a retry from
  // any device or account of the canteen finds the first meal.
  registerRoute(app, api.serveMeal, (req) => {
    const key = idempotencyKeyOf(req);
    if (!key) throw badRequest('A meal moves money: send an Idempotency-Key header (the kiosk keeps it for retries).');
    return meals.serveMeal(ctx, actorOf(req), req.params.id, key, req.body);
  });
  registerRoute(app, api.listMeals, (req) => meals.listMeals(ctx, actorOf(req), req.query));
  registerRoute(app, api.getMeal, (req) => meals.getMeal(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.refundMeal, (req) => meals.refundMeal(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.listSubsidyRules, (req) => rules.listRules(ctx, actorOf(req)));
  registerRoute(app, api.setSubsidyRule, (req) => rules.setRule(ctx, actorOf(req), req.params.policyId, req.body));
  registerRoute(app, api.listSignals, (req) => signals.listSignals(ctx, actorOf(req), req.query));
  registerRoute(app, api.handleSignal, (req) => signals.handleSignal(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.getSignalSettings, () => signals.getSettings(ctx));
  registerRoute(app, api.setSignalSettings, (req) => signals.setSettings(ctx, actorOf(req), req.body));
  registerRoute(app, api.stats, (req) => mealStats(ctx, actorOf(req), req.query));
  registerRoute(app, api.bookDelivery, (req) => deliveries.book(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listDeliveries, (req) => deliveries.list(ctx, actorOf(req), req.query));
  // The worker's phone queues a check-off made without network with an Idempotency-Key and the
  // time at the door; a replay with the key answers the first check-off.
  registerRoute(app, api.deliverDelivery, (req) =>
    deliveries.deliver(ctx, actorOf(req), req.params.id, req.body, idempotencyKeyOf(req) ?? undefined),
  );
  registerRoute(app, api.deliveryProviders, (req) => deliveries.providers(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.assignDelivery, (req) => deliveries.assign(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.deliveryRound, (req) => deliveries.round(ctx, actorOf(req), req.query));
  registerRoute(app, api.deliveryOptions, (req) => deliveryOptions(ctx, actorOf(req), req.query.elderId));
  registerRoute(app, api.cancelDelivery, (req) => deliveries.cancel(ctx, actorOf(req), req.params.id, req.body.reason));
  registerRoute(app, api.listCanteenSettlements, (req) => settlement.list(ctx, actorOf(req), req.query));
  registerRoute(app, api.getCanteenSettlement, (req) => settlement.get(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.drawUpCanteenSettlement, (req) =>
    settlement.drawUp(ctx, actorOf(req), req.body.canteenId, req.body.period),
  );
  registerRoute(app, api.confirmCanteenSettlement, (req) => settlement.confirm(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.approveCanteenSettlement, (req) => settlement.approve(ctx, actorOf(req), req.params.id));
  // The .xlsx is a file, not JSON, so not a contract route (as the provider statement's export).
  app.get(
    '/canteen-settlements/:id/export',
    {
      config: { permission: 'meal:read' },
      schema: { tags: ['meals'], summary: 'The canteen statement as .xlsx', params: z.object({ id: z.uuid() }) },
    },
    async (req, reply) => {
      const x = await settlement.exportXlsx(ctx, actorOf(req), req.params.id);
      return reply
        .header('content-disposition', `attachment; filename="${x.filename}"`)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .send(x.buffer);
    },
  );
};
