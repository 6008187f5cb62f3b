// Concurrent calls on the platform's own telephony (issue 15, docs/telephony.md): how many calls at
// once one rtpengine (userspace, recording every call) and one Zhiyang process carry on this
// machine, and where the limit is. Every process real, on loopback: Zhiyang (PGlite) routes each
// call to a free agent, Kamailio rings the agent's softphone (JsSIP in Debian's Chromium, one page
// per agent), the agent answers, and media flows caller ⇄ rtpengine ⇄ browser (WebRTC, DTLS-SRTP)
// with rtpengine writing each call's pcap.
//
// The callers are minimal SIP + RTP user agents in this process (UDP): INVITE to the hotline,
// ACK the answer, then send one PCMU packet every 20 ms and count what comes back from the agent's
// browser. A round starts N calls at once, holds them for HOLD seconds once all are answered,
// measures per call the packets received against the 50 a second that were sent, and the CPU time
// each part used (rtpengine, Kamailio, Chromium, this process with Zhiyang) from /proc, then hangs
// up. N grows until a round fails to set up a call, loses more than 5 % of the packets (speech
// breaks up), or the largest N is reached; rounds above 1 % loss are marked.
// Usage: npm run build && npx tsx bench/telephony-concurrency.ts   (BENCH_STEPS, default 1,2,4,8,12,16; BENCH_HOLD, default 10)
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { clientAs, createAccount, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { freePort, startGroup, telephonyMissing, waitForTcp } from '../apps/web/e2e/telephony.support.ts';
import { ROOT, writeResult } from './lib.ts';

const STEPS = (process.env.BENCH_STEPS ?? '1,2,4,8,12,16').split(',').map(Number);
const HOLD_S = Number(process.env.BENCH_HOLD ?? 10);
const AGENTS = Math.max(...STEPS);
const CTI_SECRET = 'bench-cti-secret-0123456789abcdef';
const SIP_AUTH_SECRET = 'bench-sip-secret-0123456789abcdef';
const PASSWORD = 'Test#Pass2026';
const HOTLINE = '968962';
const missing = telephonyMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const ports = { sip: await freePort(), ws: await freePort(), ng: await freePort(), cli: await freePort() };
const rtpMin = 20000 + Math.floor(Math.random() * 300) * 100;
const work = mkdtempSync(path.join(tmpdir(), 'zy-bench-concurrency-'));
const recordings = path.join(work, 'recordings');
const s = await startTestServer({
  listen: true,
  config: {
    logLevel: 'warn',
    webDist: process.env.ZY_WEB_DIST ?? path.join(ROOT, 'apps/web/dist'),
    ctiSecret: CTI_SECRET,
    sipWsUrl: `ws://127.0.0.1:${ports.ws}`,
    sipAuthSecret: SIP_AUTH_SECRET,
    sipDomain: 'zhiyang',
    // After-call work ends at once, so the next round finds every agent free.
    callWrapUpMaxSeconds: 0,
  },
});
await seedTree(s.ctx);
const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
const hot = await admin.api.post('/api/v1/call-hotlines', { number: HOTLINE, name: '为老服务热线', regionCode: TREE.district });
await admin.api.post(`/api/v1/call-hotlines/${hot.json().id}/queues`, { name: '综合服务' });
for (let i = 1; i <= AGENTS; i++) {
  const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district, username: `bench-agent-${i}` });
  await admin.api.post('/api/v1/call-agents', { userId: op.id, extension: String(8000 + i) });
}

const telephony = startGroup(process.execPath, [path.join(ROOT, 'scripts/telephony.mjs'), 'up'], {
  env: {
    ...process.env,
    ZY_API_URL: s.url,
    CTI_SECRET,
    SIP_AUTH_SECRET,
    SIP_PORT: String(ports.sip),
    SIP_WS_PORT: String(ports.ws),
    RTPENGINE_NG_PORT: String(ports.ng),
    RTPENGINE_CLI_PORT: String(ports.cli),
    RTP_PORT_MIN: String(rtpMin),
    RTP_PORT_MAX: String(rtpMin + 99),
    RECORDINGS_DIR: recordings,
    TELEPHONY_RUN_DIR: path.join(work, 'run'),
    SIP_WAIT_PROMPT: 'off',
  },
});

/** CPU seconds (user + system) used so far by the processes whose command line matches. */
function cpuSeconds(match: RegExp): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match.test(cmd)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}
const parts = {
  rtpengine: (dir: string) => new RegExp(`rtpengine .*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  kamailio: (dir: string) => new RegExp(`kamailio .*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  chromium: () => /chromium/,
};
const self = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** One caller: SIP over its own UDP socket, RTP over another. */
class Caller {
  readonly callId = `${randomBytes(8).toString('hex')}@bench`;
  readonly tag = randomBytes(4).toString('hex');
  sip!: Socket;
  rtp!: Socket;
  sipPort = 0;
  rtpPort = 0;
  answered = false;
  received = 0;
  sent = 0;
  remote: { host: string; port: number } | null = null;
  toTag = '';
  routes: string[] = [];
  contact = '';
  timer: NodeJS.Timeout | undefined;
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private failDone!: (e: Error) => void;
  constructor(readonly number: string) {
    this.done = new Promise((res, rej) => {
      this.resolveDone = res;
      this.failDone = rej;
    });
  }
  async open() {
    this.sip = createSocket('udp4');
    this.rtp = createSocket('udp4');
    await new Promise<void>((r) => this.sip.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => this.rtp.bind(0, '127.0.0.1', () => r()));
    this.sipPort = this.sip.address().port;
    this.rtpPort = this.rtp.address().port;
    this.rtp.on('message', () => {
      if (this.answered) this.received++;
    });
    this.sip.on('message', (m) => this.onSip(m.toString()));
  }
  private send(text: string) {
    this.sip.send(text, ports.sip, '127.0.0.1');
  }
  private head(method: string, uri: string, cseq: number, branch = `z9hG4bK${randomBytes(6).toString('hex')}`) {
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.sipPort};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.number}@127.0.0.1:${this.sipPort}>;tag=${this.tag}`,
      `To: <sip:${HOTLINE}@127.0.0.1:${ports.sip}>${this.toTag ? `;tag=${this.toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:${this.number}@127.0.0.1:${this.sipPort}>`,
      ...this.routes.map((r) => `Route: ${r}`),
    ].join('\r\n');
  }
  invite() {
    const sdp = `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${this.rtpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
    this.send(
      `${this.head('INVITE', `sip:${HOTLINE}@127.0.0.1:${ports.sip}`, 1)}\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`,
    );
  }
  private onSip(text: string) {
    const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
    if (!status) {
      // A request from Kamailio (a BYE from the agent's side): answer 200.
      if (/^BYE /.test(text)) {
        const keep = text
          .split('\r\n')
          .filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l))
          .join('\r\n');
        this.sip.send(`SIP/2.0 200 OK\r\n${keep}\r\nContent-Length: 0\r\n\r\n`, ports.sip, '127.0.0.1');
      }
      return;
    }
    if (!/CSeq: 1 INVITE/i.test(text) || this.answered) return;
    if (status === '200') {
      this.toTag = /^To:.*;tag=([^;\s]+)/im.exec(text)?.[1] ?? '';
      // The route set of the caller's side: the Record-Route values in reverse order.
      this.routes = [...text.matchAll(/^Record-Route:\s*(.+)$/gim)]
        .flatMap((m) => m[1].split(/,\s*(?=<)/))
        .map((r) => r.trim())
        .reverse();
      this.contact = /^Contact:\s*<([^>]+)>/im.exec(text)?.[1] ?? `sip:${HOTLINE}@127.0.0.1:${ports.sip}`;
      const c = /^c=IN IP4 (\S+)/m.exec(text)?.[1];
      const port = Number(/^m=audio (\d+)/m.exec(text)?.[1]);
      this.remote = c && port ? { host: c, port } : null;
      this.send(`${this.head('ACK', this.contact, 1)}\r\nContent-Length: 0\r\n\r\n`);
      this.answered = true;
      this.startRtp();
      this.resolveDone();
    } else if (Number(status) >= 300) this.failDone(new Error(`call refused: ${status}`));
  }
  private startRtp() {
    let seq = Math.floor(Math.random() * 1000);
    let ts = Math.floor(Math.random() * 100000);
    const ssrc = randomBytes(4);
    const payload = Buffer.alloc(160, 0xff);
    this.timer = setInterval(() => {
      if (!this.remote) return;
      const h = Buffer.alloc(12);
      h[0] = 0x80;
      h[1] = 0;
      h.writeUInt16BE(seq++ & 0xffff, 2);
      h.writeUInt32BE(ts >>> 0, 4);
      ts += 160;
      ssrc.copy(h, 8);
      this.rtp.send(Buffer.concat([h, payload]), this.remote.port, this.remote.host);
      this.sent++;
    }, 20);
  }
  hangUp() {
    clearInterval(this.timer);
    this.send(`${this.head('BYE', this.contact, 2)}\r\nContent-Length: 0\r\n\r\n`);
  }
  close() {
    clearInterval(this.timer);
    this.sip.close();
    this.rtp.close();
  }
}

let browser: Browser | undefined;
const cleanup = async () => {
  await browser?.close();
  await telephony.stop();
  await s.close();
  rmSync(work, { recursive: true, force: true });
};

try {
  await waitForTcp(ports.ws, 15_000);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  // One page per agent, each signed in, 空闲, its softphone registered and answering every call.
  const pages: Page[] = [];
  for (let i = 1; i <= AGENTS; i++) {
    const page = await (await browser.newContext({ locale: 'zh-CN', permissions: ['microphone'] })).newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${s.url}/console/login`);
    await page.getByLabel('用户名').fill(`bench-agent-${i}`);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${s.url}/console/calls/console`);
    await page.getByTestId('state-idle').click();
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
    pages.push(page);
  }
  const rounds: Array<Record<string, unknown>> = [];
  let limit: string | null = null;
  for (const n of STEPS) {
    const callers = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const c = new Caller(`1370000${String(i).padStart(4, '0')}`);
        await c.open();
        return c;
      }),
    );
    const t0 = Date.now();
    for (const c of callers) c.invite();
    // Each ringing agent answers (the page whose softphone rings).
    const answering = pages.map(async (p) => {
      const ring = p.locator('[data-testid="softphone-controls"][data-call="ringing"]');
      try {
        await ring.waitFor({ timeout: 20_000 });
        await p.getByTestId('line-answer').click();
      } catch {
        // this agent was not rung in this round
      }
    });
    const setUp = await Promise.allSettled(
      callers.map((c) => Promise.race([c.done, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 30_000))])),
    );
    await Promise.all(answering);
    const setUpMs = Date.now() - t0;
    const failed = setUp.filter((r) => r.status === 'rejected').length;
    const failures = setUp.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
    // Steady state: HOLD seconds of media both ways, measured from here.
    await new Promise((r) => setTimeout(r, 1500));
    const before = {
      rx: callers.map((c) => c.received),
      tx: callers.map((c) => c.sent),
      rtpengine: cpuSeconds(parts.rtpengine(recordings)),
      kamailio: cpuSeconds(parts.kamailio(work)),
      chromium: cpuSeconds(parts.chromium()),
      zhiyang: self(),
      at: Date.now(),
    };
    await new Promise((r) => setTimeout(r, HOLD_S * 1000));
    const secs = (Date.now() - before.at) / 1000;
    const rx = callers.map((c, i) => c.received - before.rx[i]);
    const tx = callers.map((c, i) => c.sent - before.tx[i]);
    const expected = callers.filter((c) => c.answered).length * 50 * secs;
    const got = rx.reduce((a, b) => a + b, 0);
    const loss = expected ? Math.max(0, 1 - got / expected) : 1;
    const cpu = (v: number, b: number) => Math.round(((v - b) / secs) * 1000) / 10; // % of one core
    const round = {
      calls: n,
      answered: callers.filter((c) => c.answered).length,
      failed,
      failures,
      setUpAllMs: setUpMs,
      packetsPerSecondPerCallFromAgent: Math.round((got / Math.max(1, callers.length) / secs) * 10) / 10,
      packetsPerSecondPerCallToAgent: Math.round((tx.reduce((a, b) => a + b, 0) / Math.max(1, callers.length) / secs) * 10) / 10,
      lossFromAgent: Math.round(loss * 10000) / 100,
      cpuPercentOfOneCore: {
        rtpengine: cpu(cpuSeconds(parts.rtpengine(recordings)), before.rtpengine),
        kamailio: cpu(cpuSeconds(parts.kamailio(work)), before.kamailio),
        chromium: cpu(cpuSeconds(parts.chromium()), before.chromium),
        zhiyangAndCallers: cpu(self(), before.zhiyang),
      },
      loadAverage1m: os.loadavg()[0],
    };
    console.log(JSON.stringify(round));
    rounds.push(round);
    for (const c of callers) c.hangUp();
    // Every agent back to 空闲 before the next round (after-call work ends at once).
    await Promise.all(
      pages.map((p) => p.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached', timeout: 20_000 })),
    );
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of callers) c.close();
    if (failed > 0 || round.answered < n) {
      limit = `${n} calls: ${failed} not set up`;
      break;
    }
    if (round.lossFromAgent > 5) {
      limit = `${n} calls: ${round.lossFromAgent} % of the agents' packets lost`;
      break;
    }
  }
  const pcaps = readdirSync(path.join(recordings, 'pcaps')).length;
  const result = {
    steps: STEPS,
    holdSeconds: HOLD_S,
    rounds,
    limit: limit ?? `none up to ${STEPS[STEPS.length - 1]} calls`,
    recordingsWritten: pcaps,
    note: 'loopback; Kamailio, rtpengine (userspace, recording every call), one Chromium page per agent and Zhiyang (PGlite) with the callers in one process, all on one 2-core machine',
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult('telephony-concurrency', result);
} finally {
  await cleanup();
}
process.exit(0);
