// Call set-up time on the platform's own telephony (issue 15, docs/telephony.md): from the caller's
// INVITE to the agent's softphone ringing in the browser, every process real and on loopback —
// Kamailio (call.offered webhook, the routing request, call.ringing webhook, the INVITE over
// WebSocket with rtpengine's WebRTC offer), rtpengine, JsSIP in Debian's Chromium, and Zhiyang
// (PGlite). The caller is a minimal SIP UA in this process (UDP), so the INVITE's send time is
// exact; the ringing time is taken in the page (a MutationObserver on the softphone's 接听 controls,
// Date.now() on the same clock). Each call is cancelled once it rings (the agent is freed again).
// Also: INVITE → 180 from Kamailio (after call.offered is delivered, before routing).
// Usage: npm run build && npx tsx bench/telephony-setup.ts   (BENCH_CALLS, default 60)
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { clientAs, createAccount, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { freePort, startGroup, telephonyMissing, waitForTcp } from '../apps/web/e2e/telephony.support.ts';
import { percentile, ROOT, writeResult } from './lib.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 60);
const CTI_SECRET = 'bench-cti-secret-0123456789abcdef';
const SIP_AUTH_SECRET = 'bench-sip-secret-0123456789abcdef';
const HOTLINE = '968962';
const missing = telephonyMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const ports = { sip: await freePort(), ws: await freePort(), ng: await freePort(), cli: await freePort() };
const rtpMin = 20000 + Math.floor(Math.random() * 400) * 100;
const work = mkdtempSync(path.join(tmpdir(), 'zy-bench-telephony-'));
const s = await startTestServer({
  listen: true,
  config: {
    logLevel: 'warn',
    webDist: path.join(ROOT, 'apps/web/dist'),
    ctiSecret: CTI_SECRET,
    sipWsUrl: `ws://127.0.0.1:${ports.ws}`,
    sipAuthSecret: SIP_AUTH_SECRET,
    sipDomain: 'zhiyang',
  },
});
await seedTree(s.ctx);
const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
const hot = await admin.api.post('/api/v1/call-hotlines', { number: HOTLINE, name: '为老服务热线', regionCode: TREE.district });
await admin.api.post(`/api/v1/call-hotlines/${hot.json().id}/queues`, { name: '综合服务' });
const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district, username: 'bench-agent' });
await admin.api.post('/api/v1/call-agents', { userId: op.id, extension: '8001' });

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
    RTP_PORT_MAX: String(rtpMin + 59),
    RECORDINGS_DIR: path.join(work, 'recordings'),
    TELEPHONY_RUN_DIR: path.join(work, 'run'),
    SIP_WAIT_PROMPT: 'off',
  },
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
  ],
});
const sip = createSocket('udp4');
const cleanup = async () => {
  sip.close();
  await browser.close();
  await telephony.stop();
  await s.close();
  rmSync(work, { recursive: true, force: true });
};

try {
  await waitForTcp(ports.ws, 15_000);
  const page = await (await browser.newContext({ locale: 'zh-CN', permissions: ['microphone'] })).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${s.url}/console/login`);
  await page.getByLabel('用户名').fill('bench-agent');
  await page.getByLabel('密码').fill('Test#Pass2026');
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  await page.goto(`${s.url}/console/calls/console`);
  await page.getByTestId('state-idle').click();
  await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
  // Every moment the softphone's ringing controls appear, on the page's clock (the same as ours).
  // (A string: this file is checked without the DOM's types.)
  await page.evaluate(`(() => {
    window.__rang = [];
    let ringing = false;
    new MutationObserver(() => {
      const now = !!document.querySelector('[data-testid="softphone-controls"][data-call="ringing"]');
      if (now && !ringing) window.__rang.push(Date.now());
      ringing = now;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);

  // A minimal SIP caller: INVITE, then CANCEL once it rings, ACK for the 487.
  await new Promise<void>((r) => sip.bind(0, '127.0.0.1', () => r()));
  const lport = sip.address().port;
  const inbox: Array<{ at: number; text: string }> = [];
  sip.on('message', (m) => inbox.push({ at: Date.now(), text: m.toString() }));
  const sendSip = (text: string) => new Promise<void>((r) => sip.send(text, ports.sip, '127.0.0.1', () => r()));
  const waitReply = async (callId: string, re: RegExp, timeoutMs = 15_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const hit = inbox.find((m) => m.text.includes(`Call-ID: ${callId}`) && re.test(m.text));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`no ${re} for ${callId}`);
  };
  const sdp = `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${rtpMin + 50} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
  const head = (method: string, callId: string, branch: string, tag: string, toTag = '') =>
    [
      `${method} sip:${HOTLINE}@127.0.0.1:${ports.sip} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${lport};branch=${branch};rport`,
      'Max-Forwards: 70',
      `From: <sip:13700000001@127.0.0.1:${lport}>;tag=${tag}`,
      `To: <sip:${HOTLINE}@127.0.0.1:${ports.sip}>${toTag ? `;tag=${toTag}` : ''}`,
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      `Contact: <sip:13700000001@127.0.0.1:${lport}>`,
    ].join('\r\n');

  const ringMs: number[] = [];
  const provisionalMs: number[] = [];
  const load = [os.loadavg()[0]];
  for (let i = 0; i < CALLS + 3; i++) {
    const callId = `${randomBytes(8).toString('hex')}@bench`;
    const branch = `z9hG4bK${randomBytes(6).toString('hex')}`;
    const tag = randomBytes(4).toString('hex');
    const before = Number(await page.evaluate('window.__rang.length'));
    const t0 = Date.now();
    await sendSip(
      `${head('INVITE', callId, branch, tag)}\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`,
    );
    const r180 = await waitReply(callId, /^SIP\/2\.0 180/);
    // Polled from here (the page's CSP forbids a string predicate); the time itself was taken in the page.
    const until = Date.now() + 20_000;
    while (Number(await page.evaluate('window.__rang.length')) <= before) {
      if (Date.now() > until) throw new Error(`call ${i} did not ring in the browser`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const rang = Number(await page.evaluate(`window.__rang[${before}]`));
    // The first three calls warm up (JIT, connections) and are not counted.
    if (i >= 3) {
      ringMs.push(rang - t0);
      provisionalMs.push(r180.at - t0);
    }
    await sendSip(`${head('CANCEL', callId, branch, tag)}\r\nContent-Length: 0\r\n\r\n`);
    const r487 = await waitReply(callId, /^SIP\/2\.0 487/);
    const toTag = /^To:.*;tag=([^;\s]+)/im.exec(r487.text)?.[1] ?? '';
    await sendSip(`${head('ACK', callId, branch, tag, toTag)}\r\nContent-Length: 0\r\n\r\n`);
    // call.ended (abandoned) frees the agent; the next call starts once the console says so.
    await page.locator('[data-testid="agent-state"][data-state="idle"]').waitFor();
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    if (i % 10 === 0) console.log(`call ${i}: ${rang - t0} ms to ringing`);
  }
  load.push(os.loadavg()[0]);
  const stats = (xs: number[]) => {
    const a = [...xs].sort((x, y) => x - y);
    return { n: a.length, p50: percentile(a, 50), p90: percentile(a, 90), p99: percentile(a, 99), max: a[a.length - 1] };
  };
  const result = {
    calls: CALLS,
    inviteToBrowserRingingMs: stats(ringMs),
    inviteTo180Ms: stats(provisionalMs),
    loadAverage1m: { start: load[0], end: load[1] },
    note: 'loopback; Kamailio, rtpengine, Chromium and Zhiyang (PGlite) on one shared, loaded 2-core machine; each call cancelled once it rang',
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult('telephony-setup', result);
} finally {
  await cleanup();
}
process.exit(0);
