import type { Config } from '../../../config.ts';
import type { DbOrTx } from '../../../db/client.ts';
import { sendJob } from '../../../jobs/queues.ts';
import type { AppContext } from '../../../lib/context.ts';
import { deviceSecrets } from '../device-secret.ts';
import { commandsTopic, eventsTopic } from '../device-topics.ts';
import { deviceCredentials, deviceIdsAfter } from '../devices.repo.ts';
import { DynsecClient, type DynsecCommand, DynsecError, type DynsecResponse } from './dynsec-client.ts';

/**
 * Zhiyang keeps Mosquitto's dynamic-security plugin in step with its device registry, so an
 * external Mosquitto authenticates devices with their Zhiyang secrets (docs/deploy.md):
 * - one client per device: username = client id = device id, password = the device's secret
 *   (derived from SECRET_KEY and the stored nonce, so it can be written again at any time);
 * - one role per device, `zhiyang-device-<id>`: publish to its own events topic, subscribe to its
 *   own commands topic (device protocol v1), nothing else (the plugin's default denies the rest);
 * - the client disabled while the device is disabled or retired, its password replaced on rotation;
 * - the gateways' role `zhiyang-gateway`: the shared subscription to every device's events, and
 *   publishing commands.
 * A change is applied right after it commits, and a `devices.broker-sync` job sent in the same
 * transaction applies it again (retried while the broker is unreachable), reading the device's
 * state at that moment, so the broker converges on the registry. `npm run devices:broker-sync`
 * writes every device (after restoring the broker's file, or turning the sync on).
 */
export const GATEWAY_ROLE = 'zhiyang-gateway';
export const deviceRole = (deviceId: string) => `zhiyang-device-${deviceId}`;

const clients = new WeakMap<object, DynsecClient>();

/** The process's connection to the plugin, or null when the sync is off (no MQTT_DYNSEC_USER). */
export function dynsecOf(ctx: Pick<AppContext, 'config'>): DynsecClient | null {
  const d = ctx.config.dynsec;
  if (!d) return null;
  let c = clients.get(d);
  if (!c) {
    c = new DynsecClient(d.url, d.username, d.password);
    clients.set(d, c);
  }
  return c;
}

/** Close the process's connection to the plugin (shutdown, tests). */
export async function closeDynsec(ctx: Pick<AppContext, 'config'>): Promise<void> {
  const d = ctx.config.dynsec;
  const c = d && clients.get(d);
  if (!c || !d) return;
  clients.delete(d);
  await c.close();
}

function deviceAcls(deviceId: string) {
  return [
    { acltype: 'publishClientSend', topic: eventsTopic(deviceId), priority: 0, allow: true },
    { acltype: 'subscribeLiteral', topic: commandsTopic(deviceId), priority: 0, allow: true },
  ];
}

function gatewayAcls(shareGroup = 'zhiyang') {
  return [
    { acltype: 'subscribeLiteral', topic: `$share/${shareGroup}/zy/v1/devices/+/events`, priority: 0, allow: true },
    { acltype: 'subscribeLiteral', topic: 'zy/v1/devices/+/events', priority: 0, allow: true },
    { acltype: 'publishClientSend', topic: 'zy/v1/devices/+/commands', priority: 0, allow: true },
  ];
}

/** Throw unless the plugin answered without error or with one of the `fine` errors. */
function check(rs: DynsecResponse[], fine: readonly string[] = []) {
  for (const r of rs) if (r.error && !fine.some((f) => r.error?.includes(f))) throw new DynsecError(r.command, r.error);
}

type ClientInfo = { roles?: Array<{ rolename: string }> };
const rolesOf = (got: DynsecResponse) => ((got.data?.client as ClientInfo | undefined)?.roles ?? []).map((r) => r.rolename);
/** A client the sync wrote: it carries the device's role. */
const isDeviceClient = (got: DynsecResponse, role: string) => rolesOf(got).includes(role);

/**
 * Write one device's current state into the plugin: created when missing, password and
 * enabled/disabled set, role with its topics. Safe to run any number of times. A client of that
 * name that is not a Zhiyang device client (no device role: an administrator's or a gateway's
 * account) is left alone and reported.
 */
export function syncDevice(ctx: Pick<AppContext, 'config' | 'db'>, deviceId: string): Promise<'synced' | 'removed' | 'off'> {
  // One at a time per device in this process, so an older state never lands after a newer one.
  const prev = running.get(deviceId) ?? Promise.resolve();
  const next = prev.catch(() => {}).then(() => writeDevice(ctx, deviceId));
  const tail = next.catch(() => {});
  running.set(deviceId, tail);
  void tail.then(() => running.get(deviceId) === tail && running.delete(deviceId));
  return next;
}

const running = new Map<string, Promise<unknown>>();

async function writeDevice(ctx: Pick<AppContext, 'config' | 'db'>, deviceId: string): Promise<'synced' | 'removed' | 'off'> {
  const dyn = dynsecOf(ctx);
  if (!dyn) return 'off';
  const role = deviceRole(deviceId);
  const dev = await deviceCredentials(ctx.db, deviceId);
  if (!dev) {
    // No such device: remove what the sync once wrote for it, never an account that is not a device's.
    const [got] = await dyn.send([{ command: 'getClient', username: deviceId }]);
    check([got], ['not found']);
    const ours = !got.error && isDeviceClient(got, role);
    const rs = await dyn.send([
      ...(ours ? [{ command: 'deleteClient', username: deviceId }] : []),
      { command: 'deleteRole', rolename: role },
    ]);
    check(rs, ['not found']);
    return 'removed';
  }
  const password = deviceSecrets(ctx.config.secretKey).derive(deviceId, dev.nonce);
  const [roleRes, got] = await dyn.send([
    { command: 'createRole', rolename: role, textname: `Zhiyang device ${deviceId}`, acls: deviceAcls(deviceId) },
    { command: 'getClient', username: deviceId },
  ]);
  check([roleRes], ['already exists']);
  const state: DynsecCommand = { command: dev.status === 'active' ? 'enableClient' : 'disableClient', username: deviceId };
  if (got.error) {
    if (!got.error.includes('not found')) throw new DynsecError(got.command, got.error);
    // Created and (if need be) disabled in one message: the plugin applies both before any CONNECT.
    check(
      await dyn.send([
        {
          command: 'createClient',
          username: deviceId,
          clientid: deviceId,
          password,
          textname: 'Zhiyang device',
          roles: [{ rolename: role, priority: 0 }],
        },
        state,
      ]),
    );
    return 'synced';
  }
  if (!isDeviceClient(got, role))
    throw new DynsecError('getClient', `client ${deviceId} exists but is not a Zhiyang device client; left unchanged`);
  // Disable first when disabling, so the new password never opens a connection in between.
  const setPassword = { command: 'setClientPassword', username: deviceId, password };
  check(await dyn.send(dev.status === 'active' ? [setPassword, state] : [state, setPassword]));
  return 'synced';
}

/**
 * The gateways' role, and the gateways' client when MQTT_GATEWAY_USER / MQTT_GATEWAY_PASSWORD are
 * given (every gateway process may share it, each with its own MQTT_CLIENT_ID).
 */
export async function ensureGatewayAccess(
  dyn: DynsecClient,
  config: Pick<Config, 'mqttShareGroup'> & { dynsec?: Config['dynsec'] },
): Promise<void> {
  const acls = gatewayAcls(config.mqttShareGroup);
  const [created] = await dyn.send([
    { command: 'createRole', rolename: GATEWAY_ROLE, textname: 'Zhiyang gateway processes', acls },
  ]);
  if (created.error) {
    check([created], ['already exists']);
    // An existing role gets any ACL it lacks (a new share group, an older version of the role).
    check(await dyn.send(acls.map((a) => ({ command: 'addRoleACL', rolename: GATEWAY_ROLE, ...a }))), ['already exists']);
  }
  const user = config.dynsec?.gatewayUser;
  const password = config.dynsec?.gatewayPassword;
  if (!user || !password) return;
  const [got] = await dyn.send([{ command: 'getClient', username: user }]);
  if (got.error) {
    check([got], ['not found']);
    check(
      await dyn.send([
        {
          command: 'createClient',
          username: user,
          password,
          textname: 'Zhiyang gateway',
          roles: [{ rolename: GATEWAY_ROLE, priority: 0 }],
        },
      ]),
    );
    return;
  }
  const roles = rolesOf(got);
  if (roles.some((r) => r.startsWith('zhiyang-device-')))
    throw new DynsecError('getClient', `${user} is a device client; choose another MQTT_GATEWAY_USER`);
  check(
    await dyn.send([
      { command: 'setClientPassword', username: user, password },
      ...(roles.includes(GATEWAY_ROLE)
        ? []
        : [{ command: 'addClientRole', username: user, rolename: GATEWAY_ROLE, priority: 0 }]),
      { command: 'enableClient', username: user },
    ]),
  );
}

/** Every device and the gateway access, written again (`npm run devices:broker-sync`). */
export async function syncAllDevices(
  ctx: Pick<AppContext, 'config' | 'db'>,
  progress?: (done: number) => void,
): Promise<{ synced: number; failed: Array<{ deviceId: string; reason: string }> }> {
  const dyn = dynsecOf(ctx);
  if (!dyn) throw new Error('the broker sync is off: set MQTT_DYNSEC_USER and MQTT_DYNSEC_PASSWORD');
  await ensureGatewayAccess(dyn, ctx.config);
  let after = '';
  let synced = 0;
  const failed: Array<{ deviceId: string; reason: string }> = [];
  for (;;) {
    const ids = await deviceIdsAfter(ctx.db, after, 200);
    if (!ids.length) break;
    // A few devices at a time: each is a couple of round trips to the broker.
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map((id) =>
          syncDevice(ctx, id).then(
            () => void synced++,
            (err) => void failed.push({ deviceId: id, reason: err instanceof Error ? err.message : String(err) }),
          ),
        ),
      );
    }
    after = ids[ids.length - 1];
    progress?.(synced + failed.length);
  }
  return { synced, failed };
}

/**
 * Inside the transaction of a device change: the durable `devices.broker-sync` job (retried until
 * the broker has it). Nothing when the sync is off.
 */
export async function queueBrokerSync(ctx: AppContext, tx: DbOrTx, deviceId: string): Promise<void> {
  if (!ctx.config.dynsec) return;
  await sendJob(ctx, tx, 'devices.broker-sync', { deviceId }, { retryLimit: 50, retryDelay: 2, retryBackoff: true });
}

/**
 * After the change committed: apply it at once, so a device can connect with the secret it was
 * just given. A failure is logged; the queued job applies it later.
 */
export async function syncNow(ctx: AppContext, deviceId: string): Promise<void> {
  const d = ctx.config.dynsec;
  if (!d) return;
  // After a failure, leave it to the jobs for a while: a spreadsheet of 1,000 devices must not wait
  // for 1,000 connection timeouts while the broker is away.
  if ((unreachableUntil.get(d) ?? 0) > Date.now()) return;
  try {
    await syncDevice(ctx, deviceId);
  } catch (err) {
    // The plugin's refusal of one device says nothing about the broker; no connection or no answer does.
    if (!(err instanceof DynsecError) || err.reason.startsWith('no answer')) unreachableUntil.set(d, Date.now() + 30_000);
    ctx.log.warn({ deviceId, err: err instanceof Error ? err.message : String(err) }, 'broker sync failed; the job retries it');
  }
}

const unreachableUntil = new WeakMap<object, number>();
