import type { RtpPacket } from './recordings.pcap.ts';

/**
 * A call's RTP packets laid out on one timeline and rendered as a 16-bit PCM WAV, 8 kHz, stereo.
 *
 * - Streams are told apart by SSRC. Within a stream a packet's place is its RTP timestamp from
 *   the stream's anchor (sequence numbers and timestamps unwrapped past 65535 / 2³²; a repeated
 *   sequence number is dropped); a stream starts at its first packet's capture time, so the two
 *   legs line up as they were heard. A timestamp that jumps more than 2 s away from the capture
 *   clock (a restarted sender) re-anchors the stream at its capture time.
 * - Gaps (lost packets, silence suppression, a leg that starts later) are silence.
 * - Channels: left is the leg heard first — every stream from the source address (ip:port) of
 *   the earliest stream, normally the caller; right is every other stream (the agent, and after
 *   a transfer the next agent). Streams on one channel that overlap are summed and clipped.
 *
 * Rendering is lazy: `bytes(from, to)` produces any byte range of the WAV (header included) from
 * the packet index, so a range request or a stream never holds the whole file in memory.
 */

export const SAMPLE_RATE = 8000;
export const CHANNELS = 2;
const BYTES_PER_FRAME = 2 * CHANNELS;
export const WAV_HEADER_BYTES = 44;
/** Longer than any hotline call; a file claiming more is cut here. */
export const MAX_SECONDS = 6 * 3600;
const RE_ANCHOR_SAMPLES = 2 * SAMPLE_RATE;

const ULAW = new Int16Array(256);
const ALAW = new Int16Array(256);
for (let i = 0; i < 256; i++) {
  const u = ~i & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  ULAW[i] = u & 0x80 ? 0x84 - t : t - 0x84;
  const a = i ^ 0x55;
  let m = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) m += 8;
  else {
    m += 0x108;
    if (seg > 1) m <<= seg - 1;
  }
  ALAW[i] = a & 0x80 ? m : -m;
}
/** G.711 μ-law / A-law byte → 16-bit linear sample (ITU-T G.711 expansion). */
export const decodeUlaw = (b: number) => ULAW[b & 0xff];
export const decodeAlaw = (b: number) => ALAW[b & 0xff];

interface Segment {
  /** First sample frame of the packet on the timeline. */
  start: number;
  channel: 0 | 1;
  table: Int16Array;
  payload: Uint8Array;
}

export interface Timeline {
  /** Sample frames (one sample per channel each). */
  frames: number;
  /** RTP streams (SSRCs) found, and on which channel each went. */
  streams: Array<{ ssrc: number; source: string; channel: 0 | 1; packets: number }>;
  segments: Segment[];
  maxPayload: number;
}

/** Lay the packets out on one timeline (see the module comment for the rules). */
export function buildTimeline(packets: RtpPacket[]): Timeline {
  const bySsrc = new Map<number, RtpPacket[]>();
  for (const p of packets) {
    const list = bySsrc.get(p.ssrc);
    if (list) list.push(p);
    else bySsrc.set(p.ssrc, [p]);
  }
  const t0 = packets.reduce((m, p) => Math.min(m, p.capturedUs), Number.POSITIVE_INFINITY);
  const toSamples = (us: number) => Math.round(((us - t0) * SAMPLE_RATE) / 1e6);
  const streams = [...bySsrc.entries()]
    .map(([ssrc, list]) => ({ ssrc, list, first: list.reduce((m, p) => Math.min(m, p.capturedUs), Number.POSITIVE_INFINITY) }))
    .sort((a, b) => a.first - b.first);
  const leftSource = streams[0]?.list[0].source;
  const maxFrames = MAX_SECONDS * SAMPLE_RATE;
  const segments: Segment[] = [];
  const info: Timeline['streams'] = [];
  let frames = 0;
  let maxPayload = 0;
  for (const s of streams) {
    const channel: 0 | 1 = s.list[0].source === leftSource ? 0 : 1;
    // Unwrap sequence numbers and timestamps in capture order, then play in sequence order.
    const ext = unwrap(s.list);
    ext.sort((a, b) => a.seq - b.seq);
    let anchorTs = 0;
    let anchorAt = 0;
    let anchored = false;
    let lastSeq = Number.NaN;
    let kept = 0;
    for (const e of ext) {
      if (e.seq === lastSeq) continue; // the same packet recorded twice
      lastSeq = e.seq;
      const at = toSamples(e.p.capturedUs);
      if (!anchored || Math.abs(anchorAt + (e.ts - anchorTs) - at) > RE_ANCHOR_SAMPLES) {
        anchorTs = e.ts;
        anchorAt = at;
        anchored = true;
      }
      const start = anchorAt + (e.ts - anchorTs);
      if (start < 0 || start + e.p.payload.length > maxFrames) continue;
      segments.push({ start, channel, table: e.p.payloadType === 0 ? ULAW : ALAW, payload: e.p.payload });
      frames = Math.max(frames, start + e.p.payload.length);
      maxPayload = Math.max(maxPayload, e.p.payload.length);
      kept++;
    }
    info.push({ ssrc: s.ssrc, source: s.list[0].source, channel, packets: kept });
  }
  segments.sort((a, b) => a.start - b.start);
  return { frames, streams: info, segments, maxPayload };
}

function unwrap(list: RtpPacket[]) {
  const inOrder = [...list].sort((a, b) => a.capturedUs - b.capturedUs);
  const out: Array<{ seq: number; ts: number; p: RtpPacket }> = [];
  let seq = 0;
  let ts = 0;
  let prev: RtpPacket | undefined;
  for (const p of inOrder) {
    if (prev) {
      seq += ((p.seq - prev.seq + 0x8000) & 0xffff) - 0x8000;
      ts += ((p.timestamp - prev.timestamp + 0x80000000) >>> 0) - 0x80000000;
    } else {
      seq = p.seq;
      ts = p.timestamp;
    }
    out.push({ seq, ts, p });
    prev = p;
  }
  return out;
}

/** The size in bytes of the WAV of this timeline. */
export const wavSize = (t: Timeline) => WAV_HEADER_BYTES + t.frames * BYTES_PER_FRAME;

/** The canonical 44-byte header of a 16-bit PCM WAV (RIFF, fmt, data). */
export function wavHeader(frames: number, rate = SAMPLE_RATE, channels = CHANNELS): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  const dataBytes = frames * 2 * channels;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2 * channels, 28);
  h.writeUInt16LE(2 * channels, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Interleaved 16-bit little-endian PCM of frames [from, to). */
export function renderFrames(t: Timeline, from: number, to: number): Buffer {
  const n = Math.max(0, to - from);
  const mix = new Int32Array(n * CHANNELS);
  // The first segment that can reach `from`: segments are sorted by start and at most maxPayload long.
  let lo = 0;
  let hi = t.segments.length;
  const floor = from - t.maxPayload;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.segments[mid].start < floor) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < t.segments.length && t.segments[i].start < to; i++) {
    const s = t.segments[i];
    const a = Math.max(from, s.start);
    const b = Math.min(to, s.start + s.payload.length);
    for (let f = a; f < b; f++) mix[(f - from) * CHANNELS + s.channel] += s.table[s.payload[f - s.start]];
  }
  // Little-endian, as WAV wants, on every platform Node runs Zhiyang on (x86-64, ARM64).
  const pcm = new Int16Array(mix.length);
  for (let i = 0; i < mix.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, mix[i]));
  return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

const CHUNK_FRAMES = 64 * 1024;

/** Bytes [start, end] (inclusive, as HTTP ranges count) of the WAV, in chunks of at most 256 KiB. */
export function* wavBytes(t: Timeline, start: number, end: number): Generator<Buffer> {
  if (start < WAV_HEADER_BYTES) yield wavHeader(t.frames).subarray(start, Math.min(WAV_HEADER_BYTES, end + 1));
  let pos = Math.max(start, WAV_HEADER_BYTES);
  while (pos <= end) {
    const frame = Math.floor((pos - WAV_HEADER_BYTES) / BYTES_PER_FRAME);
    const upto = Math.min(t.frames, frame + CHUNK_FRAMES);
    const chunk = renderFrames(t, frame, upto);
    const skip = pos - (WAV_HEADER_BYTES + frame * BYTES_PER_FRAME);
    const take = Math.min(chunk.length - skip, end + 1 - pos);
    if (take <= 0) break;
    yield chunk.subarray(skip, skip + take);
    pos += take;
  }
}
