import { defineModule } from '../module.ts';
import { survivalRoutes } from './survival.routes.ts';

/** Remote survival verification 生存认证 of the high-age allowance (issue 17): face + liveness challenge. */
export const allowanceSurvivalModule = defineModule({
  name: 'allowance-survival',
  routes: survivalRoutes,
});
