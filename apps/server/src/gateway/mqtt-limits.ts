import type { Socket } from 'node:net';
import type { Aedes, Client } from 'aedes';
import type { Logger } from 'pino';
import { MAX_EVENT_BYTES } from './event-body.ts';

/**
 * What one device connection may cost the embedded broker (device protocol v1, "Limits"). The
 * external-broker equivalents are in deploy/mosquitto/zhiyang.conf and docs/device-protocol.md.
 */
export const MQTT_LIMITS = {
  /** Largest event payload on zy/v1/devices/{id}/events, as over HTTP. */
  eventPayloadBytes: MAX_EVENT_BYTES,
  /**
   * Largest PUBLISH (or CONNECT, which may carry a will) packet: the event payload plus its
   * topic, packet id and header. Anything larger is refused from its first bytes.
   */
  publishPacketBytes: MAX_EVENT_BYTES + 1024,
  /** SUBSCRIBE / UNSUBSCRIBE: a device subscribes to one topic. */
  subscribePacketBytes: 1024,
  /** Every other packet MQTT 3.1.1 lets a client send is a few bytes. */
  controlPacketBytes: 256,
  /** Publishes of one client being stored at once (QoS 1) or awaiting PUBREL (QoS 2). */
  inflight: 32,
  /** Commands kept for one persistent session (queued while offline plus sent but not acked). */
  queuedCommands: 100,
  /** Packets a client may send before its CONNACK. */
  packetsBeforeConnack: 8,
} as const;

// MQTT control packet types (high nibble of the first byte).
const CONNECT = 1;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const UNSUBSCRIBE = 10;

function packetLimit(type: number): number {
  if (type === PUBLISH || type === CONNECT) return MQTT_LIMITS.publishPacketBytes;
  if (type === SUBSCRIBE || type === UNSUBSCRIBE) return MQTT_LIMITS.subscribePacketBytes;
  return MQTT_LIMITS.controlPacketBytes;
}

const PACKET_NAMES: Record<number, string> = { 1: 'CONNECT', 3: 'PUBLISH', 8: 'SUBSCRIBE', 10: 'UNSUBSCRIBE' };

/**
 * Close a connection as soon as the fixed header of a packet announces more bytes than its type
 * may have. Aedes and mqtt-packet have no maximum packet size and would buffer a 50 MB publish
 * whole before any hook sees it; this reads only the headers. Aedes pulls the socket with
 * `read()` on 'readable', and a 'data' listener added after it sees each chunk as Aedes reads it
 * without changing the flow, so at most one socket read of an oversize packet is ever held.
 */
export function guardPacketSizes(socket: Socket, log: Logger) {
  let state: 'header' | 'length' | 'body' = 'header';
  let type = 0;
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  let remaining = 0;
  const refuse = (reason: string, declared?: number) => {
    log.warn(
      { ip: socket.remoteAddress, packet: PACKET_NAMES[type] ?? type, bytes: declared },
      `MQTT connection closed: ${reason}`,
    );
    socket.removeListener('data', onData);
    socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'body') {
        const take = Math.min(remaining, chunk.length - i);
        remaining -= take;
        i += take;
        if (remaining === 0) state = 'header';
        continue;
      }
      const byte = chunk[i++];
      if (state === 'header') {
        type = byte >> 4;
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        state = 'length';
        continue;
      }
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes++;
      if (length > packetLimit(type)) return refuse('packet too large', length);
      if (byte & 0x80) {
        if (lengthBytes === 4) return refuse('malformed remaining length');
        continue;
      }
      remaining = length;
      state = remaining ? 'body' : 'header';
    }
  };
  socket.on('data', onData);
}

/**
 * At most `MQTT_LIMITS.inflight` publishes of one client are handed to the intake at once; the
 * rest wait their turn in arrival order. Aedes hands every packet of a socket read to the
 * handlers together, so without this one device's flood would fill the intake queue.
 */
export class InflightWindow {
  private readonly clients = new WeakMap<Client, { active: number; waiting: Array<() => void> }>();
  /** The most publishes any one client had in flight (a bound the tests check). */
  peak = 0;

  run<T>(client: Client, work: () => Promise<T>): Promise<T> {
    let w = this.clients.get(client);
    if (!w) {
      w = { active: 0, waiting: [] };
      this.clients.set(client, w);
    }
    const slot = w;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        slot.active++;
        this.peak = Math.max(this.peak, slot.active);
        work()
          .then(resolve, reject)
          .finally(() => {
            slot.active--;
            slot.waiting.shift()?.();
          });
      };
      if (slot.active < MQTT_LIMITS.inflight) start();
      else slot.waiting.push(start);
    });
  }
}

interface SessionStore {
  outgoingEnqueue(sub: { clientId: string }, packet: unknown): Promise<void>;
  outgoingEnqueueCombi(subs: Array<{ clientId: string }>, packet: unknown): Promise<void>;
  outgoingStream(client: { id: string }): AsyncIterable<unknown>;
}

/**
 * Bound what the broker keeps for a persistent session (clean = false): commands queued while the
 * device is offline plus those sent and not yet acknowledged. Beyond `queuedCommands` a new
 * command is not kept for that device (as Mosquitto's max_queued_messages drops new messages);
 * a connected device that has stopped acknowledging is disconnected by Aedes at the next one.
 */
export function boundSessionQueues(aedes: Aedes, log: Logger) {
  // The in-memory persistence's methods, called by Aedes without a callback (promise form).
  const p = (aedes as unknown as { persistence: SessionStore }).persistence;
  const enqueue = p.outgoingEnqueue.bind(p);
  const enqueueCombi = p.outgoingEnqueueCombi.bind(p);
  const full = async (clientId: string) => {
    let n = 0;
    for await (const _ of p.outgoingStream({ id: clientId })) if (++n >= MQTT_LIMITS.queuedCommands) break;
    if (n < MQTT_LIMITS.queuedCommands) return false;
    log.warn({ clientId, limit: MQTT_LIMITS.queuedCommands }, 'MQTT session queue full: message not kept for the device');
    return true;
  };
  // Check and enqueue one message at a time: concurrent publishes would all see room.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = (fn: () => Promise<void>) => {
    const next = turn.then(fn);
    turn = next.catch(() => {});
    return next;
  };
  p.outgoingEnqueue = (sub, packet) =>
    serial(async () => {
      if (!(await full(sub.clientId))) await enqueue(sub, packet);
    });
  p.outgoingEnqueueCombi = (subs, packet) =>
    serial(async () => {
      const keep = [];
      for (const sub of subs) if (!(await full(sub.clientId))) keep.push(sub);
      if (keep.length) await enqueueCombi(keep, packet);
    });
}
