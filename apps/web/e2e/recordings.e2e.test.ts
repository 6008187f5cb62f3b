import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * Call recordings in the console (issue 15): the supervisor opens a recorded call in 通话记录,
 * presses 播放录音, and the browser plays the WAV the server decoded from the recorder's pcap
 * (2 seconds, stereo) — one audited playback. Another agent sees that there is a recording and
 * who may hear it, but no player.
 */

const WAIT = 30_000;
const PASSWORD = 'Test#Pass2026';
const ELDER = '钱桂英';

let server: Server;
let browser: Browser;
let dir: string;
let supervisor: string;
let otherAgent: string;
let callId = '';
let countPlays: () => Promise<number>;
const pageErrors: string[] = [];

async function loginPage(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'), { timeout: WAIT });
  return page;
}

async function openCall(page: Page) {
  await page.goto(`${server.url}/console/calls/log`);
  const row = page.locator('.ant-table-row').filter({ hasText: ELDER });
  await row.first().click();
  const drawer = page.getByTestId('call-drawer');
  await drawer.waitFor();
  return drawer;
}

describe('call recordings in the call log', () => {
  beforeAll(async () => {
    ensureWebBuild();
    dir = mkdtempSync(path.join(tmpdir(), 'zy-rec-e2e-'));
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const pcap = await import(path.join(SERVER_SRC, 'modules/calls/recordings.testing.ts'));
    const { auditLog } = await import(path.join(SERVER_SRC, 'modules/audit/audit.schema.ts'));
    const { and, eq } = await import('drizzle-orm');
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST, recordingsDir: dir } });
    await f.seedTree(server.ctx);
    await createElder(server.ctx, f.TREE.communityA1, { name: ELDER, phone: '13912340077' });
    const admin = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    supervisor = (await f.createAccount(server.ctx, 'district_admin', { regionCode: f.TREE.district })).username;
    const taker = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district });
    const other = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district });
    otherAgent = other.username;
    expect(
      (await admin.post('/api/v1/call-hotlines', { number: '968962', name: '为老服务热线', regionCode: f.TREE.district }))
        .statusCode,
    ).toBe(201);
    expect((await admin.post('/api/v1/call-agents', { userId: taker.id, extension: '8101' })).statusCode).toBe(201);
    expect((await admin.post('/api/v1/call-agents', { userId: other.id, extension: '8102' })).statusCode).toBe(201);

    // The recorder's pcap: the caller's 400 Hz for 2 s, the agent's 1000 Hz from 0.5 s.
    mkdirSync(path.join(dir, 'pcaps'));
    writeFileSync(path.join(dir, 'pcaps', 'e2e-call.pcap'), pcap.buildPcap([pcap.callerLeg(), pcap.agentLeg()]));
    const t = Date.now() - 120_000;
    const at = (s: number) => new Date(t + s * 1000).toISOString();
    const send = async (body: Record<string, unknown>) => {
      const r = await admin.post('/api/v1/cti/simulator/events', { callId: 'e2e-rec-1', ...body });
      expect(r.statusCode, JSON.stringify(r.json())).toBe(200);
      return r.json().callId as string;
    };
    callId = await send({
      type: 'call.offered',
      eventId: 'e2e-rec-1-1',
      occurredAt: at(0),
      hotline: '968962',
      caller: '13912340077',
    });
    await send({ type: 'call.ringing', eventId: 'e2e-rec-1-2', occurredAt: at(2), extension: '8101' });
    await send({ type: 'call.answered', eventId: 'e2e-rec-1-3', occurredAt: at(4), extension: '8101' });
    await send({ type: 'call.ended', eventId: 'e2e-rec-1-4', occurredAt: at(30), outcome: 'answered' });
    await send({ type: 'call.recording_ready', eventId: 'e2e-rec-1-5', occurredAt: at(31), recordingRef: 'pcaps/e2e-call.pcap' });
    // As the worker does once the recording is reported: the file on disk is now its sealed form.
    const { sealRecordings } = await import(path.join(SERVER_SRC, 'modules/calls/recordings.seal.ts'));
    expect(await sealRecordings(server.ctx)).toMatchObject({ sealed: 1 });
    countPlays = async () =>
      (
        await server.ctx.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.action, 'call.recording.play'), eq(auditLog.targetId, callId)))
      ).length;
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the supervisor plays it: a 2-second recording, one audited playback', async () => {
    const page = await loginPage(supervisor);
    const drawer = await openCall(page);
    await drawer.getByTestId('recording-play').click();
    const audio = page.getByTestId('recording-audio');
    await audio.waitFor();
    expect(await drawer.textContent()).toContain('左声道为来电方');
    const duration = await audio.evaluate(
      (el: HTMLAudioElement) =>
        new Promise<number>((resolve) => {
          if (el.readyState >= 1) resolve(el.duration);
          else el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
        }),
    );
    expect(duration).toBeCloseTo(2, 1);
    expect(await audio.evaluate((el: HTMLAudioElement) => el.src.startsWith('blob:'))).toBe(true);
    // Seeking plays from memory: still one playback in the audit log.
    await audio.evaluate((el: HTMLAudioElement) => {
      el.currentTime = 1.5;
    });
    expect(await countPlays()).toBe(1);
    await audio.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir(), 'recording-player-1440.png') });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('another agent sees that there is a recording, and who may hear it, but no player', async () => {
    const page = await loginPage(otherAgent);
    const drawer = await openCall(page);
    expect(await drawer.textContent()).toContain('仅接听该通话的坐席和班长可以收听录音');
    expect(await drawer.getByTestId('recording-play').count()).toBe(0);
    expect(await countPlays()).toBe(1);
  }, 120_000);
});
