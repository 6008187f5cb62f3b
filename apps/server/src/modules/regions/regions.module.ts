import { defineModule } from '../module.ts';
import { regionRoutes } from './regions.routes.ts';

export const regionsModule = defineModule({
  name: 'regions',
  routes: regionRoutes,
});
