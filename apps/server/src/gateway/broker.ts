import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { deviceTopicAllowed } from './device-auth.ts';
import type { DeviceGate } from './device-gate.ts';
import { EVENTS_TOPIC } from './event-body.ts';
import { boundSessionQueues, guardPacketSizes, InflightWindow, MQTT_LIMITS } from './mqtt-limits.ts';

/**
 * The shared subscription several gateway processes split the external broker's load with. The
 * group is `zhiyang` unless MQTT_SHARE_GROUP names another: every gateway of one platform must use
 * the same group, and two platforms (or test runs) on one broker must not, or they would take
 * each other's events.
 */
export function sharedEventsSubscription(group?: string): string {
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
  /** Most publishes one device had in flight at once on the embedded broker (bounded by MQTT_LIMITS.inflight). */
  inflightPeak?(): number;
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
  if (config.mqttUrl) return connectExternal(config, config.mqttUrl, log, gate);
  const aedes = await Aedes.createBroker({
    maxInflightInbound: MQTT_LIMITS.inflight,
    queueLimit: MQTT_LIMITS.packetsBeforeConnack,
    // Device topics have five levels; the default (100) only invites deep-topic work.
    maxTopicLevels: 8,
    connectTimeout: 10_000,
    // A device that stops reading is dropped after 30 s instead of holding deliveries for 60 s.
    drainTimeout: 30_000,
  });
  boundSessionQueues(aedes, log);
  const window = gate ? attachGate(aedes, gate, log) : undefined;
  const server: Server = createServer((socket) => {
    aedes.handle(socket);
    // After Aedes attached its 'readable' listener (see guardPacketSizes).
    guardPacketSizes(socket, log);
  });
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
    inflightPeak: () => window?.peak ?? 0,
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const clientIp = (client: { conn?: unknown }) => (client.conn as { remoteAddress?: string } | undefined)?.remoteAddress;

/**
 * Why a device may not publish this packet (device protocol v1), or null when it may: only to its
 * own events topic, never retained, payload at most 64 KiB.
 */
export function publishRefusal(deviceId: string, packet: { topic: string; retain?: boolean; payload?: Buffer | string }) {
  if (!deviceTopicAllowed(deviceId, 'publish', packet.topic)) return 'not the device’s own events topic';
  if (packet.retain) return 'retained messages are not accepted';
  const bytes = Buffer.isBuffer(packet.payload) ? packet.payload.length : Buffer.byteLength(packet.payload ?? '');
  if (bytes > MQTT_LIMITS.eventPayloadBytes) return `payload over ${MQTT_LIMITS.eventPayloadBytes} bytes`;
  return null;
}

/**
 * Device security on the embedded broker. Aedes sends the PUBACK of a QoS 1 publish only after
 * `authorizePublish` calls back, so the event is stored inside it: acked = stored. A storage
 * failure calls back with an error, which closes the connection without a PUBACK (the device
 * resends). A device publishes only to zy/v1/devices/{its id}/events and subscribes only to
 * zy/v1/devices/{its id}/commands; MQTT 3.1.1 has no reason code for a refused publish, so any
 * other publish (another topic, retained, oversize) closes the connection and nothing is kept.
 */
function attachGate(aedes: Aedes, gate: DeviceGate, log: Logger) {
  const window = new InflightWindow();
  const badWill = new WeakMap<object, string>();
  aedes.preConnect = (client, packet, done) => {
    // A will is published by the broker for the device later: hold it to the same rules now, so
    // the device learns at CONNECT (not authorised) instead of the will vanishing silently.
    const reason = packet.will && publishRefusal(packet.clientId, packet.will);
    if (reason) badWill.set(client, reason);
    done(null, true);
  };
  aedes.authenticate = (client, username, password, done) => {
    const will = badWill.get(client);
    if (will) {
      log.warn({ clientId: client.id, ip: clientIp(client), reason: will }, 'MQTT connect refused: will not allowed');
      return done(Object.assign(new Error('not authorized'), { returnCode: 5 }) as never, false);
    }
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
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const reason = publishRefusal(client.id, { topic: packet.topic, retain: packet.retain, payload });
    if (reason) {
      log.warn(
        { clientId: client.id, topic: packet.topic.slice(0, 200), bytes: payload.length, ip: clientIp(client) },
        `MQTT publish refused: ${reason}`,
      );
      return done(new Error(reason));
    }
    window
      .run(client, () => gate.onEvent(client.id, payload, 'mqtt'))
      .then(
        () => done(null),
        (err) => done(err instanceof Error ? err : new Error(String(err))),
      );
  };
  aedes.authorizeSubscribe = (client, sub, done) => {
    if (client && deviceTopicAllowed(client.id, 'subscribe', sub.topic)) return done(null, sub);
    log.warn({ clientId: client?.id, topic: sub.topic }, 'MQTT subscribe refused: not the device’s own commands topic');
    done(null, null as never);
  };
  return window;
}

async function connectExternal(config: Config, url: string, log: Logger, gate?: DeviceGate): Promise<BrokerHandle> {
  // A stable client id and a persistent session: events queued by the broker while this
  // process was down are delivered when it comes back. The PUBACK is sent only after
  // the event is stored (customHandleAcks).
  const clientId = config.mqttClientId ?? `zhiyang-gw-${hostname()}`.slice(0, 64);
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
    const topic = sharedEventsSubscription(config.mqttShareGroup);
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
