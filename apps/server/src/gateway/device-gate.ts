import type { AppContext } from '../lib/context.ts';
import type { StoreResult } from '../modules/devices/device-events.service.ts';
import { deviceSecrets } from '../modules/devices/device-secret.ts';
import { URGENT_EVENT_TYPES } from '../modules/devices/device-types.ts';
import { deviceSecretNonce } from '../modules/devices/devices.repo.ts';
import { EventBodyError, parseEventBody } from './event-body.ts';
import type { EventIntake } from './intake.ts';

/** What a transport (embedded broker, external subscription) asks of the platform. */
export interface DeviceGate {
  /** Client id = username = device id, password = device secret. */
  authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): Promise<boolean>;
  /**
   * Handle one uplink payload. Resolves after the event is durable ('stored' / 'duplicate') or
   * refused for good ('rejected': malformed, unknown device — logged, acknowledged so the device
   * does not resend it forever). Rejects when storage failed: do not acknowledge.
   */
  onEvent(deviceId: string, payload: Buffer, transport: 'mqtt'): Promise<StoreResult | 'rejected'>;
}

export function createDeviceGate(ctx: AppContext, intake: EventIntake): DeviceGate {
  const secrets = deviceSecrets(ctx.config.secretKey);
  return {
    async authenticate(clientId, username, password) {
      if (!username || clientId !== username || !password) return false;
      const nonce = await deviceSecretNonce(ctx.db, username);
      return nonce !== undefined && secrets.matches(username, nonce, password);
    },
    async onEvent(deviceId, payload, transport) {
      let parsed: ReturnType<typeof parseEventBody>;
      try {
        parsed = parseEventBody(payload);
      } catch (err) {
        if (!(err instanceof EventBodyError)) throw err;
        ctx.log.warn({ deviceId, field: err.path, reason: err.message, bytes: payload.length }, 'device event rejected');
        return 'rejected';
      }
      const dev = await intake.device(deviceId, { urgent: URGENT_EVENT_TYPES.has(parsed.type) });
      if (!dev) {
        ctx.log.warn({ deviceId }, 'device event rejected: unknown device');
        return 'rejected';
      }
      return intake.submit(
        {
          deviceId,
          msgId: parsed.msgId,
          type: parsed.type,
          data: parsed.data,
          deviceTs: parsed.deviceTs,
          receivedAt: new Date(),
          transport,
        },
        dev,
      );
    },
  };
}

const intakes = new WeakMap<AppContext, EventIntake>();
/** One intake per running app, shared by the HTTP route and the MQTT transport. */
export function intakeOf(ctx: AppContext, create: () => EventIntake): EventIntake {
  let i = intakes.get(ctx);
  if (!i) {
    i = create();
    intakes.set(ctx, i);
  }
  return i;
}
