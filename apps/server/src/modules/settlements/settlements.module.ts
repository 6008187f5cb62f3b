import { defineModule } from '../module.ts';
import { settlementRoutes } from './settlements.routes.ts';

export const settlementsModule = defineModule({
  name: 'settlements',
  routes: settlementRoutes,
});
