import { defineModule } from '../modules/module.ts';
import { brokerAuthRoutes } from './broker-auth.routes.ts';
import { httpIntakeRoutes } from './http-intake.routes.ts';

/**
 * Device intake. The signed HTTP intake and EMQX's authentication / authorisation hooks are routes
 * (web role); the MQTT side (broker, device gate, command forwarding) is started by main.ts in the
 * gateway role (startGateway).
 */
export const gatewayModule = defineModule({
  name: 'gateway',
  routes: async (app, opts) => {
    // Separate plugins: the intake replaces the JSON parser with its raw-body one in its own scope.
    await app.register(httpIntakeRoutes, opts);
    await app.register(brokerAuthRoutes, opts);
  },
});
