import { defineModule } from '../module.ts';
import { responderRoutes } from './responders.routes.ts';

export const respondersModule = defineModule({
  name: 'responders',
  routes: responderRoutes,
});
