import { randomUUID } from 'node:crypto';
import type { AppContext } from '../lib/context.ts';
import { unprocessable } from '../lib/errors.ts';
import { isPartialEvent, type PublishedEvent, travelsWhole } from '../lib/events.ts';
import type { BrokerHandle } from './broker.ts';
import { commandsTopic } from './event-body.ts';

export const COMMANDS = ['test_call', 'configure', 'locate', 'silence_siren'] as const;
export type Command = (typeof COMMANDS)[number];

export interface DeviceCommand {
  deviceId: string;
  msgId: string;
  command: Command;
  data: Record<string, unknown>;
}

/**
 * Queue a downlink command. It travels as a domain event (PostgreSQL NOTIFY), so whichever
 * process holds the MQTT connection publishes it — the web process needs no broker.
 */
export async function requestCommand(ctx: AppContext, deviceId: string, command: Command, data: Record<string, unknown> = {}) {
  const cmd: DeviceCommand = { deviceId, msgId: randomUUID(), command, data };
  const event: PublishedEvent<'device.command'> = { type: 'device.command', data: cmd, audience: {} };
  // A command is not stored: one too large to travel whole would reach the gateway as a bare
  // reference and be lost, so it is refused here instead.
  if (!travelsWhole(event)) throw unprocessable('The command data is too large to send to a device');
  await ctx.events.publish(ctx.db, event);
  return cmd;
}

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
