import { randomUUID } from 'node:crypto';
import { DEVICE_COMMANDS } from '@zhiyang/shared';
import type { AppContext } from '../../lib/context.ts';
import { unprocessable } from '../../lib/errors.ts';
import { type PublishedEvent, travelsWhole } from '../../lib/events.ts';

/** The downlink commands (device protocol v1), as the shared contract lists them. */
export const COMMANDS = DEVICE_COMMANDS;
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
