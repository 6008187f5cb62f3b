/**
 * Reading a call's pcap (rtpengine `--recording-method=pcap`: both legs, decrypted RTP) into the
 * G.711 packets it carries. Pure: bytes in, packets out; no file system, no database.
 *
 * Classic libpcap files only (micro- or nanosecond, either byte order). Link types: Ethernet
 * (with 802.1Q tags), raw IP (101, and DLT_RAW 12/14), BSD loopback (0), Linux cooked v1 (113)
 * and v2 (276). IPv4 (unfragmented) and IPv6 (no extension headers), UDP, RTP version 2 with
 * payload type 0 (PCMU, μ-law) or 8 (PCMA, A-law); everything else — RTCP, DTMF events, comfort
 * noise, other codecs, truncated packets — is skipped, not an error.
 */

export interface RtpPacket {
  ssrc: number;
  seq: number;
  timestamp: number;
  /** 0 PCMU (μ-law), 8 PCMA (A-law). */
  payloadType: 0 | 8;
  /** Capture time in microseconds since the epoch. */
  capturedUs: number;
  /** `ip:port` the packet came from: the leg it belongs to. */
  source: string;
  payload: Uint8Array;
}

export class PcapError extends Error {}

const LINK_ETHERNET = 1;
const LINK_NULL = 0;
const LINK_RAW = [101, 12, 14];
const LINK_SLL = 113;
const LINK_SLL2 = 276;

/** Every G.711 RTP packet of a classic pcap file, in file order. Throws PcapError when it is not one. */
export function readPcapRtp(buf: Uint8Array): RtpPacket[] {
  if (buf.length < 24) throw new PcapError('not a pcap file: shorter than its header');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magicBE = view.getUint32(0, false);
  let little: boolean;
  let nanos: boolean;
  if (magicBE === 0xa1b2c3d4 || magicBE === 0xa1b23c4d) {
    little = false;
    nanos = magicBE === 0xa1b23c4d;
  } else if (magicBE === 0xd4c3b2a1 || magicBE === 0x4d3cb2a1) {
    little = true;
    nanos = magicBE === 0x4d3cb2a1;
  } else throw new PcapError('not a pcap file: unknown magic number (pcapng is not read)');
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const packets: RtpPacket[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const sec = view.getUint32(off, little);
    const frac = view.getUint32(off + 4, little);
    const inclLen = view.getUint32(off + 8, little);
    off += 16;
    if (off + inclLen > buf.length) break; // a file cut short (the recorder still writing): keep what is whole
    const frame = buf.subarray(off, off + inclLen);
    off += inclLen;
    const capturedUs = sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac);
    const ip = ipPayloadOf(frame, linkType);
    if (!ip) continue;
    const udp = udpOf(ip);
    if (!udp) continue;
    const rtp = rtpOf(udp.data);
    if (rtp) packets.push({ ...rtp, capturedUs, source: `${udp.src}:${udp.srcPort}` });
  }
  return packets;
}

/** The IP packet inside a link-layer frame, or null for anything else (ARP, …). */
function ipPayloadOf(frame: Uint8Array, linkType: number): Uint8Array | null {
  const u16 = (o: number) => (frame[o] << 8) | frame[o + 1];
  let etherType: number;
  let off: number;
  if (linkType === LINK_ETHERNET) {
    if (frame.length < 14) return null;
    off = 12;
    etherType = u16(off);
    off += 2;
    while ((etherType === 0x8100 || etherType === 0x88a8) && frame.length >= off + 4) {
      etherType = u16(off + 2);
      off += 4;
    }
  } else if (LINK_RAW.includes(linkType)) {
    return frame;
  } else if (linkType === LINK_NULL) {
    // The address family in host byte order: 2 is IPv4; IPv6 is 24, 28 or 30 by platform.
    return frame.length > 4 ? frame.subarray(4) : null;
  } else if (linkType === LINK_SLL) {
    if (frame.length < 16) return null;
    etherType = u16(14);
    off = 16;
  } else if (linkType === LINK_SLL2) {
    if (frame.length < 20) return null;
    etherType = u16(0);
    off = 20;
  } else throw new PcapError(`unsupported link type ${linkType}`);
  return etherType === 0x0800 || etherType === 0x86dd ? frame.subarray(off) : null;
}

function udpOf(ip: Uint8Array): { src: string; srcPort: number; data: Uint8Array } | null {
  if (ip.length < 1) return null;
  const version = ip[0] >> 4;
  let src: string;
  let l4: Uint8Array;
  if (version === 4) {
    const ihl = (ip[0] & 0x0f) * 4;
    if (ip.length < 20 || ihl < 20 || ip[9] !== 17) return null;
    const fragment = ((ip[6] & 0x1f) << 8) | ip[7];
    if (fragment !== 0 || ip[6] & 0x20) return null; // fragments: RTP of G.711 is never fragmented
    const total = (ip[2] << 8) | ip[3];
    src = `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`;
    l4 = ip.subarray(ihl, Math.min(ip.length, total || ip.length));
  } else if (version === 6) {
    if (ip.length < 40 || ip[6] !== 17) return null;
    const words: string[] = [];
    for (let i = 8; i < 24; i += 2) words.push(((ip[i] << 8) | ip[i + 1]).toString(16));
    src = `[${words.join(':')}]`;
    const payloadLen = (ip[4] << 8) | ip[5];
    l4 = ip.subarray(40, Math.min(ip.length, 40 + payloadLen));
  } else return null;
  if (l4.length < 8) return null;
  const udpLen = (l4[4] << 8) | l4[5];
  return {
    src,
    srcPort: (l4[0] << 8) | l4[1],
    data: l4.subarray(8, udpLen >= 8 ? Math.min(l4.length, udpLen) : l4.length),
  };
}

function rtpOf(d: Uint8Array): Omit<RtpPacket, 'capturedUs' | 'source'> | null {
  if (d.length < 12 || d[0] >> 6 !== 2) return null;
  const payloadType = d[1] & 0x7f;
  if (payloadType !== 0 && payloadType !== 8) return null; // RTCP (72–76 here), events, CN, other codecs
  let start = 12 + (d[0] & 0x0f) * 4;
  if (d[0] & 0x10) {
    if (d.length < start + 4) return null;
    start += 4 + ((d[start + 2] << 8) | d[start + 3]) * 4;
  }
  let end = d.length;
  if (d[0] & 0x20) end -= d[d.length - 1];
  if (end <= start) return null;
  return {
    payloadType,
    seq: (d[2] << 8) | d[3],
    timestamp: ((d[4] << 24) | (d[5] << 16) | (d[6] << 8) | d[7]) >>> 0,
    ssrc: ((d[8] << 24) | (d[9] << 16) | (d[10] << 8) | d[11]) >>> 0,
    payload: d.subarray(start, end),
  };
}
