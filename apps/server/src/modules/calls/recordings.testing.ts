/**
 * Synthetic call recordings for the tests: a pcap as rtpengine writes it (global header, then one
 * record per RTP packet with its link-layer, IPv4 and UDP headers), carrying G.711 tones.
 */

export type LinkType = 'ethernet' | 'raw' | 'sll';

export interface Leg {
  ssrc: number;
  /** Source address and port of the leg's packets. */
  from: [string, number];
  to: [string, number];
  /** Sine frequency (Hz) and amplitude of the tone the leg carries. */
  hz: number;
  amplitude: number;
  /** When the leg's first packet was captured, in ms after the recording's start. */
  startMs: number;
  packets: number;
  firstSeq: number;
  firstTimestamp: number;
  law: 'ulaw' | 'alaw';
  /** Packet indexes left out (lost). */
  lose?: number[];
}

export const SAMPLES_PER_PACKET = 160;
const T0_SECONDS = 1_795_000_000;

/** The tone's linear sample n of a leg (before G.711). */
export const toneSample = (leg: Leg, n: number) => Math.round(leg.amplitude * Math.sin((2 * Math.PI * leg.hz * n) / 8000));

/** ITU-T G.711 μ-law compression of a 16-bit sample. */
export function linearToUlaw(sample: number): number {
  const BIAS = 0x84;
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  s = Math.min(s, 32635) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; exponent--, mask >>= 1);
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** ITU-T G.711 A-law compression of a 16-bit sample. */
export function linearToAlaw(sample: number): number {
  let pcm = sample >> 3;
  let mask: number;
  if (pcm >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  const seg = ends.findIndex((e) => pcm <= e);
  if (seg < 0) return 0x7f ^ mask;
  const aval = (seg << 4) | ((seg < 2 ? pcm >> 1 : pcm >> seg) & 0x0f);
  return aval ^ mask;
}

export const encode = (leg: Leg, n: number) =>
  leg.law === 'ulaw' ? linearToUlaw(toneSample(leg, n)) : linearToAlaw(toneSample(leg, n));

function rtp(leg: Leg, i: number): Buffer {
  const b = Buffer.alloc(12 + SAMPLES_PER_PACKET);
  b[0] = 0x80;
  b[1] = leg.law === 'ulaw' ? 0 : 8;
  b.writeUInt16BE((leg.firstSeq + i) & 0xffff, 2);
  b.writeUInt32BE((leg.firstTimestamp + i * SAMPLES_PER_PACKET) >>> 0, 4);
  b.writeUInt32BE(leg.ssrc >>> 0, 8);
  for (let k = 0; k < SAMPLES_PER_PACKET; k++) b[12 + k] = encode(leg, i * SAMPLES_PER_PACKET + k);
  return b;
}

function ipv4Udp(from: [string, number], to: [string, number], payload: Buffer): Buffer {
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  from[0].split('.').forEach((o, k) => {
    ip[12 + k] = Number(o);
  });
  to[0].split('.').forEach((o, k) => {
    ip[16 + k] = Number(o);
  });
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(from[1], 0);
  udp.writeUInt16BE(to[1], 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([ip, udp, payload]);
}

function frame(link: LinkType, ipPacket: Buffer): Buffer {
  if (link === 'raw') return ipPacket;
  if (link === 'ethernet') {
    const eth = Buffer.alloc(14);
    eth.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2]);
    eth.writeUInt16BE(0x0800, 12);
    return Buffer.concat([eth, ipPacket]);
  }
  const sll = Buffer.alloc(16);
  sll.writeUInt16BE(0, 0); // sent to us
  sll.writeUInt16BE(1, 2);
  sll.writeUInt16BE(6, 4);
  sll.writeUInt16BE(0x0800, 14);
  return Buffer.concat([sll, ipPacket]);
}

/**
 * A pcap of the legs' packets in capture order (20 ms apart), each leg's packets with the given
 * losses; `swap` exchanges two adjacent records to show reordering does not matter.
 */
export function buildPcap(legs: Leg[], link: LinkType = 'ethernet', opts: { swap?: number; rtcp?: boolean } = {}): Buffer {
  const records: Array<{ us: number; data: Buffer }> = [];
  for (const leg of legs) {
    for (let i = 0; i < leg.packets; i++) {
      if (leg.lose?.includes(i)) continue;
      records.push({ us: (leg.startMs + i * 20) * 1000, data: frame(link, ipv4Udp(leg.from, leg.to, rtp(leg, i))) });
    }
    if (opts.rtcp) {
      // An RTCP sender report on the RTP port (rtcp-mux): skipped by the reader.
      const sr = Buffer.alloc(28);
      sr[0] = 0x80;
      sr[1] = 200;
      sr.writeUInt16BE(6, 2);
      sr.writeUInt32BE(leg.ssrc >>> 0, 4);
      records.push({ us: (leg.startMs + 10) * 1000, data: frame(link, ipv4Udp(leg.from, leg.to, sr)) });
    }
  }
  records.sort((a, b) => a.us - b.us);
  if (opts.swap !== undefined) [records[opts.swap], records[opts.swap + 1]] = [records[opts.swap + 1], records[opts.swap]];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(link === 'ethernet' ? 1 : link === 'raw' ? 101 : 113, 20);
  const parts: Buffer[] = [header];
  for (const r of records) {
    const h = Buffer.alloc(16);
    h.writeUInt32LE(T0_SECONDS + Math.floor(r.us / 1e6), 0);
    h.writeUInt32LE(r.us % 1e6, 4);
    h.writeUInt32LE(r.data.length, 8);
    h.writeUInt32LE(r.data.length, 12);
    parts.push(h, r.data);
  }
  return Buffer.concat(parts);
}

/** The caller's leg: 400 Hz μ-law for 2 s from the start, its sequence and timestamp wrapping. */
export const callerLeg = (over: Partial<Leg> = {}): Leg => ({
  ssrc: 0x11111111,
  from: ['10.0.0.1', 30000],
  to: ['10.0.0.9', 40000],
  hz: 400,
  amplitude: 8000,
  startMs: 0,
  packets: 100,
  firstSeq: 65500,
  firstTimestamp: 0xffffff00,
  law: 'ulaw',
  ...over,
});

/** The agent's leg: 1000 Hz μ-law from 0.5 s to 2 s, its 10th packet lost. */
export const agentLeg = (over: Partial<Leg> = {}): Leg => ({
  ssrc: 0x22222222,
  from: ['10.0.0.2', 31000],
  to: ['10.0.0.9', 40002],
  hz: 1000,
  amplitude: 6000,
  startMs: 500,
  packets: 75,
  firstSeq: 7,
  firstTimestamp: 123456,
  law: 'ulaw',
  lose: [10],
  ...over,
});
