import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DeviceGate } from './device-gate.ts';
import { EVENTS_TOPIC, MAX_EVENT_BYTES } from './event-body.ts';

/**
 * The shared subscription several gateway processes split the external broker's load with. The
 * group is `zhiyang` unless MQTT_SHARE_GROUP names another: every gateway of one platform must use
 * the same group, and two platforms (or test runs) on one broker must not, or they would take
 * each other's events.
 */
export function sharedEventsSubscription(group = process.env.MQTT_SHARE_GROUP): string {
  const g = group && /^[A-Za-z0-9_-]{1,64}$/.test(group) ? group : 'zhiyang';
  return `$share/${g}/zy/v1/devices/+/events`;
}

export type BrokerStatus = 'ok' | 'down' | 'disabled' | 'starting';

export interface BrokerHandle {
  status(): BrokerStatus;
  /** The embedded broker's instance (device authentication hooks attach here), when embedded. */
  aedes?: Aedes;
  /** The client subscribed to an external broker, when MQTT_URL is set. */
  client?: mqtt.MqttClient;
  /** TCP port the embedded broker listens on. */
  port?: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(`Port ${port} is already in use; set ${variable} to a free port.`);
  }
}

/**
 * The device side's transport: the embedded Aedes broker on MQTT_PORT, or a client of the
 * external broker at MQTT_URL. With a `gate`, devices are authenticated, confined to their own
 * topics and their events stored before the PUBACK goes back.
 */
export async function startBroker(config: Config, log: Logger, gate?: DeviceGate): Promise<BrokerHandle> {
  if (!config.mqttEnabled) return { status: () => 'disabled', close: async () => {} };
  if (config.mqttUrl) return connectExternal(config.mqttUrl, log, gate);
  const aedes = await Aedes.createBroker();
  if (gate) attachGate(aedes, gate, log);
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(config.mqttPort, 'MQTT_PORT') : err),
    );
    server.listen(config.mqttPort, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.mqttPort;
  log.info({ port }, 'embedded MQTT broker listening');
  return {
    status: () => (server.listening ? 'ok' : 'down'),
    aedes,
    port,
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const own = (clientId: string) => `zy/v1/devices/${clientId}/`;
const clientIp = (client: { conn?: unknown }) => (client.conn as { remoteAddress?: string } | undefined)?.remoteAddress;

/**
 * Device security on the embedded broker. Aedes sends the PUBACK of a QoS 1 publish only after
 * `authorizePublish` calls back, so the event is stored inside it: acked = stored. A storage
 * failure calls back with an error, which closes the connection without a PUBACK (the device
 * resends). A device may publish and subscribe only under zy/v1/devices/{its id}/.
 */
function attachGate(aedes: Aedes, gate: DeviceGate, log: Logger) {
  aedes.authenticate = (client, username, password, done) => {
    gate.authenticate(client.id, username, password ?? undefined).then(
      (ok) => {
        if (ok) return done(null, true);
        log.warn({ clientId: client.id, username, ip: clientIp(client) }, 'MQTT connect refused: wrong device id or secret');
        const err = Object.assign(new Error('not authorized'), { returnCode: 5 });
        done(err as never, false);
      },
      (err) => {
        log.error({ err, clientId: client.id }, 'MQTT authentication failed');
        done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as never, false);
      },
    );
  };
  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(new Error('no client'));
    const topic = packet.topic;
    if (!topic.startsWith(own(client.id))) {
      log.warn({ clientId: client.id, topic, ip: clientIp(client) }, 'MQTT publish refused: not the device’s own topic');
      return done(new Error('topic not allowed'));
    }
    const m = EVENTS_TOPIC.exec(topic);
    if (!m) return done(null); // other own topics pass through the broker, nothing is stored
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (payload.length > MAX_EVENT_BYTES) {
      log.warn({ clientId: client.id, bytes: payload.length }, 'device event rejected: payload over 64 KiB');
      packet.payload = Buffer.alloc(0);
      return done(null);
    }
    gate.onEvent(client.id, payload, 'mqtt').then(
      () => done(null),
      (err) => done(err instanceof Error ? err : new Error(String(err))),
    );
  };
  aedes.authorizeSubscribe = (client, sub, done) => {
    if (client && sub.topic.startsWith(own(client.id)) && !sub.topic.includes('#') && !sub.topic.includes('+'))
      return done(null, sub);
    log.warn({ clientId: client?.id, topic: sub.topic }, 'MQTT subscribe refused: not the device’s own topic');
    done(null, null as never);
  };
}

async function connectExternal(url: string, log: Logger, gate?: DeviceGate): Promise<BrokerHandle> {
  // A stable client id and a persistent session: events queued by the broker while this
  // process was down are delivered when it comes back. The PUBACK is sent only after
  // the event is stored (customHandleAcks).
  const clientId = process.env.MQTT_CLIENT_ID ?? `zhiyang-gw-${hostname()}`.slice(0, 64);
  const client = mqtt.connect(url, {
    clientId,
    clean: !gate,
    protocolVersion: 5,
    properties: gate ? { sessionExpiryInterval: 86_400 } : undefined,
    reconnectPeriod: 2000,
    customHandleAcks: gate
      ? (topic, message, _packet, done) => {
          const m = EVENTS_TOPIC.exec(topic);
          if (!m) return done(0);
          gate.onEvent(m[1], message, 'mqtt').then(
            () => done(0),
            (err) => done(err instanceof Error ? err : new Error(String(err))),
          );
        }
      : undefined,
  });
  if (gate) {
    const topic = sharedEventsSubscription();
    // Subscribe on every connect (idempotent; a lost session must not leave us deaf).
    client.on('connect', () => {
      client.subscribe(topic, { qos: 1 }, (err) => {
        if (err) log.error({ err }, 'could not subscribe to device events on the external broker');
        else log.info({ topic }, 'subscribed to device events');
      });
    });
  }
  let state: BrokerStatus = 'starting';
  client.on('connect', () => {
    state = 'ok';
    log.info('connected to external MQTT broker');
  });
  client.on('close', () => {
    if (state === 'ok') log.warn('external MQTT broker connection lost; reconnecting');
    state = 'down';
  });
  client.on('error', () => {});
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 5000);
    client.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return { status: () => state, client, close: async () => void (await client.endAsync()) };
}
