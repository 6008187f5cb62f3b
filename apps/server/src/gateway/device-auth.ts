import type { AppContext } from '../lib/context.ts';
import { deviceSecrets } from '../modules/devices/device-secret.ts';
import { deviceCredentials } from '../modules/devices/devices.repo.ts';
import { commandsTopic, eventsTopic } from './event-body.ts';

/**
 * The one device check every broker uses (device protocol v1): the embedded Aedes gate, the EMQX
 * HTTP authentication endpoint, and — through the secrets Zhiyang writes into it — Mosquitto's
 * dynamic-security plugin.
 *
 * - `allow`: client id = username = a registered, active device, and the password is its secret;
 * - `deny`: a registered device with a wrong secret, a client id that is not its id, or a device
 *   that is disabled or retired (its secret no longer opens a connection);
 * - `unknown`: no device has this username (EMQX may then ask its next authenticator, e.g. the
 *   gateways' built-in accounts; the embedded broker refuses).
 */
export async function checkDeviceLogin(
  ctx: AppContext,
  clientId: string | undefined,
  username: string | undefined,
  password: string | Buffer | undefined,
): Promise<'allow' | 'deny' | 'unknown'> {
  if (!username || !/^[A-Za-z0-9_-]{3,64}$/.test(username)) return 'unknown';
  const dev = await deviceCredentials(ctx.db, username);
  if (!dev) return 'unknown';
  if (clientId !== username || !password) return 'deny';
  if (!deviceSecrets(ctx.config.secretKey).matches(username, dev.nonce, password)) return 'deny';
  return dev.status === 'active' ? 'allow' : 'deny';
}

/** A device publishes only to its own events topic and subscribes only to its own commands topic. */
export function deviceTopicAllowed(deviceId: string, action: 'publish' | 'subscribe', topic: string): boolean {
  return topic === (action === 'publish' ? eventsTopic(deviceId) : commandsTopic(deviceId));
}

/**
 * May this connected client publish / subscribe to `topic`? `unknown` when the username is no
 * device (a gateway: the broker's own rules decide); `deny` for a device that is not active, that
 * uses another client id, or that names a topic not its own.
 */
export async function checkDeviceTopic(
  ctx: AppContext,
  clientId: string | undefined,
  username: string | undefined,
  action: string,
  topic: string,
): Promise<'allow' | 'deny' | 'unknown'> {
  if (!username || !/^[A-Za-z0-9_-]{3,64}$/.test(username)) return 'unknown';
  const dev = await deviceCredentials(ctx.db, username);
  if (!dev) return 'unknown';
  if (dev.status !== 'active' || clientId !== username) return 'deny';
  if (action !== 'publish' && action !== 'subscribe') return 'deny';
  return deviceTopicAllowed(username, action, topic) ? 'allow' : 'deny';
}
