import { defineModule } from '../module.ts';
import { organizationRoutes } from './organizations.routes.ts';

export const organizationsModule = defineModule({
  name: 'organizations',
  routes: organizationRoutes,
});
