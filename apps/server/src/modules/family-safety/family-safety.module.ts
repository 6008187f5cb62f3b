import { defineModule } from '../module.ts';
import { familySafetyRoutes } from './family-safety.routes.ts';

export const familySafetyModule = defineModule({
  name: 'family-safety',
  routes: familySafetyRoutes,
});
