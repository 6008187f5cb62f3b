import type { AppContext } from '../lib/context.ts';
import { countDeviceEvent } from '../lib/metrics.ts';
import type { StoreResult } from '../modules/devices/device-events.service.ts';
import { checkDeviceLogin } from './device-auth.ts';
import { EventBodyError, parseEventBody } from './event-body.ts';
import { type EventIntake, takesAlarmLane } from './intake.ts';

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
  return {
    async authenticate(clientId, username, password) {
      // The same check the EMQX endpoint and the dynamic-security sync apply (device-auth.ts).
      return (await checkDeviceLogin(ctx, clientId, username, password)) === 'allow';
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
      // Alarm types take the intake's alarm lane (device lookup and write), ahead of any backlog.
      const result = await intake.accept({
        deviceId,
        msgId: parsed.msgId,
        type: parsed.type,
        data: parsed.data,
        deviceTs: parsed.deviceTs,
        receivedAt: new Date(),
        transport,
      });
      countDeviceEvent(parsed.type, takesAlarmLane(parsed.type), transport, result === 'unknown-device' ? 'rejected' : result);
      if (result !== 'unknown-device') return result;
      ctx.log.warn({ deviceId }, 'device event rejected: unknown device');
      return 'rejected';
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
