import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSealedFile } from '../../lib/crypto.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { sealRecordings } from './recordings.seal.ts';
import { linearToUlaw } from './recordings.testing.ts';

// The real recorder: rtpengine (Debian's package, userspace, --recording-method=pcap) relays one
// call's RTP both ways and writes the pcap; Zhiyang plays it back as the two tones that were sent.
// Skipped where rtpengine is not installed (.ci/run installs it with the telephony packages).

const hasRtpengine = spawnSync('rtpengine', ['--version']).status === 0;

let s: TestServer;
let dir: string;
let rtpe: ChildProcess | undefined;
let ngPort = 0;
let ng: dgram.Socket;

/** Minimal bencode, as rtpengine's ng control protocol speaks it. */
type B = string | number | B[] | { [k: string]: B };
const enc = (v: B): string =>
  typeof v === 'string'
    ? `${Buffer.byteLength(v)}:${v}`
    : typeof v === 'number'
      ? `i${v}e`
      : Array.isArray(v)
        ? `l${v.map(enc).join('')}e`
        : `d${Object.keys(v)
            .sort()
            .map((k) => enc(k) + enc(v[k]))
            .join('')}e`;
function dec(b: Buffer): Record<string, string> {
  let i = 0;
  const read = (): B => {
    const c = String.fromCharCode(b[i]);
    if (c === 'd' || c === 'l') {
      i++;
      const items: B[] = [];
      while (b[i] !== 0x65) items.push(read());
      i++;
      if (c === 'l') return items;
      const o: Record<string, B> = {};
      for (let k = 0; k < items.length; k += 2) o[items[k] as string] = items[k + 1];
      return o;
    }
    if (c === 'i') {
      const e = b.indexOf(0x65, i);
      const n = Number(b.subarray(i + 1, e).toString());
      i = e + 1;
      return n;
    }
    const colon = b.indexOf(0x3a, i);
    const len = Number(b.subarray(i, colon).toString());
    i = colon + 1 + len;
    return b.subarray(colon + 1, i).toString();
  };
  return read() as Record<string, string>;
}

let cookie = 0;
function ngCall(msg: Record<string, B>, timeoutMs = 500): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const c = `t${++cookie}`;
    const timer = setTimeout(() => {
      ng.off('message', on);
      reject(new Error(`rtpengine did not answer ${String(msg.command)}`));
    }, timeoutMs);
    const on = (m: Buffer) => {
      if (!m.subarray(0, c.length + 1).equals(Buffer.from(`${c} `))) return;
      clearTimeout(timer);
      ng.off('message', on);
      resolve(dec(m.subarray(c.length + 1)));
    };
    ng.on('message', on);
    ng.send(`${c} ${enc(msg)}`, ngPort, '127.0.0.1');
  });
}

const bind = async (sock: dgram.Socket) => {
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  return sock.address().port;
};

beforeAll(async () => {
  if (!hasRtpengine) return;
  dir = mkdtempSync(path.join(tmpdir(), 'zy-rtpe-'));
  ng = dgram.createSocket('udp4');
  await bind(ng);
  // A free-looking control port and RTP range of its own (rtpengine cannot bind port 0 for ng).
  const base = 40000 + Math.floor(Math.random() * 200) * 100;
  ngPort = base + 99;
  rtpe = spawn(
    'rtpengine',
    [
      '--config-file=none',
      '--table=-1',
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      '--foreground',
      '--log-stderr',
      '--log-level=4',
      '--recording-method=pcap',
      `--recording-dir=${dir}`,
      '--delete-delay=0',
      `--port-min=${base}`,
      `--port-max=${base + 60}`,
      `--pidfile=${path.join(dir, 'rtpengine.pid')}`,
    ],
    { stdio: 'ignore' },
  );
  for (let k = 0; ; k++) {
    try {
      if ((await ngCall({ command: 'ping' }, 200)).result === 'pong') break;
    } catch (err) {
      if (k > 50) throw err;
    }
  }
  s = await startTestServer({ config: { recordingsDir: dir } });
  await seedTree(s.ctx);
}, 30_000);

afterAll(async () => {
  if (!hasRtpengine) return;
  ng?.close();
  if (rtpe && rtpe.exitCode === null) {
    const exited = new Promise((r) => rtpe?.once('exit', r));
    rtpe.kill('SIGTERM');
    await exited;
  }
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const sdp = (port: number) =>
  `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
const mediaPort = (sdpText: string) => Number(/m=audio (\d+)/.exec(sdpText)?.[1]);

function rtp(ssrc: number, i: number, hz: number, amplitude: number) {
  const b = Buffer.alloc(12 + 160);
  b[0] = 0x80;
  b.writeUInt16BE((1000 + i) & 0xffff, 2);
  b.writeUInt32BE((5000 + i * 160) >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  for (let k = 0; k < 160; k++)
    b[12 + k] = linearToUlaw(Math.round(amplitude * Math.sin((2 * Math.PI * hz * (i * 160 + k)) / 8000)));
  return b;
}

function frequencyOf(samples: number[]) {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1] < 0 !== samples[i] < 0) crossings++;
  return (crossings * 8000) / samples.length / 2;
}

describe.skipIf(!hasRtpengine)('a recording written by rtpengine', () => {
  it('plays back as the caller’s tone on the left and the agent’s on the right', async () => {
    const caller = dgram.createSocket('udp4');
    const agent = dgram.createSocket('udp4');
    const callerPort = await bind(caller);
    const agentPort = await bind(agent);
    const callId = `zy-${Date.now()}@127.0.0.1`;
    const offer = await ngCall({
      command: 'offer',
      'call-id': callId,
      'from-tag': 'c',
      sdp: sdp(callerPort),
      'record call': 'yes',
    });
    expect(offer.result, JSON.stringify(offer)).toBe('ok');
    const answer = await ngCall({
      command: 'answer',
      'call-id': callId,
      'from-tag': 'c',
      'to-tag': 'a',
      sdp: sdp(agentPort),
      'record call': 'yes',
    });
    expect(answer.result, JSON.stringify(answer)).toBe('ok');
    let relayed = 0;
    agent.on('message', () => relayed++);
    // 2 s of 400 Hz from the caller; the agent answers with 1000 Hz from 0.5 s.
    for (let i = 0; i < 100; i++) {
      caller.send(rtp(0x0c0c0c0c, i, 400, 8000), mediaPort(answer.sdp), '127.0.0.1');
      if (i >= 25) agent.send(rtp(0x0a0a0a0a, i - 25, 1000, 6000), mediaPort(offer.sdp), '127.0.0.1');
      await new Promise((r) => setTimeout(r, 20));
    }
    await ngCall({ command: 'delete', 'call-id': callId, 'from-tag': 'c' });
    caller.close();
    agent.close();
    expect(relayed).toBeGreaterThan(90);
    const pcaps = readdirSync(path.join(dir, 'pcaps')).filter((f) => f.endsWith('.pcap'));
    expect(pcaps).toHaveLength(1);

    // As the telephony reports it: the pcap's path relative to RECORDINGS_DIR.
    const sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect(
      (await sup.api.post('/api/v1/call-hotlines', { number: '968962', name: '热线', regionCode: TREE.district })).statusCode,
    ).toBe(201);
    const post = async (body: Record<string, unknown>) =>
      (await sup.api.post('/api/v1/cti/simulator/events', { eventId: `${callId}-${body.type}`, callId, ...body })).json();
    const now = Date.now();
    const { callId: id } = await post({
      type: 'call.offered',
      occurredAt: new Date(now - 5000).toISOString(),
      hotline: '968962',
      caller: '13800138000',
    });
    await post({ type: 'call.recording_ready', occurredAt: new Date(now).toISOString(), recordingRef: `pcaps/${pcaps[0]}` });

    const res = await sup.api.get(`/api/v1/calls/${id}/recording`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.rawPayload;
    expect(body.readUInt16LE(22)).toBe(2);
    const frames = (body.length - 44) / 4;
    expect(frames / 8000).toBeGreaterThan(1.9);
    expect(frames / 8000).toBeLessThan(2.3);
    const channel = (c: number) => Array.from({ length: frames }, (_, f) => body.readInt16LE(44 + f * 4 + c * 2));
    const left = channel(0);
    const right = channel(1);
    expect(frequencyOf(left.slice(0, 15_000))).toBeCloseTo(400, -1);
    const rightStarts = right.findIndex((v) => v !== 0);
    expect(rightStarts / 8000).toBeGreaterThan(0.4);
    expect(rightStarts / 8000).toBeLessThan(0.7);
    expect(frequencyOf(right.slice(rightStarts, rightStarts + 10_000))).toBeCloseTo(1000, -1);

    // Sealed at rest as the worker does it: rtpengine's file is no longer readable, the same WAV still plays.
    expect(await sealRecordings(s.ctx)).toMatchObject({ sealed: 1 });
    expect(isSealedFile(readFileSync(path.join(dir, 'pcaps', pcaps[0])))).toBe(true);
    const again = await sup.api.get(`/api/v1/calls/${id}/recording`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.rawPayload.equals(body)).toBe(true);
  }, 30_000);
});
