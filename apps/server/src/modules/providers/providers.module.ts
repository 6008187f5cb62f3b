import { defineModule } from '../module.ts';
import { providerRoutes } from './providers.routes.ts';

export const providersModule = defineModule({
  name: 'providers',
  routes: providerRoutes,
});
