import { defineModule } from '../modules/module.ts';
import { httpIntakeRoutes } from './http-intake.routes.ts';

/**
 * Device intake. The signed HTTP intake is a route (web role); the MQTT side (broker, device
 * gate, command forwarding) is started by main.ts in the gateway role (startGateway).
 */
export const gatewayModule = defineModule({
  name: 'gateway',
  routes: httpIntakeRoutes,
});
