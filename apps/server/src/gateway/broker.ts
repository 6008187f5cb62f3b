import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';

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
 * external broker at MQTT_URL. Device authentication and intake attach to what this returns.
 */
export async function startBroker(config: Config, log: Logger): Promise<BrokerHandle> {
  if (!config.mqttEnabled) return { status: () => 'disabled', close: async () => {} };
  if (config.mqttUrl) return connectExternal(config.mqttUrl, log);
  const aedes = await Aedes.createBroker();
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

async function connectExternal(url: string, log: Logger): Promise<BrokerHandle> {
  const client = mqtt.connect(url, {
    clientId: `zhiyang-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    reconnectPeriod: 2000,
  });
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
