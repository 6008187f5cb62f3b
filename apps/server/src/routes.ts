import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
// Safety loop (issue 5)
import { httpIntakeRoutes } from './gateway/http-intake.routes.ts';
import type { AppContext } from './lib/context.ts';
import { alarmRoutes } from './modules/alarms/alarms.routes.ts';
import { safetyRuleRoutes } from './modules/alarms/safety-rules.routes.ts';
import { assessmentRoutes } from './modules/assessments/assessments.routes.ts';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.ts';
import { deviceRoutes } from './modules/devices/devices.routes.ts';
import { elderRoutes } from './modules/elders/elders.routes.ts';
import { familySafetyRoutes } from './modules/family-safety/family-safety.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { orderRoutes } from './modules/orders/orders.routes.ts';
import { policyRoutes } from './modules/policies/policies.routes.ts';
import { providerRoutes } from './modules/providers/providers.routes.ts';
import { responderRoutes } from './modules/responders/responders.routes.ts';
import { settlementRoutes } from './modules/settlements/settlements.routes.ts';
import { walletRoutes } from './modules/wallets/wallets.routes.ts';

/**
 * Route modules of the domain issues (elders, service loop, safety loop …), registered under
 * /api/v1 by app.ts. Add a module's routes here: one line per module keeps app.ts stable.
 */
export const routeModules: Array<FastifyPluginAsyncZod<{ ctx: AppContext }>> = [
  elderRoutes,
  assessmentRoutes,
  // Service loop (issue 4)
  providerRoutes,
  catalogueRoutes,
  policyRoutes,
  walletRoutes,
  orderRoutes,
  settlementRoutes,
  // Safety loop (issue 5)
  httpIntakeRoutes,
  deviceRoutes,
  alarmRoutes,
  safetyRuleRoutes,
  responderRoutes,
  notificationRoutes,
  familySafetyRoutes,
];
