import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/** What the telephony browser test needs on the machine (Debian packages, see .ci/run). */
export const TELEPHONY_BINARIES = ['/usr/sbin/kamailio', '/usr/bin/rtpengine', '/usr/bin/rtpengine-ctl', '/usr/bin/baresip'];
export const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

/** Why the telephony test cannot run here, or null when it can. */
export function telephonyMissing(): string | null {
  const missing = TELEPHONY_BINARIES.filter((b) => !existsSync(b));
  for (const m of ['websocket.so', 'crypto.so', 'http_client.so', 'jansson.so', 'rtpengine.so'])
    if (!existsSync(path.join(KAMAILIO_MODULES, m))) missing.push(m);
  return missing.length ? `telephony test skipped: ${missing.join(', ')} missing (apt-get install, see .ci/run)` : null;
}

/** A TCP and UDP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** Whether nothing listens on the port (TCP and UDP) right now. */
async function portFree(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return new Promise<boolean>((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port for baresip: it listens on it (UDP, TCP) and on the next one (TLS), so both must be free. */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65535 && (await portFree(port + 1))) return port;
  }
}

/** Resolve once something accepts TCP connections on the port. */
export async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** A process started in its own process group, its output kept for a failing test's message. */
export interface Started {
  child: ChildProcess;
  output: string[];
  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the leader has exited. */
  stop(): Promise<void>;
}

export function startGroup(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Started {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString());
    // ZY_TEL_LOG=<file>: the whole output (the test keeps the last 400 chunks), for debugging.
    if (process.env.ZY_TEL_LOG) appendFileSync(process.env.ZY_TEL_LOG, d);
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const pgid = child.pid;
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {}
      }, 4000);
      await exited;
      clearTimeout(timer);
      // The leader waits for its children; anything left in the group goes now.
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    },
  };
}

/** A 16-bit mono 8 kHz WAV: a 425 Hz tone (the caller "speaking") for `seconds`. */
export function writeToneWav(file: string, seconds: number): void {
  const rate = 8000;
  const n = rate * seconds;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVE', 8);
  buf.write('fmt ', 12);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 425 * i) / rate)), 44 + i * 2);
  writeFileSync(file, buf);
}

/**
 * baresip as an elder's terminal: its number as the From user, no registration, plays `wav` into
 * the call and throws what it hears away (aubridge; the ALSA null player would burn a core).
 */
export function baresipConfig(
  dir: string,
  opts: { sipPort: number; wav: string; number: string; rtpMin: number; dumpDir?: string; autoAnswer?: boolean },
): void {
  mkdirSync(dir, { recursive: true });
  // sndfile writes what the caller hears (decoded) to <dumpDir>/dump-…-dec.wav.
  const dump = opts.dumpDir ? ['module sndfile.so', `snd_path ${opts.dumpDir}`] : [];
  if (opts.dumpDir) mkdirSync(opts.dumpDir, { recursive: true });
  writeFileSync(
    path.join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${opts.sipPort}`,
      'net_interface 127.0.0.1',
      `audio_source aufile,${opts.wav}`,
      'audio_player aubridge,null',
      'audio_alert aubridge,null',
      `rtp_ports ${opts.rtpMin}-${opts.rtpMin + 19}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      ...dump,
      'module_app account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'accounts'),
    // answermode=auto: a phone that picks up by itself (the elder called back through the trunk).
    `<sip:${opts.number}@127.0.0.1:${opts.sipPort};transport=udp>;regint=0;audio_codecs=PCMU${opts.autoAnswer ? ';answermode=auto' : ''}\n`,
  );
  writeFileSync(path.join(dir, 'contacts'), '');
}

const run = promisify(execFile);

/** rtpengine's own count of the packets it relayed, per call (rtpengine-ctl over its CLI port). */
export async function rtpengineCli(cliPort: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('/usr/bin/rtpengine-ctl', ['-ip', '127.0.0.1', '-port', String(cliPort), ...args]);
  return stdout;
}

/** Seconds of sound (samples louder than a whisper) in the WAV files baresip's sndfile wrote of what it heard. */
export function heardSeconds(dumpDir: string): number {
  if (!existsSync(dumpDir)) return 0;
  let loud = 0;
  for (const name of readdirSync(dumpDir)) {
    if (!name.endsWith('-dec.wav')) continue;
    const wav = readFileSync(path.join(dumpDir, name));
    const data = wav.indexOf('data', 12);
    if (data < 0) continue;
    for (let i = data + 8; i + 1 < wav.length; i += 2) if (Math.abs(wav.readInt16LE(i)) > 1000) loud++;
  }
  return loud / 8000;
}

/** An HTTP gate between Kamailio and Zhiyang that can refuse the CTI events for a while (Zhiyang "down" for them). */
export interface WebhookGate {
  url: string;
  refuse: boolean;
  /** The types of the events refused so far. */
  refused: string[];
  /** Routing questions answered this much later (a slow Zhiyang); 0 = at once. */
  routeDelayMs: number;
  /** Every routing question that came through: the caller's number and when. */
  asked: { caller: string; at: number }[];
  close(): Promise<void>;
}

export async function startWebhookGate(target: string): Promise<WebhookGate> {
  const gate: WebhookGate = { url: '', refuse: false, refused: [], routeDelayMs: 0, asked: [], close: async () => {} };
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (gate.refuse && req.url === '/api/v1/cti/events') {
        try {
          gate.refused.push(JSON.parse(body.toString()).type);
        } catch {}
        res.writeHead(503, { 'content-type': 'application/problem+json' });
        res.end('{"title":"Service Unavailable","status":503}');
        return;
      }
      if (req.url === '/api/v1/cti/route') {
        try {
          gate.asked.push({ caller: String(JSON.parse(body.toString()).caller), at: Date.now() });
        } catch {}
        if (gate.routeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, gate.routeDelayMs));
      }
      try {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
          if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
        const answer = await fetch(`${target}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch {
        res.writeHead(502);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  gate.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gate;
}

/** A carrier's trunk in front of several SIP phones: the request's number picks the phone. */
export interface SipTrunk {
  /** The requests it routed, "<METHOD> <number>", in order. */
  routed: string[];
  close(): Promise<void>;
}

/**
 * What a carrier's network does for the tests that need two numbers behind one trunk (an elder
 * called out to, who is then transferred to an outside number behind the same trunk): a stateless
 * SIP proxy on UDP that sends each request to the phone (a real baresip) of its Request-URI user and
 * its responses back along the Via headers. The phones answer by themselves, so in-dialog requests
 * then go to their Contact directly (Kamailio record-routes, this proxy does not).
 */
export async function startSipTrunk(port: number, phones: Record<string, number>): Promise<SipTrunk> {
  const sock = createSocket('udp4');
  const trunk: SipTrunk = { routed: [], close: () => new Promise<void>((resolve) => sock.close(() => resolve())) };
  const viaLine = /^(via|v)[ \t]*:/i;
  sock.on('message', (buf) => {
    const text = buf.toString('latin1');
    const head = text.slice(0, text.indexOf('\r\n'));
    const lines = text.split('\r\n');
    if (head.startsWith('SIP/2.0')) {
      // A response: drop this proxy's Via (the top one) and send it to the next Via's sender.
      const mine = lines.findIndex((l) => viaLine.test(l));
      if (mine < 0) return;
      lines.splice(mine, 1);
      const next = lines.find((l) => viaLine.test(l));
      const m = next && /SIP\/2\.0\/UDP\s+([^;:\s]+)(?::(\d+))?([^,]*)/i.exec(next);
      if (!m) return;
      const rport = /;rport=(\d+)/.exec(m[3])?.[1];
      const received = /;received=([^;\s,]+)/.exec(m[3])?.[1];
      sock.send(Buffer.from(lines.join('\r\n'), 'latin1'), Number(rport ?? m[2] ?? 5060), received ?? m[1]);
      return;
    }
    const req = /^(\S+) sips?:([^@;>\s]+)@/.exec(head);
    const to = req ? phones[req[2]] : undefined;
    if (!req || !to) return;
    trunk.routed.push(`${req[1]} ${req[2]}`);
    // A branch derived from the sender's, so that a CANCEL or the ACK of a failure reaches the
    // phone's INVITE transaction with the same one.
    const top = lines.find((l) => viaLine.test(l)) ?? '';
    const branch = createHash('md5')
      .update(/branch=([^;,\s]+)/.exec(top)?.[1] ?? top)
      .digest('hex');
    const at = lines.findIndex((l) => viaLine.test(l));
    lines.splice(at < 0 ? 1 : at, 0, `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${branch}`);
    sock.send(Buffer.from(lines.join('\r\n'), 'latin1'), to, '127.0.0.1');
  });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '127.0.0.1', () => resolve());
  });
  return trunk;
}
