import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, chooseOption, ensureWebBuild, SERVER_SRC, type Server, WEB_DIR, WEB_DIST } from './support.ts';
import {
  baresipConfig,
  freePort,
  freePortPair,
  heardSeconds,
  rtpengineCli,
  type Started,
  startGroup,
  startWebhookGate,
  telephonyMissing,
  type WebhookGate,
  waitForTcp,
  writeToneWav,
} from './telephony.support.ts';

/**
 * The queue side of the platform's telephony (issue 15, docs/telephony.md), every process real:
 * a caller who waits hears the spoken prompt (espeak-ng, played by rtpengine as early media —
 * baresip records what it hears); an agent goes 空闲 and takes the call (the prompt stops, the
 * call's own media flows); and the call events Kamailio could not deliver while Zhiyang refused
 * them (a gate between the two answers 503) are resent once it takes them again, so the call
 * record still ends right.
 */

const WAIT = 20_000;
const RING_SECONDS = 5;
const PASSWORD = 'Test#Pass2026';
const HOTLINE = '968962';
const CALLER = '13700000009';
const CTI_SECRET = 'e2e-cti-secret-0123456789abcdef';
const SIP_AUTH_SECRET = 'e2e-sip-secret-0123456789abcdef';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = promisify(execFile);

const missing =
  telephonyMissing() ??
  (existsSync(CHROMIUM) ? null : `telephony test skipped: ${CHROMIUM} missing`) ??
  (existsSync('/usr/bin/espeak-ng')
    ? null
    : 'telephony queue test skipped: /usr/bin/espeak-ng missing (apt-get install espeak-ng)');
if (missing) console.warn(missing);

let server: Server;
let admin: Api;
let gate: WebhookGate;
let browser: Browser;
let page: Page;
let second: Page;
let caller2: Started | undefined;
let queued: Started[] = [];
let secondAgentId = '';
let work: string;
let telephony: Started | undefined;
let caller: Started | undefined;
const ports = { sip: 0, ws: 0, ng: 0, cli: 0, rtpMin: 0 };
const dumpDir = () => path.join(work, 'heard');
const consoleLines: string[] = [];

const tail = (s?: Started) => (s ? s.output.join('').split('\n').slice(-80).join('\n') : '');
const why = (e: Error) => new Error(`${e.message}\n--- telephony\n${tail(telephony)}\n--- caller\n${tail(caller)}`);
const kamcmd = (...args: string[]) =>
  run('/usr/sbin/kamcmd', ['-s', `unixs:${path.join(work, 'run', 'kamailio-ctl.sock')}`, ...args]).then((r) => r.stdout);

type CallItem = { id: string; numberMasked: string; outcome: string | null; agentUserId: string | null };
const theCall = async () =>
  ((await admin.get('/api/v1/calls?direction=inbound')).json().items as CallItem[]).find((c) => c.numberMasked.endsWith('0009'));

/** Packets rtpengine received on each RTP leg of the call with this SIP Call-ID prefix. */
async function legPackets(): Promise<number[]> {
  const all = await rtpengineCli(ports.cli, 'list', 'sessions', 'all');
  const counts: number[] = [];
  for (const m of all.matchAll(/callid:\s*(\S+)/g)) {
    if (m[1].endsWith('-wait')) continue;
    const text = await rtpengineCli(ports.cli, 'list', 'sessions', m[1]);
    for (const line of text.split('\n'))
      if (line.includes('Port') && !line.includes('(RTCP)')) counts.push(Number(/, (\d+) p,/.exec(line)?.[1] ?? 0));
  }
  return counts;
}

async function login(username: string, p: Page = page) {
  const page = p;
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'));
  await page.goto(`${server.url}/console/calls/console`);
  await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
}

/** 小休 · 培训: registered, but not offered calls. */
async function takeBreak(p: Page = page) {
  const page = p;
  await page
    .getByTestId('state-break')
    .click()
    .catch(async (e) => {
      throw new Error(`${e.message}\n${page.url()}\n${((await page.locator('body').textContent()) ?? '').slice(0, 1500)}`);
    });
  await page.locator('.ant-dropdown').getByRole('menuitem', { name: '培训' }).click();
  await page.locator('[data-testid="agent-state"][data-state="break"]').waitFor();
}

describe.skipIf(missing)('telephony queue: the waiting prompt, lost events resent', () => {
  beforeAll(async () => {
    ensureWebBuild();
    work = mkdtempSync(path.join(tmpdir(), 'zy-telephony-queue-'));
    for (const k of ['sip', 'ws', 'ng', 'cli'] as const) ports[k] = await freePort();
    ports.rtpMin = 20000 + Math.floor(Math.random() * 400) * 100;

    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    server = await startTestServer({
      listen: true,
      config: {
        webDist: WEB_DIST,
        ctiSecret: CTI_SECRET,
        sipWsUrl: `ws://127.0.0.1:${ports.ws}`,
        sipAuthSecret: SIP_AUTH_SECRET,
        sipDomain: 'zhiyang',
        // The softphone declines a call nobody answers after 5 s (ring-no-answer).
        sipRingSeconds: RING_SECONDS,
        // Zhiyang's own telephony: 转接 goes through the softphone and Kamailio.
        ctiAdapter: 'kamailio',
      },
    });
    await f.seedTree(server.ctx);
    admin = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    const hotline = await admin.post('/api/v1/call-hotlines', {
      number: HOTLINE,
      name: '智养为老服务热线',
      regionCode: f.TREE.district,
    });
    expect(hotline.statusCode, JSON.stringify(hotline.json())).toBe(201);
    expect((await admin.post(`/api/v1/call-hotlines/${hotline.json().id}/queues`, { name: '综合服务' })).statusCode).toBe(201);
    const op = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district, username: 'queue-agent' });
    const agent = await admin.post('/api/v1/call-agents', { userId: op.id, extension: '8001' });
    expect(agent.statusCode, JSON.stringify(agent.json())).toBe(201);
    // A second agent, for 转接.
    const op2 = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district, username: 'queue-agent-2' });
    secondAgentId = op2.id;
    expect((await admin.post('/api/v1/call-agents', { userId: op2.id, extension: '8002' })).statusCode).toBe(201);
    // Kamailio reaches Zhiyang through the gate, which can refuse the CTI events for a while.
    gate = await startWebhookGate(server.url);

    telephony = startGroup(process.execPath, [path.join(WEB_DIR, '../../scripts/telephony.mjs'), 'up'], {
      env: {
        ...process.env,
        ZY_API_URL: gate.url,
        CTI_SECRET,
        SIP_AUTH_SECRET,
        SIP_DOMAIN: 'zhiyang',
        SIP_PORT: String(ports.sip),
        SIP_WS_PORT: String(ports.ws),
        RTPENGINE_NG_PORT: String(ports.ng),
        RTPENGINE_CLI_PORT: String(ports.cli),
        RTP_PORT_MIN: String(ports.rtpMin),
        RTP_PORT_MAX: String(ports.rtpMin + 59),
        RECORDINGS_DIR: path.join(work, 'recordings'),
        TELEPHONY_RUN_DIR: path.join(work, 'run'),
        SIP_QUEUE_MAX_SECONDS: '90',
      },
    });
    await waitForTcp(ports.ws, 15_000).catch((e) => {
      throw why(e);
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        '--allow-loopback-in-peer-connection',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['microphone'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    const context2 = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['microphone'],
    });
    second = await context2.newPage();
    second.setDefaultTimeout(WAIT);
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(queued.map((q) => q.stop()));
    await caller2?.stop();
    await caller?.stop();
    await browser?.close();
    await telephony?.stop();
    await gate?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('the agent signs in on a break: the softphone registers, and no call is offered', async () => {
    await login('queue-agent');
    await takeBreak();
    await page
      .locator('[data-testid="softphone-status"][data-status="registered"]')
      .waitFor()
      .catch((e) => {
        throw new Error(`${e.message}\n${consoleLines.slice(-30).join('\n')}\n${tail(telephony)}`);
      });
  }, 90_000);

  it('a caller waiting in the queue hears the spoken prompt (early media from rtpengine)', async () => {
    const wav = path.join(work, 'caller.wav');
    writeToneWav(wav, 90);
    const dir = path.join(work, 'baresip');
    const port = await freePortPair();
    baresipConfig(dir, { sipPort: port, wav, number: CALLER, rtpMin: ports.rtpMin + 60, dumpDir: dumpDir() });
    caller = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    await expect.poll(theCall, { timeout: 10_000 }).toMatchObject({ outcome: null, agentUserId: null });
    // 183 with rtpengine's SDP, then the prompt: at least a second and a half of speech reaches the caller.
    await expect
      .poll(() => heardSeconds(dumpDir()), { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(1.5)
      .catch((e) => {
        throw why(e);
      });
    expect(tail(caller)).toMatch(/183 Session Progress/);
    // Its own media session in rtpengine, apart from the call's.
    expect(await rtpengineCli(ports.cli, 'list', 'sessions', 'all')).toMatch(/callid:\s*\S+-wait/);
  }, 60_000);

  it('nobody answers the ringing softphone: the agent goes on a break (未接听) and the caller waits in the queue again', async () => {
    await page.getByTestId('state-idle').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor({ timeout: 10_000 })
      .catch((e) => {
        throw why(e);
      });
    const rangAt = Date.now();
    expect((await theCall())?.agentUserId).toBeTruthy();
    // The desk is empty: after the ring time the softphone declines (480); Kamailio reports
    // call.not_answered, Zhiyang takes the call back and puts the agent on a break.
    await page
      .locator('[data-testid="agent-state"][data-state="break"]')
      .waitFor({ timeout: RING_SECONDS * 1000 + 10_000 })
      .catch((e) => {
        throw why(e);
      });
    expect(Date.now() - rangAt).toBeGreaterThanOrEqual((RING_SECONDS - 1) * 1000);
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    expect(await page.getByTestId('agent-state').textContent()).toContain('未接听');
    await expect.poll(theCall, { timeout: 10_000 }).toMatchObject({ outcome: null, agentUserId: null, endedAt: null });
    // The caller was not let go: still connected, no final answer sent to the caller.
    expect(caller?.child.exitCode).toBeNull();
    expect(tail(caller)).not.toMatch(/480|call closed|terminated/i);
  }, 60_000);

  it('an agent goes 空闲 and takes the waiting call; with Zhiyang refusing events meanwhile, answered and ended arrive later', async () => {
    await page.getByTestId('state-idle').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor({ timeout: 10_000 })
      .catch((e) => {
        throw why(e);
      });
    await page.locator('[data-testid="agent-state"][data-state="ringing"]').waitFor();
    // Zhiyang stops taking call events (503 at the gate): answered and ended cannot be delivered.
    gate.refuse = true;
    await page.getByTestId('line-answer').click();
    await page.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    await expect
      .poll(
        async () => {
          const counts = await legPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    // The prompt stopped when the agent answered: its session is gone from rtpengine.
    expect(await rtpengineCli(ports.cli, 'list', 'sessions', 'all')).not.toMatch(/-wait/);
    await expect.poll(() => gate.refused, { timeout: 10_000 }).toContain('call.answered');
    // The caller hangs up (BYE): call.ended is refused too, and kept by Kamailio for a resend.
    await caller?.stop();
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    await expect.poll(() => gate.refused, { timeout: 10_000 }).toContain('call.ended');
    expect(await kamcmd('htable.dump', 'zyretry')).toMatch(/call\.ended/);
    const waiting = (await admin.get(`/api/v1/calls/${(await theCall())?.id}`)).json();
    expect(waiting).toMatchObject({ answeredAt: null, endedAt: null });
    expect(await page.getByTestId('agent-state').getAttribute('data-state')).toBe('ringing');

    // Zhiyang takes events again: Kamailio's resend (every 2 s) completes the record, whichever
    // of the two arrives first.
    gate.refuse = false;
    await expect
      .poll(
        async () => {
          const c = (await admin.get(`/api/v1/calls/${waiting.id}`)).json();
          return c.outcome === 'answered' && !!c.answeredAt && !!c.endedAt;
        },
        { timeout: 15_000 },
      )
      .toBe(true)
      .catch((e) => {
        throw why(e);
      });
    const call = (await admin.get(`/api/v1/calls/${waiting.id}`)).json();
    expect(Date.parse(call.answeredAt)).toBeGreaterThanOrEqual(Date.parse(call.offeredAt));
    expect(Date.parse(call.endedAt)).toBeGreaterThanOrEqual(Date.parse(call.answeredAt));
    await page
      .locator('[data-testid="agent-state"][data-state="wrap_up"]')
      .waitFor()
      .catch(async (e) => {
        const agents = (await admin.get('/api/v1/call-agents')).json();
        const audit = (await admin.get(`/api/v1/audit-log?targetId=${waiting.id}&limit=50`)).json();
        throw new Error(`${e.message}\n${JSON.stringify(agents)}\n${JSON.stringify(call)}\n${JSON.stringify(audit)}`);
      });
    await expect.poll(async () => kamcmd('htable.dump', 'zyretry'), { timeout: 10_000 }).not.toMatch(/call\./);
    expect(telephony?.child.exitCode).toBeNull();
  }, 90_000);

  it('转接: the agent transfers a talking caller to another agent; the other agent’s softphone rings, answers, and the caller talks to them', async () => {
    await page.getByTestId('finish-wrap-up').click();
    await page.locator('[data-testid="agent-state"][data-state="idle"]').waitFor();
    const wav = path.join(work, 'caller2.wav');
    writeToneWav(wav, 90);
    const dir = path.join(work, 'baresip-2');
    const port = await freePortPair();
    baresipConfig(dir, { sipPort: port, wav, number: '13700000008', rtpMin: ports.rtpMin + 80 });
    caller2 = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    await page.locator('[data-testid="softphone-controls"][data-call="ringing"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('line-answer').click();
    await page.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    const record = async () =>
      ((await admin.get('/api/v1/calls?direction=inbound')).json().items as CallItem[]).find((c) =>
        c.numberMasked.endsWith('0008'),
      );
    await expect.poll(async () => (await record())?.agentUserId ?? null, { timeout: 10_000 }).not.toBeNull();
    const firstAgent = (await record())?.agentUserId;
    // The second agent comes to work (空闲) while the first one talks.
    await login('queue-agent-2', second);
    await second.getByTestId('state-idle').click();
    await second.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
    // 转接 → the second agent.
    await page.getByTestId('softphone-transfer').click();
    await page.getByTestId('transfer-target').click();
    await chooseOption(page.locator('.ant-select-item-option').filter({ hasText: '8002' }));
    await page.locator('#transfer-confirm').click();
    await second
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor({ timeout: 15_000 })
      .catch((e) => {
        throw new Error(
          `${e.message}\n--- telephony\n${tail(telephony)}\n--- caller\n${tail(caller2)}\n${consoleLines.slice(-20).join('\n')}`,
        );
      });
    await second.getByTestId('line-answer').click();
    await second.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    // The first agent's leg is done; the caller talks to the second agent through rtpengine.
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached', timeout: 15_000 });
    await expect
      .poll(
        async () => {
          const counts = await legPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    const c = (await admin.get(`/api/v1/calls/${(await record())?.id}`)).json();
    expect(c.agentUserId).toBe(secondAgentId);
    expect(c.agentUserId).not.toBe(firstAgent);
    expect(c.endedAt).toBeNull();
    // The caller hangs up: the call ends, answered, with the second agent.
    await caller2?.stop();
    caller2 = undefined;
    await second.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${c.id}`)).json().outcome, { timeout: 10_000 })
      .toBe('answered');
    expect((await admin.get(`/api/v1/calls/${c.id}`)).json().agentUserId).toBe(secondAgentId);
  }, 90_000);

  it('three callers wait while nobody is at work and Zhiyang answers slowly: each is still asked about every 2 s', async () => {
    // Both agents go off work (离线): every routing answer is "nobody", and the callers wait.
    for (const [p, username] of [
      [page, 'queue-agent'],
      [second, 'queue-agent-2'],
    ] as const) {
      if (!p.url().endsWith('/console/calls/console')) await login(username, p);
      const state = await p.getByTestId('agent-state').getAttribute('data-state');
      if (state !== 'offline') await p.getByTestId('state-offline').click();
      await p.locator('[data-testid="agent-state"][data-state="offline"]').waitFor();
    }
    // Each routing answer takes 1.2 s. Kamailio's one-second async_route timer (before 5.7) then
    // skipped ring slots, and a caller whose next question was in one was not asked for 100 s.
    gate.routeDelayMs = 1200;
    const wav = path.join(work, 'caller-queued.wav');
    writeToneWav(wav, 60);
    const numbers = ['13700000101', '13700000102', '13700000103'];
    const since = Date.now();
    for (const [i, number] of numbers.entries()) {
      const dir = path.join(work, `baresip-q${i}`);
      baresipConfig(dir, { sipPort: await freePortPair(), wav, number, rtpMin: ports.rtpMin + 100 + 20 * i });
      queued.push(startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]));
    }
    const asks = (n: string) => gate.asked.filter((a) => a.caller === n && a.at >= since).map((a) => a.at);
    await expect
      .poll(() => numbers.map((n) => asks(n).length), { timeout: 30_000, interval: 500 })
      .toSatisfy((counts: number[]) => counts.every((c) => c >= 5))
      .catch((e) => {
        throw why(e);
      });
    // A question every 2 s plus the 1.2 s answer: no caller waits much longer between two.
    for (const n of numbers) {
      const at = asks(n);
      const gaps = at.slice(1).map((t, i) => t - at[i]);
      expect(Math.max(...gaps), `${n}: ${gaps.join(', ')} ms`).toBeLessThan(6_000);
    }
    gate.routeDelayMs = 0;
    await Promise.all(queued.map((q) => q.stop()));
    queued = [];
    // Each caller who hung up while waiting is recorded as 放弃 (abandoned).
    await expect
      .poll(
        async () =>
          ((await admin.get('/api/v1/calls?direction=inbound')).json().items as CallItem[])
            .filter((c) => ['0101', '0102', '0103'].some((tail) => c.numberMasked.endsWith(tail)))
            .map((c) => c.outcome),
        { timeout: 15_000 },
      )
      .toEqual(['abandoned', 'abandoned', 'abandoned']);
  }, 90_000);
});
