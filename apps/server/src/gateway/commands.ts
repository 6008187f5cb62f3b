import { randomUUID } from 'node:crypto';
import type { AppContext } from '../lib/context.ts';
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
  await ctx.events.publish(ctx.db, { type: 'device.command', data: cmd as never, audience: {} });
  return cmd;
}

/** In a gateway process: publish every requested command to zy/v1/devices/{id}/commands, QoS 1. */
export function forwardCommands(ctx: AppContext, broker: BrokerHandle): () => void {
  return ctx.events.onEvent((e) => {
    if (e.type !== 'device.command') return;
    const c = e.data as unknown as DeviceCommand;
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
