import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  chooseOption,
  clickUntil,
  ensureWebBuild,
  launchBrowser,
  SERVER_SRC,
  type Server,
  screenshotDir,
  WEB_DIST,
} from './support.ts';

// The elder record's 人脸 tab in zh-CN: a community worker records the consent, uploads photos
// (a photo with no face is named in Chinese and nothing is stored), enrols with three photos of
// one person (cut from @vladmandic/face-api's sample photos by the server's test helpers), and
// withdraws the consent. The server's helpers are imported by path at run time.

const PASSWORD = 'Test#Pass2026';
const WAIT = { timeout: 30_000 };

let server: Server & { close(): Promise<void> };
let browser: Browser;
let page: Page;
let shots: string;
let staffUsername: string;
let elderId: string;
let dir: string;
let closePool: () => Promise<void>;
let kiosk: Api;
let canteenId: string;
let probe: string;

describe('face enrolment on the elder record', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const samples = await import(path.join(SERVER_SRC, 'modules/faces/faces.samples.ts'));
    const tasks = await import(path.join(SERVER_SRC, 'modules/faces/faces.tasks.ts'));
    closePool = tasks.closeFacePool;
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    staffUsername = (await f.createAccount(server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).username;
    elderId = (await createElder(server.ctx, f.TREE.communityA1, { name: '张秀英' })).id;
    const canteen = await f.createOrg(server.ctx, 'canteen', f.TREE.communityA1, '甲一长寿食堂');
    canteenId = canteen.id;
    kiosk = (await f.clientAs(server.app, server.ctx, 'canteen_staff', { orgId: canteen.id })).api;
    const { faces, groups } = await samples.sampleFaces();
    probe = samples.toJpeg(samples.variants(faces[0]).probe[0]).toString('base64');
    dir = mkdtempSync(path.join(os.tmpdir(), 'zy-faces-'));
    samples.variants(faces[0]).enrol.forEach((img: unknown, i: number) => {
      writeFileSync(path.join(dir, `photo${i + 1}.jpg`), samples.toJpeg(img));
    });
    writeFileSync(path.join(dir, 'wall.jpg'), samples.toJpeg(samples.crop(groups[0].photo, 0, 0, 200, 200)));
    // The face worker loads its models on first use, which on a loaded CI machine takes longer
    // than any wait below; a kiosk or a worker's phone meets a warm server, so the test does too.
    await tasks.analyseInWorker(samples.toJpeg(samples.variants(faces[0]).probe[0]));
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    shots = screenshotDir();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await closePool?.();
    await server?.close();
  });

  async function openFaceTab() {
    await page.goto(`${server.url}/console/elders/${elderId}`);
    await page.getByRole('tab', { name: '人脸' }).click();
  }

  it('refuses a photo without a face in Chinese, enrols three photos with the consent for a canteen whose kiosk then recognises her, and withdraws it', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(staffUsername);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL(/\/console(?!\/login)/, WAIT);

    await openFaceTab();
    await page.getByText('未采集').waitFor(WAIT);
    await page.getByLabel('同意书签署人').fill('本人（张秀英）');
    await page.getByLabel('同意书编号').fill('武侯-同意-0001');
    const input = page.locator('input[type=file]');
    await input.setInputFiles([path.join(dir, 'wall.jpg'), path.join(dir, 'photo1.jpg'), path.join(dir, 'photo2.jpg')]);
    await page.getByRole('button', { name: /采\s?集/ }).click();
    await page.getByText('第 1 张：照片中没有检测到人脸').waitFor({ timeout: 90_000 });
    expect(await page.getByText('no-face').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'faces-refused.png'), fullPage: true });

    await openFaceTab();
    await page.getByLabel('同意书签署人').fill('本人（张秀英）');
    await page.getByLabel('同意书编号').fill('武侯-同意-0001');
    await page.getByLabel('可刷脸的食堂').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '甲一长寿食堂' }));
    await page.locator('input[type=file]').setInputFiles([1, 2, 3].map((n) => path.join(dir, `photo${n}.jpg`)));
    await page.getByRole('button', { name: /采\s?集/ }).click();
    // Three photos through the face pipeline: on a loaded CI machine this can take well over the
    // usual wait. An error shown instead fails at once, with its text.
    const failed = page.locator('.ant-message-error, .ant-alert-error');
    await page.getByText('人脸采集完成').or(failed).first().waitFor({ timeout: 90_000 });
    expect(await failed.count(), (await failed.allTextContents()).join(' | ')).toBe(0);
    await page.getByText('已采集').waitFor(WAIT);
    await page.getByText('武侯-同意-0001').waitFor(WAIT);
    await page.locator('.ant-descriptions .ant-tag', { hasText: '甲一长寿食堂' }).waitFor(WAIT);
    // The canteen's kiosk now recognises her from another photo.
    const seen = await kiosk.post('/api/v1/faces/identify', { scope: { type: 'org', orgId: canteenId }, photo: probe });
    expect(seen.json()).toMatchObject({ outcome: 'identified', elder: { id: elderId, name: '张秀英' } });
    await page.screenshot({ path: path.join(shots, 'faces-enrolled.png'), fullPage: true });

    await page.getByRole('button', { name: /撤回同意/ }).click();
    await clickUntil(page.getByRole('button', { name: /确\s?定|OK/ }), page.getByText('已撤回同意，人脸特征已删除'));
    await page.getByText('未采集').waitFor(WAIT);
    const gone = await kiosk.post('/api/v1/faces/identify', { scope: { type: 'org', orgId: canteenId }, photo: probe });
    expect(gone.json()).toMatchObject({ outcome: 'secondFactorRequired', galleryCount: 0 });
  });
});
