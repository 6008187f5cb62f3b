import { defineModule } from '../module.ts';
import { deviceRoutes } from './devices.routes.ts';

export const devicesModule = defineModule({
  name: 'devices',
  routes: deviceRoutes,
});
