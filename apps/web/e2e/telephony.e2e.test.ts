import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, chooseOption, ensureWebBuild, SERVER_SRC, type Server, screenshotDir, WEB_DIR, WEB_DIST } from './support.ts';
import {
  baresipConfig,
  freePort,
  freePortPair,
  rtpengineCli,
  type SipTrunk,
  type Started,
  startGroup,
  startSipTrunk,
  telephonyMissing,
  waitForTcp,
  writeToneWav,
} from './telephony.support.ts';

/**
 * A real SIP call into the console (issue 15, docs/telephony.md), every process real: baresip
 * plays an elder's terminal and calls the hotline with the elder's number; Kamailio asks Zhiyang
 * which agent takes it (signed /cti/route) and rings that agent's softphone — JsSIP in Debian's
 * Chromium with a fake microphone — over SIP-over-WebSocket, media through userspace rtpengine.
 * The card pops before answer, the agent answers in the browser, RTP flows both ways (rtpengine's
 * own counters), the agent hangs up, the call record has its times and outcome from Kamailio's
 * signed events, and rtpengine's recording is reported and on disk.
 */

const WAIT = 20_000;
const PASSWORD = 'Test#Pass2026';
const ELDER = '周秀兰';
const ELDER_PHONE = '13912340001';
const HOTLINE = '968962';
const EXTENSION = '8001';
const SECOND_EXTENSION = '8002';
/** A number nobody in the archive has: the queued call. */
const SECOND_CALLER = '13700000002';
/** A caller who waits while the agent finishes after-call work. */
const WAITING_CALLER = '13700000003';
/** 转外线: the caller the agent hands over, and the outside number (a family member behind the trunk). */
const TRANSFER_CALLER = '13700000005';
const OUTSIDE_NUMBER = '13912345678';
/** How long a caller waits for an agent before Kamailio gives up (480). */
const QUEUE_MAX_SECONDS = 5;
const CTI_SECRET = 'e2e-cti-secret-0123456789abcdef';
const SIP_AUTH_SECRET = 'e2e-sip-secret-0123456789abcdef';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const run = promisify(execFile);

const missing = telephonyMissing() ?? (existsSync(CHROMIUM) ? null : `telephony test skipped: ${CHROMIUM} missing`);
if (missing) console.warn(missing);

let server: Server;
let admin: Api;
let browser: Browser;
let page: Page;
let shots: string;
let work: string;
let telephony: Started | undefined;
let caller: Started | undefined;
let second: Started | undefined;
let third: Started | undefined;
let fourth: Started | undefined;
let fifth: Started | undefined;
let agentId = '';
let callee: Started | undefined;
/** Transfers of an outbound call: the second agent, the trunk with two phones behind it. */
let secondAgentId = '';
let secondPage: Page | undefined;
let trunk: SipTrunk | undefined;
let elderPhone: Started | undefined;
let outsidePhone: Started | undefined;
let serverClosed = false;
const ports = { sip: 0, ws: 0, ng: 0, cli: 0, baresip: 0, trunk: 0, rtpMin: 0 };
let recordings = '';
let callId = '';
const pageErrors: string[] = [];
const consoleLines: string[] = [];
let lastCli = '';

const shot = (name: string) => page.screenshot({ path: path.join(shots, name) });
const tail = (s?: Started) => (s ? s.output.join('').split('\n').slice(-60).join('\n') : '');

/** Packets rtpengine received per RTP leg of the calls (caller side, browser side), from `rtpengine-ctl`. */
async function relayedPackets(): Promise<number[]> {
  const all = await rtpengineCli(ports.cli, 'list', 'sessions', 'all');
  lastCli = all;
  const ids = all.match(/callid:\s*(\S+)/g) ?? [];
  const counts: number[] = [];
  for (const line of ids) {
    const id = line.replace(/callid:\s*/, '');
    // A waiting prompt's own session ("<call>-wait") is not a leg of a call.
    if (id.endsWith('-wait')) continue;
    const text = await rtpengineCli(ports.cli, 'list', 'sessions', id);
    lastCli += text;
    // "-------- Port 127.0.0.1:24810 <> 127.0.0.1:24864, SSRC d839efad, 732 p, 125904 b, …": packets
    // received on each leg's RTP port (the caller's and the browser's), RTCP left out.
    for (const line of text.split('\n'))
      if (line.includes('Port') && !line.includes('(RTCP)')) counts.push(Number(/, (\d+) p,/.exec(line)?.[1] ?? 0));
  }
  return counts;
}

describe.skipIf(missing)('telephony: baresip calls the hotline, the agent answers in the browser, RTP through rtpengine', () => {
  beforeAll(async () => {
    ensureWebBuild();
    work = mkdtempSync(path.join(tmpdir(), 'zy-telephony-'));
    recordings = path.join(work, 'recordings');
    for (const k of ['sip', 'ws', 'ng', 'cli'] as const) ports[k] = await freePort();
    ports.baresip = await freePortPair();
    // The "carrier's trunk" of the click-to-dial test: a baresip that answers by itself.
    ports.trunk = await freePortPair();
    ports.rtpMin = 20000 + Math.floor(Math.random() * 400) * 100;

    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    server = await startTestServer({
      listen: true,
      config: {
        webDist: WEB_DIST,
        ctiSecret: CTI_SECRET,
        sipWsUrl: `ws://127.0.0.1:${ports.ws}`,
        sipAuthSecret: SIP_AUTH_SECRET,
        sipDomain: 'zhiyang',
        // Zhiyang's own telephony: the console's dial goes out through the softphone and Kamailio.
        ctiAdapter: 'kamailio',
        // The directory rtpengine writes to: the recordings reported are played from it.
        recordingsDir: recordings,
      },
    });
    await f.seedTree(server.ctx);
    await createElder(server.ctx, f.TREE.communityA1, { name: ELDER, phone: ELDER_PHONE, livingSituation: 'alone' });
    const operator = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district, username: 'demo-operator' });
    agentId = operator.id;
    admin = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    const hotline = await admin.post('/api/v1/call-hotlines', {
      number: HOTLINE,
      name: '智养为老服务热线',
      regionCode: f.TREE.district,
    });
    expect(hotline.statusCode, JSON.stringify(hotline.json())).toBe(201);
    expect((await admin.post(`/api/v1/call-hotlines/${hotline.json().id}/queues`, { name: '综合服务' })).statusCode).toBe(201);
    const agent = await admin.post('/api/v1/call-agents', { userId: operator.id, extension: EXTENSION });
    expect(agent.statusCode, JSON.stringify(agent.json())).toBe(201);
    // A care-call campaign for elders of 80 and over who live alone (the elder is 86 and alone),
    // callable all day: today's list gives the agent the elder's task.
    const { DEFAULT_CARE_SCRIPT } = await import('@zhiyang/shared');
    const campaign = await admin.post('/api/v1/care-call-campaigns', {
      name: '独居高龄老人每周关爱',
      regionCode: f.TREE.district,
      target: { livingSituations: ['alone'], minAge: 80 },
      frequency: 'weekly',
      script: DEFAULT_CARE_SCRIPT,
      workStart: '00:00',
      workEnd: '24:00',
    });
    expect(campaign.statusCode, JSON.stringify(campaign.json())).toBe(201);
    const { buildDailyLists } = await import(path.join(SERVER_SRC, 'modules/campaigns/lists.service.ts'));
    expect((await buildDailyLists(server.ctx, new Date())).created).toBe(1);
    // A second agent for 转接 of an outbound call (offline until that test signs them in),
    // added after today's care-call list is made so that the elder's task stays the first agent's.
    const operator2 = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district, username: 'demo-operator-2' });
    secondAgentId = operator2.id;
    expect((await admin.post('/api/v1/call-agents', { userId: operator2.id, extension: SECOND_EXTENSION })).statusCode).toBe(201);

    telephony = startGroup(process.execPath, [path.join(WEB_DIR, '../../scripts/telephony.mjs'), 'up'], {
      env: {
        ...process.env,
        ZY_API_URL: server.url,
        CTI_SECRET,
        SIP_AUTH_SECRET,
        SIP_DOMAIN: 'zhiyang',
        SIP_PORT: String(ports.sip),
        SIP_WS_PORT: String(ports.ws),
        RTPENGINE_NG_PORT: String(ports.ng),
        RTPENGINE_CLI_PORT: String(ports.cli),
        RTP_PORT_MIN: String(ports.rtpMin),
        RTP_PORT_MAX: String(ports.rtpMin + 59),
        RECORDINGS_DIR: recordings,
        TELEPHONY_RUN_DIR: path.join(work, 'run'),
        SIP_QUEUE_MAX_SECONDS: String(QUEUE_MAX_SECONDS),
        SIP_TRUNK_URI: `sip:127.0.0.1:${ports.trunk}`,
      },
    });
    await waitForTcp(ports.ws, 15_000).catch((e) => {
      throw new Error(`${e.message}\n${tail(telephony)}`);
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
    shots = screenshotDir();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['microphone'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  }, 180_000);

  afterAll(async () => {
    await outsidePhone?.stop();
    await elderPhone?.stop();
    await trunk?.close();
    await fifth?.stop();
    await callee?.stop();
    await fourth?.stop();
    await third?.stop();
    await second?.stop();
    await caller?.stop();
    await browser?.close();
    await telephony?.stop();
    if (!serverClosed) await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('the agent goes 空闲 and the console softphone registers with Kamailio', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill('demo-operator');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'));
    await page.goto(`${server.url}/console/calls/console`);
    await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
    await page.getByTestId('state-idle').click();
    await page.locator('[data-testid="agent-state"][data-state="idle"]').waitFor();
    await page
      .locator('[data-testid="softphone-status"][data-status="registered"]')
      .waitFor()
      .catch((e) => {
        throw new Error(`${e.message}\n${consoleLines.slice(-40).join('\n')}\n${tail(telephony)}`);
      });
    expect(await page.getByTestId('softphone-status').textContent()).toBe('软电话已就绪');
    // 麦克风检测 hears Chromium's fake microphone (a beep).
    await page.getByTestId('mic-check').click();
    await page.locator('[data-testid="mic-result"]').waitFor();
    expect(await page.getByTestId('mic-result').textContent()).toBe('麦克风正常');
  }, 60_000);

  it('the softphone registers again after its WebSocket drops', async () => {
    // Kamailio closes the browser's connection (websocket module's ws.close over its control socket).
    const kamcmd = (...args: string[]) =>
      run('/usr/sbin/kamcmd', ['-s', `unixs:${path.join(work, 'run', 'kamailio-ctl.sock')}`, ...args]).then((r) => r.stdout);
    const dump = await kamcmd('ws.dump');
    const ids = [...dump.matchAll(/^\s*(\d+): ws:/gm)].map((m) => m[1]);
    expect(ids.length, dump).toBeGreaterThan(0);
    for (const id of ids) await kamcmd('ws.close', id);
    await page.locator('[data-testid="softphone-status"]:not([data-status="registered"])').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor({ timeout: 15_000 });
  }, 60_000);

  it('baresip calls the hotline as the elder: the softphone rings and the card pops before answer', async () => {
    const wav = path.join(work, 'elder.wav');
    writeToneWav(wav, 40);
    const dir = path.join(work, 'baresip');
    baresipConfig(dir, { sipPort: ports.baresip, wav, number: ELDER_PHONE, rtpMin: ports.rtpMin + 60 });
    caller = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);

    const header = page.getByTestId('call-header');
    await header.waitFor().catch((e) => {
      throw new Error(`${e.message}\n--- telephony\n${tail(telephony)}\n--- baresip\n${tail(caller)}`);
    });
    await page
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor()
      .catch((e) => {
        throw new Error(`${e.message}\n${consoleLines.slice(-30).join('\n')}\n--- telephony\n${tail(telephony)}`);
      });
    await page.getByTestId('caller-card-name').getByText(ELDER).waitFor();
    expect(await header.getAttribute('data-phase')).toBe('ringing');
    expect(await page.getByTestId('call-number').textContent()).toMatch(/^139\*+0001$/);
    await page.locator('[data-testid="agent-state"][data-state="ringing"]').waitFor();
    await shot('telephony-ringing-1440.png');
  }, 60_000);

  it('the agent answers in the browser and RTP flows both ways through rtpengine', async () => {
    await page.getByTestId('line-answer').click();
    await page.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    await page.locator('[data-testid="call-header"][data-phase="talking"]').waitFor();
    await page.locator('[data-testid="agent-state"][data-state="talking"]').waitFor();
    // rtpengine's own counters: every stream of the call (caller → rtpengine, rtpengine → browser
    // and back) has carried packets, not just the signalling.
    await expect
      .poll(
        async () => {
          const counts = await relayedPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true)
      .catch((e) => {
        throw new Error(`${e.message}\n${lastCli}`);
      });
    await page.getByTestId('softphone-timer').waitFor();
    await shot('telephony-talking-1440.png');
    // 保持 and 恢复通话: re-INVITEs through Kamailio and rtpengine; the call stays up and the media
    // flows again afterwards on both legs.
    await page.getByTestId('softphone-hold').click();
    await page.locator('[data-testid="softphone-hold"][data-held="true"]').waitFor();
    expect(await page.getByTestId('softphone-hold').textContent()).toBe('恢复通话');
    const before = await relayedPackets();
    await page.getByTestId('softphone-hold').click();
    await page.locator('[data-testid="softphone-hold"][data-held="false"]').waitFor();
    await expect
      .poll(
        async () => {
          const now = await relayedPackets();
          return now.length === before.length && now.every((c, i) => c >= before[i] + 25);
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(true)
      .catch((e) => {
        throw new Error(`${e.message}\n${before}\n${lastCli}\n${tail(telephony)}`);
      });
    await page.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
  }, 60_000);

  it('a second call while the only agent talks waits in the queue and counts as abandoned when its caller hangs up', async () => {
    const dir = path.join(work, 'baresip-2');
    const port = await freePortPair();
    baresipConfig(dir, { sipPort: port, wav: path.join(work, 'elder.wav'), number: SECOND_CALLER, rtpMin: ports.rtpMin + 80 });
    second = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    const waiting = async () =>
      (
        (await admin.get('/api/v1/calls?direction=inbound')).json().items as Array<{
          numberMasked: string;
          outcome: string | null;
          agentUserId: string | null;
        }>
      ).find((c) => c.numberMasked.endsWith('0002'));
    // Offered to Zhiyang and waiting: nobody free, so no agent rung (Kamailio asks again every 2 s).
    await expect.poll(waiting, { timeout: 10_000 }).toMatchObject({ outcome: null, agentUserId: null });
    expect(await page.getByTestId('agent-state').getAttribute('data-state')).toBe('talking');
    // The caller gives up: baresip hangs up (CANCEL) as it stops.
    await second.stop();
    await expect
      .poll(async () => (await waiting())?.outcome, { timeout: 10_000 })
      .toBe('abandoned')
      .catch((e) => {
        throw new Error(`${e.message}\n${tail(telephony)}`);
      });
  }, 60_000);

  it('the agent hangs up: the call record has its times and outcome, and the recording is reported', async () => {
    await page.getByTestId('line-hang-up').click();
    await page.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    const list = await admin.get(`/api/v1/calls?direction=inbound`);
    expect(list.statusCode).toBe(200);
    const found = list.json().items.find((c: { partyKind: string }) => c.partyKind === 'elder');
    expect(found).toMatchObject({ partyKind: 'elder', elderName: ELDER, outcome: 'answered' });
    callId = found.id;
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${callId}`)).json().recordingRef, { timeout: 15_000 })
      .toEqual(expect.stringMatching(/\.pcap$/))
      .catch((e) => {
        const files = readdirSync(recordings, { recursive: true }).join('\n');
        const meta = path.join(recordings, 'metadata');
        const metas = existsSync(meta)
          ? readdirSync(meta)
              .map((n) => readFileSync(path.join(meta, n), 'utf8'))
              .join('\n---\n')
          : '';
        throw new Error(`${e.message}\n${files}\n${metas}\n${tail(telephony)}`);
      });
    const call = (await admin.get(`/api/v1/calls/${callId}`)).json();
    expect(call.outcome).toBe('answered');
    // Kamailio's id of the call: "sip-" and the md5 of the SIP Call-ID.
    expect(call.externalId).toMatch(/^sip-[0-9a-f]{32}$/);
    expect(call.hotlineNumber ?? HOTLINE).toBe(HOTLINE);
    expect(Date.parse(call.answeredAt)).toBeGreaterThanOrEqual(Date.parse(call.offeredAt));
    expect(Date.parse(call.endedAt)).toBeGreaterThan(Date.parse(call.answeredAt));
    const file = path.join(recordings, call.recordingRef);
    expect(existsSync(file), `${file} in ${readdirSync(recordings)}`).toBe(true);
    // Both legs decrypted, a few seconds of PCMU at 50 packets/s each way.
    expect(statSync(file).size).toBeGreaterThan(20_000);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('click-to-dial: the agent calls the elder back from the card; the softphone dials through Kamailio to the trunk with a signed ticket, RTP flows, the call is recorded as outbound', async () => {
    const dir = path.join(work, 'baresip-callee');
    baresipConfig(dir, {
      sipPort: ports.trunk,
      wav: path.join(work, 'elder.wav'),
      number: ELDER_PHONE,
      rtpMin: ports.rtpMin + 140,
      autoAnswer: true,
    });
    callee = startGroup('/usr/bin/baresip', ['-f', dir]);
    await expect.poll(() => callee?.output.join('') ?? '', { timeout: 10_000 }).toMatch(/baresip is ready/);
    // The card of the call just ended is still there, with 拨打 beside the elder's number.
    await page.getByTestId('dial-elder').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="talking"]')
      .waitFor({ timeout: 15_000 })
      .catch(async (e) => {
        await shot('telephony-dial-out-failed.png');
        const calls = JSON.stringify((await admin.get('/api/v1/calls?direction=outbound')).json());
        throw new Error(
          `${e.message}\n${calls}\n--- telephony\n${tail(telephony)}\n--- callee\n${tail(callee)}\n${consoleLines.slice(-20).join('\n')}`,
        );
      });
    await page.locator('[data-testid="agent-state"][data-state="talking"]').waitFor();
    // The elder's phone (the trunk side) got the call from Kamailio and picked up.
    expect(tail(callee)).toMatch(/Call established/);
    await expect
      .poll(
        async () => {
          const counts = await relayedPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true)
      .catch((e) => {
        throw new Error(`${e.message}\n${lastCli}`);
      });
    await shot('telephony-dial-out-1440.png');
    await page.getByTestId('line-hang-up').click();
    await page.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    const out = (await admin.get('/api/v1/calls?direction=outbound')).json().items as Array<{ id: string }>;
    expect(out).toHaveLength(1);
    const call = (await admin.get(`/api/v1/calls/${out[0].id}`)).json();
    expect(call).toMatchObject({ direction: 'outbound', outcome: 'answered', partyKind: 'elder', elderName: ELDER });
    expect(call.externalId).toMatch(/^sip-out-[0-9a-f-]{36}$/);
    expect(Date.parse(call.endedAt)).toBeGreaterThan(Date.parse(call.answeredAt));
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${call.id}`)).json().recordingRef, { timeout: 15_000 })
      .toEqual(expect.stringMatching(/\.pcap$/));
  }, 60_000);

  it('click-to-dial for a care call: on 今日关爱外呼 the softphone calls the elder of the task through Kamailio', async () => {
    await page.goto(`${server.url}/console/calls/care`);
    await page.getByTestId('care-task').waitFor();
    expect(await page.getByTestId('care-task').textContent()).toContain(ELDER);
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
    await page.getByTestId('care-task').getByTestId('dial-elder').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="talking"]')
      .waitFor({ timeout: 15_000 })
      .catch((e) => {
        throw new Error(
          `${e.message}\n--- telephony\n${tail(telephony)}\n--- callee\n${tail(callee)}\n${consoleLines.slice(-20).join('\n')}`,
        );
      });
    await expect
      .poll(
        async () => {
          const counts = await relayedPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    await shot('telephony-care-call-1440.png');
    await page.getByTestId('line-hang-up').click();
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await admin.get('/api/v1/calls?direction=outbound')).json().items.length, { timeout: 10_000 })
      .toBe(2);
    const out = (await admin.get('/api/v1/calls?direction=outbound')).json().items as Array<{ id: string }>;
    const ended = (await admin.get(`/api/v1/calls/${out[0].id}`)).json();
    expect(ended).toMatchObject({ direction: 'outbound', outcome: 'answered', elderName: ELDER });
    // Back on the agent console for the next calls: the agent is in after-call work.
    await page.goto(`${server.url}/console/calls/console`);
    await page.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
  }, 60_000);

  it('a dial without a ticket from Zhiyang does not get out: Kamailio answers 403', async () => {
    // A SIP phone on the trunk side cannot use the agents' outbound route either: only the
    // browser's WebSocket with a valid ticket reaches the trunk. Here a forged ticket over
    // the same WebSocket, signed with the wrong secret.
    const forged = await page.evaluate(
      async ({ ws, domain }) => {
        const sock = new WebSocket(ws, 'sip');
        await new Promise((r) => sock.addEventListener('open', r, { once: true }));
        const branch = `z9hG4bK${Math.random().toString(36).slice(2)}`;
        const cid = `${Math.random().toString(36).slice(2)}@forged`;
        const exp = Math.floor(Date.now() / 1000) + 60;
        const ticket = `${exp}.8001.13912340001.968962.sip-out-00000000-0000-0000-0000-000000000000.AAAA`;
        const msg = [
          `INVITE sip:13912340001@${domain} SIP/2.0`,
          `Via: SIP/2.0/WS forged.invalid;branch=${branch}`,
          'Max-Forwards: 70',
          `To: <sip:13912340001@${domain}>`,
          `From: <sip:8001@${domain}>;tag=forged1`,
          `Call-ID: ${cid}`,
          'CSeq: 1 INVITE',
          'Contact: <sip:8001@forged.invalid;transport=ws>',
          `X-Zy-Dial: ${ticket}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        const answer = new Promise<string>((r) => sock.addEventListener('message', (e) => r(String(e.data)), { once: true }));
        sock.send(msg);
        const text = await answer;
        sock.close();
        return text.split('\r\n')[0];
      },
      { ws: `ws://127.0.0.1:${ports.ws}`, domain: 'zhiyang' },
    );
    expect(forged).toBe('SIP/2.0 403 Invalid dial ticket');
    expect((await admin.get('/api/v1/calls?direction=outbound')).json().items).toHaveLength(2);
    await callee?.stop();
    callee = undefined;
  }, 30_000);

  it('a caller waiting while the agent is in after-call work is rung once the agent is free; the caller hangs up first', async () => {
    const dir = path.join(work, 'baresip-4');
    const port = await freePortPair();
    baresipConfig(dir, { sipPort: port, wav: path.join(work, 'elder.wav'), number: WAITING_CALLER, rtpMin: ports.rtpMin + 120 });
    fourth = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    const record = async () =>
      (
        (await admin.get('/api/v1/calls?direction=inbound')).json().items as Array<{
          id: string;
          numberMasked: string;
          outcome: string | null;
          agentUserId: string | null;
          answeredAt: string | null;
          endedAt: string | null;
        }>
      ).find((c) => c.numberMasked.endsWith('0003'));
    await expect.poll(record, { timeout: 10_000 }).toMatchObject({ outcome: null, agentUserId: null });
    // 完成话后处理: the agent is free, and Kamailio's next question (every 2 s) rings them.
    await page.getByTestId('finish-wrap-up').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor({ timeout: 10_000 })
      .catch((e) => {
        throw new Error(
          `${e.message}\n--- telephony\n${tail(telephony)}\n--- caller\n${tail(fourth)}\n${consoleLines.slice(-20).join('\n')}`,
        );
      });
    await page.locator('[data-testid="call-header"][data-phase="ringing"]').waitFor();
    await page.getByTestId('line-answer').click();
    await page.locator('[data-testid="agent-state"][data-state="talking"]').waitFor();
    // The caller hangs up (BYE from the SIP side).
    await fourth.stop();
    await page.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached' });
    const ended = await record();
    expect(ended).toMatchObject({ outcome: 'answered' });
    expect(Date.parse(ended?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(ended?.answeredAt ?? ''));
  }, 60_000);

  it('转外线: the agent hands a talking caller to an outside number; Kamailio sends the caller to the trunk with the signed ticket, the agent is done, the call ends when the outside party hangs up', async () => {
    // The outside number (a family member) behind the carrier's trunk: a baresip that answers by itself.
    const outsideDir = path.join(work, 'baresip-outside');
    baresipConfig(outsideDir, {
      sipPort: ports.trunk,
      wav: path.join(work, 'elder.wav'),
      number: OUTSIDE_NUMBER,
      rtpMin: ports.rtpMin + 180,
      autoAnswer: true,
    });
    // A callee an earlier failed test left running would hold the trunk's port (and leak): stop it first.
    await callee?.stop();
    callee = startGroup('/usr/bin/baresip', ['-f', outsideDir]);
    await expect.poll(() => callee?.output.join('') ?? '', { timeout: 10_000 }).toMatch(/baresip is ready/);
    const wav = path.join(work, 'xfer-caller.wav');
    writeToneWav(wav, 90);
    const dir = path.join(work, 'baresip-5');
    baresipConfig(dir, { sipPort: await freePortPair(), wav, number: TRANSFER_CALLER, rtpMin: ports.rtpMin + 160 });
    await page.getByTestId('finish-wrap-up').click();
    await page.locator('[data-testid="agent-state"][data-state="idle"]').waitFor();
    fifth = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    await page.locator('[data-testid="softphone-controls"][data-call="ringing"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('line-answer').click();
    await page.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    const record = async () =>
      ((await admin.get('/api/v1/calls?direction=inbound')).json().items as Array<{ id: string; numberMasked: string }>).find(
        (c) => c.numberMasked.endsWith(TRANSFER_CALLER.slice(-4)),
      );
    await expect.poll(async () => (await record())?.id ?? null, { timeout: 10_000 }).not.toBeNull();
    const id = (await record())?.id as string;
    // 转接 → 转外线 → the number → 转接.
    await page.getByTestId('softphone-transfer').click();
    await page.getByTestId('transfer-mode-number').click();
    await page.getByTestId('transfer-number').fill(OUTSIDE_NUMBER);
    await shot('telephony-transfer-out-1440.png');
    await page.locator('#transfer-confirm').click();
    // The outside phone picked up the caller; the agent's leg is over and the agent is in after-call work.
    await expect
      .poll(() => tail(callee), { timeout: 15_000 })
      .toMatch(/Call established/)
      .catch((e) => {
        throw new Error(
          `${e.message}\n--- telephony\n${tail(telephony)}\n--- caller\n${tail(fifth)}\n${consoleLines.slice(-20).join('\n')}`,
        );
      });
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().transferredOutMasked, { timeout: 10_000 })
      .toBe('139****5678');
    // The call goes on between the caller and the outside number …
    expect((await admin.get(`/api/v1/calls/${id}`)).json()).toMatchObject({ endedAt: null, agentUserId: agentId });
    // … until the outside party hangs up: then it ends, answered, still the agent's call.
    await callee?.stop();
    callee = undefined;
    await expect.poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().outcome, { timeout: 10_000 }).toBe('answered');
    expect((await admin.get(`/api/v1/calls/${id}`)).json().agentUserId).toBe(agentId);
    await fifth?.stop();
    fifth = undefined;
  }, 90_000);

  it('转接 of an outbound call: the agent calls the elder from 今日关爱外呼 and hands the talking elder to another agent; the elder’s phone follows the REFER, the other agent answers, the call stays outbound with its recording', async () => {
    // The carrier's trunk with the elder's phone and an outside number (a family member) behind it.
    const wav = path.join(work, 'elder-long.wav');
    writeToneWav(wav, 120);
    const elderPort = await freePortPair();
    const outsidePort = await freePortPair();
    const elderDir = path.join(work, 'baresip-elder-out');
    baresipConfig(elderDir, { sipPort: elderPort, wav, number: ELDER_PHONE, rtpMin: ports.rtpMin + 200, autoAnswer: true });
    const outsideDir = path.join(work, 'baresip-outside-2');
    baresipConfig(outsideDir, {
      sipPort: outsidePort,
      wav,
      number: OUTSIDE_NUMBER,
      rtpMin: ports.rtpMin + 220,
      autoAnswer: true,
    });
    elderPhone = startGroup('/usr/bin/baresip', ['-f', elderDir]);
    outsidePhone = startGroup('/usr/bin/baresip', ['-f', outsideDir]);
    await expect.poll(() => tail(elderPhone), { timeout: 10_000 }).toMatch(/baresip is ready/);
    await expect.poll(() => tail(outsidePhone), { timeout: 10_000 }).toMatch(/baresip is ready/);
    trunk = await startSipTrunk(ports.trunk, { [ELDER_PHONE]: elderPort, [OUTSIDE_NUMBER]: outsidePort });
    const why = (e: Error) =>
      new Error(
        `${e.message}\n--- telephony\n${tail(telephony)}\n--- elder\n${tail(elderPhone)}\n--- outside\n${tail(outsidePhone)}\n--- trunk\n${trunk?.routed.join('\n')}\n${consoleLines.slice(-20).join('\n')}`,
      );

    // The second agent comes to work (空闲) in another browser.
    const context2 = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['microphone'],
    });
    const other = await context2.newPage();
    secondPage = other;
    other.setDefaultTimeout(WAIT);
    other.on('pageerror', (err) => pageErrors.push(`second agent: ${String(err)}`));
    await other.goto(`${server.url}/console/login`);
    await other.getByLabel('用户名').fill('demo-operator-2');
    await other.getByLabel('密码').fill(PASSWORD);
    await other.getByRole('button', { name: /登\s?录/ }).click();
    await other.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'));
    await other.goto(`${server.url}/console/calls/console`);
    await other.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
    await other.getByTestId('state-idle').click();
    await other.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();

    // The first agent calls the elder of the care-call task.
    const outBefore = ((await admin.get('/api/v1/calls?direction=outbound')).json().items as unknown[]).length;
    await page.goto(`${server.url}/console/calls/care`);
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
    await page.getByTestId('care-task').getByTestId('dial-elder').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="talking"]')
      .waitFor({ timeout: 15_000 })
      .catch((e) => {
        throw why(e);
      });
    const theCall = async () => {
      const items = (await admin.get('/api/v1/calls?direction=outbound')).json().items as Array<{ id: string }>;
      return items.length > outBefore ? (await admin.get(`/api/v1/calls/${items[0].id}`)).json() : null;
    };
    await expect.poll(async () => (await theCall())?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const id = (await theCall()).id as string;

    // 转接 → the second agent (extension 8002) → 转接.
    await page.getByTestId('softphone-transfer').click();
    await page.getByTestId('transfer-target').click();
    await chooseOption(page.locator('.ant-select-item-option').filter({ hasText: SECOND_EXTENSION }));
    await page.locator('#transfer-confirm').click();
    // The elder's phone calls Kamailio with the ticket; the second agent's softphone rings with the elder's card.
    await other
      .locator('[data-testid="softphone-controls"][data-call="ringing"]')
      .waitFor({ timeout: 15_000 })
      .catch((e) => {
        throw why(e);
      });
    await other.getByText(ELDER).first().waitFor();
    await other.getByTestId('line-answer').click();
    await other.locator('[data-testid="softphone-controls"][data-call="talking"]').waitFor();
    // The first agent's leg is over: after-call work.
    await page
      .locator('[data-testid="softphone-controls"]')
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch((e) => {
        throw why(e);
      });
    // The elder talks to the second agent through rtpengine: RTP on both legs of the new session.
    await expect
      .poll(
        async () => {
          const counts = await relayedPackets();
          return counts.length >= 2 && counts.every((c) => c >= 50);
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true)
      .catch((e) => {
        throw new Error(`${e.message}\n${lastCli}`);
      });
    await other.screenshot({ path: path.join(shots, 'telephony-outbound-transferred-1440.png') });
    let c = (await admin.get(`/api/v1/calls/${id}`)).json();
    expect(c).toMatchObject({ direction: 'outbound', agentUserId: secondAgentId, endedAt: null, elderName: ELDER });
    expect(c.externalId).toMatch(/^sip-out-[0-9a-f-]{36}$/);
    const agents = (await admin.get('/api/v1/call-agents')).json().items as Array<{ userId: string; state: string }>;
    expect(agents.find((a) => a.userId === agentId)?.state).toBe('wrap_up');
    // The first agent's part (the dialled leg, ended at the transfer) is recorded under the call.
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().recordingRef, { timeout: 15_000 })
      .toEqual(expect.stringMatching(/\.pcap$/));
    // The second agent hangs up: the call ends, answered, with them, the recording kept.
    await other.getByTestId('line-hang-up').click();
    await other.locator('[data-testid="agent-state"][data-state="wrap_up"]').waitFor();
    await expect.poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().outcome, { timeout: 10_000 }).toBe('answered');
    c = (await admin.get(`/api/v1/calls/${id}`)).json();
    expect(c).toMatchObject({ direction: 'outbound', agentUserId: secondAgentId, transferredOutMasked: null });
    expect(c.recordingRef).toMatch(/\.pcap$/);
    expect(Date.parse(c.endedAt)).toBeGreaterThan(Date.parse(c.answeredAt));
    expect(existsSync(path.join(recordings, c.recordingRef))).toBe(true);
    // Both agents' parts are the call's recordings (the second leg is another SIP dialog, another
    // pcap): the first agent's, then the second's, each file on disk; the second plays.
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().recordings.length, { timeout: 15_000 })
      .toBe(2)
      .catch((e) => {
        throw why(e);
      });
    c = (await admin.get(`/api/v1/calls/${id}`)).json();
    const parts = c.recordings as Array<{ part: number; recordingRef: string; agentUserId: string; seconds: number | null }>;
    expect(parts.map((p) => [p.part, p.agentUserId])).toEqual([
      [1, agentId],
      [2, secondAgentId],
    ]);
    expect(parts[0].recordingRef).toBe(c.recordingRef);
    expect(parts[1].recordingRef).not.toBe(c.recordingRef);
    for (const p of parts) {
      expect(p.recordingRef).toMatch(/\.pcap$/);
      expect(existsSync(path.join(recordings, p.recordingRef)), p.recordingRef).toBe(true);
    }
    expect(parts[1].seconds).toBeGreaterThanOrEqual(1);
    const second = await admin.get(`/api/v1/calls/${id}/recordings/2`);
    expect(second.statusCode).toBe(200);
    expect((second as unknown as { headers: Record<string, string> }).headers['content-type']).toBe('audio/wav');
    // The elder's phone took the ticket's address from the REFER (Kamailio pointed it at itself).
    expect(tail(elderPhone)).toMatch(/zx\./);
  }, 120_000);

  it('转外线 of an outbound call: the agent hands the talking elder to an outside number behind the trunk; the agent is done, the call stays outbound and ends when the outside party hangs up', async () => {
    if (!trunk || !elderPhone || !outsidePhone) throw new Error('the trunk and its phones were not started (previous test)');
    const outBefore = ((await admin.get('/api/v1/calls?direction=outbound')).json().items as unknown[]).length;
    const routedBefore = trunk.routed.length;
    const why = (e: Error) =>
      new Error(
        `${e.message}\n--- telephony\n${tail(telephony)}\n--- elder\n${tail(elderPhone)}\n--- outside\n${tail(outsidePhone)}\n--- trunk\n${trunk?.routed.join('\n')}\n${consoleLines.slice(-20).join('\n')}`,
      );
    const established = (tail(outsidePhone).match(/Call established/g) ?? []).length;
    await page.getByTestId('care-task').getByTestId('dial-elder').click();
    await page
      .locator('[data-testid="softphone-controls"][data-call="talking"]')
      .waitFor({ timeout: 15_000 })
      .catch((e) => {
        throw why(e);
      });
    const theCall = async () => {
      const items = (await admin.get('/api/v1/calls?direction=outbound')).json().items as Array<{ id: string }>;
      return items.length > outBefore ? (await admin.get(`/api/v1/calls/${items[0].id}`)).json() : null;
    };
    await expect.poll(async () => (await theCall())?.answeredAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const id = (await theCall()).id as string;
    // 转接 → 转外线 → the number → 转接.
    await page.getByTestId('softphone-transfer').click();
    await page.getByTestId('transfer-mode-number').click();
    await page.getByTestId('transfer-number').fill(OUTSIDE_NUMBER);
    await page.locator('#transfer-confirm').click();
    // The outside phone picks up the elder (Kamailio sent the elder's call to the trunk with the number).
    await expect
      .poll(() => (tail(outsidePhone).match(/Call established/g) ?? []).length, { timeout: 15_000 })
      .toBeGreaterThan(established)
      .catch((e) => {
        throw why(e);
      });
    expect(trunk.routed.slice(routedBefore)).toEqual(
      expect.arrayContaining([`INVITE ${ELDER_PHONE}`, `INVITE ${OUTSIDE_NUMBER}`]),
    );
    await page.locator('[data-testid="softphone-controls"]').waitFor({ state: 'detached', timeout: 15_000 });
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().transferredOutMasked, { timeout: 10_000 })
      .toBe('139****5678');
    const agents = (await admin.get('/api/v1/call-agents')).json().items as Array<{ userId: string; state: string }>;
    expect(agents.find((a) => a.userId === agentId)?.state).toBe('wrap_up');
    // The elder and the outside number go on talking …
    expect((await admin.get(`/api/v1/calls/${id}`)).json()).toMatchObject({
      direction: 'outbound',
      endedAt: null,
      agentUserId: agentId,
    });
    // … until the outside party hangs up: the call ends, answered, still the first agent's, with the recording of their part.
    await outsidePhone.stop();
    outsidePhone = undefined;
    await expect.poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().outcome, { timeout: 10_000 }).toBe('answered');
    const c = (await admin.get(`/api/v1/calls/${id}`)).json();
    expect(c).toMatchObject({ agentUserId: agentId, elderName: ELDER });
    await expect
      .poll(async () => (await admin.get(`/api/v1/calls/${id}`)).json().recordingRef, { timeout: 15_000 })
      .toEqual(expect.stringMatching(/\.pcap$/));
    await elderPhone.stop();
    elderPhone = undefined;
    await trunk.close();
    trunk = undefined;
    await secondPage?.context().close();
    // Back on the agent console for the tests that follow.
    await page.goto(`${server.url}/console/calls/console`);
    await page.locator('[data-testid="softphone-status"][data-status="registered"]').waitFor();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('a forged or expired transfer ticket for an outbound call gets 403 from Kamailio and changes nothing', async () => {
    const items = (await admin.get('/api/v1/calls?direction=outbound')).json().items as Array<{ id: string }>;
    const before = (await admin.get(`/api/v1/calls/${items[0].id}`)).json();
    expect(before.externalId).toMatch(/^sip-out-/);
    // The CTI events applied to the call (each is audited as cti.event).
    const events = async () =>
      ((await admin.get(`/api/v1/audit-log?targetId=${before.id}&limit=200`)).json().items as Array<{ action: string }>).filter(
        (a) => a.action === 'cti.event',
      ).length;
    const audited = await events();
    const mac = (payload: string) => createHmac('sha256', SIP_AUTH_SECRET).update(payload).digest('base64url');
    const now = Math.floor(Date.now() / 1000);
    const wrongSecret = (payload: string) =>
      createHmac('sha256', 'not-the-secret-0123456789abcdef').update(payload).digest('base64url');
    const tickets = [
      // signed with another secret
      `zx.${now + 60}.${SECOND_EXTENSION}.${before.externalId}.${wrongSecret(`${now + 60}.${SECOND_EXTENSION}.${before.externalId}`)}`,
      `zo.${now + 60}.${OUTSIDE_NUMBER}.${before.externalId}.${wrongSecret(`${now + 60}.${OUTSIDE_NUMBER}.${before.externalId}`)}`,
      // signed right, expired
      `zx.${now - 5}.${SECOND_EXTENSION}.${before.externalId}.${mac(`${now - 5}.${SECOND_EXTENSION}.${before.externalId}`)}`,
      // signed right for another number than the one in it
      `zo.${now + 60}.120.${before.externalId}.${mac(`${now + 60}.${OUTSIDE_NUMBER}.${before.externalId}`)}`,
    ];
    const sock = createSocket('udp4');
    await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
    const me = sock.address().port;
    try {
      for (const [i, user] of tickets.entries()) {
        const msg = [
          `INVITE sip:${user}@127.0.0.1:${ports.sip} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=z9hG4bKforged${i}${now}`,
          'Max-Forwards: 70',
          `To: <sip:${user}@127.0.0.1>`,
          `From: <sip:${ELDER_PHONE}@127.0.0.1>;tag=forged${i}`,
          `Call-ID: forged-${i}-${now}@127.0.0.1`,
          'CSeq: 1 INVITE',
          `Contact: <sip:${ELDER_PHONE}@127.0.0.1:${me}>`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        const answer = new Promise<string>((resolve) => sock.once('message', (b) => resolve(b.toString().split('\r\n')[0])));
        sock.send(msg, ports.sip, '127.0.0.1');
        expect(await answer, user).toBe('SIP/2.0 403 Invalid transfer ticket');
      }
    } finally {
      sock.close();
    }
    const after = (await admin.get(`/api/v1/calls/${before.id}`)).json();
    expect(after).toEqual(before);
    expect(await events()).toBe(audited);
  }, 30_000);

  it('with Zhiyang down the caller waits (180) while Kamailio keeps asking, then gets 480 — Kamailio stays up', async () => {
    await server.close();
    serverClosed = true;
    const dir = path.join(work, 'baresip-3');
    const port = await freePortPair();
    baresipConfig(dir, { sipPort: port, wav: path.join(work, 'elder.wav'), number: ELDER_PHONE, rtpMin: ports.rtpMin + 100 });
    const started = Date.now();
    third = startGroup('/usr/bin/baresip', ['-f', dir, '-e', `/dial sip:${HOTLINE}@127.0.0.1:${ports.sip}`]);
    const heard = () => third?.output.join('') ?? '';
    await expect
      .poll(heard, { timeout: (QUEUE_MAX_SECONDS + 10) * 1000, interval: 250 })
      .toMatch(/480 Temporarily Unavailable/)
      .catch((e) => {
        throw new Error(`${e.message}\n${heard()}\n--- telephony\n${tail(telephony)}`);
      });
    expect(heard()).toMatch(/180 Ringing/);
    expect(Date.now() - started).toBeGreaterThanOrEqual((QUEUE_MAX_SECONDS - 1) * 1000);
    expect(tail(telephony)).toMatch(/routing answer/);
    expect(telephony?.child.exitCode).toBeNull();
  }, 60_000);
});
