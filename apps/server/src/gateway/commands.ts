import type { AppContext } from '../lib/context.ts';
import { isPartialEvent } from '../lib/events.ts';
import type { BrokerHandle } from './broker.ts';
import { commandsTopic } from './event-body.ts';

/** In a gateway process: publish every requested command to zy/v1/devices/{id}/commands, QoS 1. */
export function forwardCommands(ctx: AppContext, broker: BrokerHandle): () => void {
  return ctx.events.onEvent('device.command', (c) => {
    // requestCommand refuses commands too large to travel whole; a partial one cannot be rebuilt.
    if (isPartialEvent(c)) return ctx.log.warn({ id: c.id }, 'command arrived without its data; not published');
    const payload = Buffer.from(
      JSON.stringify({ msgId: c.msgId, ts: new Date().toISOString(), command: c.command, data: c.data }),
    );
    const topic = commandsTopic(c.deviceId);
    if (broker.aedes) {
      broker.aedes.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (err) => {
        if (err) ctx.log.warn({ err, deviceId: c.deviceId }, 'command not published');
      });
    } else if (broker.client) {
      broker.client.publish(topic, payload, { qos: 1 }, (err) => {
        if (err) ctx.log.warn({ err, deviceId: c.deviceId }, 'command not published');
      });
    }
  });
}
