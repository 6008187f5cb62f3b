import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 志愿服务 on the volunteer's phone (390×844, zh-CN): a volunteer registered at the desk logs in,
 * lands on 志愿服务, accepts the visit the community gave them, checks in by position, finishes with
 * the minutes served; the community confirms and the volunteer sees the hours credited in the
 * time balance and the statement.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let community: Api;
let username = '';
let taskId = '';
const PASSWORD = 'Volunteer#2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-volunteers-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  community = (await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).api;
  const elder = await createElder(server.ctx, f.TREE.communityA1, {
    name: '王秀英',
    address: '锦华路8号1单元102',
    lat: 30.6101,
    lng: 104.0101,
  });
  const reg = await community.post('/api/v1/volunteers', {
    name: '李晓梅',
    phone: '13900262601',
    regionCode: f.TREE.communityA1,
    kind: 'younger_elder',
    skills: ['companionship'],
  });
  expect(reg.statusCode).toBe(201);
  username = reg.json().username;
  const first = f.client(server.app, await f.loginToken(server.app, username, reg.json().initialPassword));
  const changed = await first.post('/api/v1/auth/change-password', {
    currentPassword: reg.json().initialPassword,
    newPassword: PASSWORD,
  });
  expect(changed.statusCode).toBeLessThan(300);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const task = await community.post('/api/v1/volunteer-tasks', {
    elderId: elder.id,
    kind: 'visit',
    scheduledOn: today,
    plannedMinutes: 60,
    notes: '陪老人聊天',
    volunteerId: reg.json().volunteer.id,
  });
  expect(task.statusCode).toBe(201);
  taskId = task.json().id;
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

describe('志愿服务 on the volunteer’s phone', () => {
  it('a volunteer accepts, checks in, finishes a visit and sees the confirmed hours in the time balance', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.6102, longitude: 104.0102 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL('**/worker/volunteer');
    const card = page.getByTestId('volunteer-task').filter({ hasText: '王秀英' });
    await card.waitFor();
    expect(await card.textContent()).toContain('锦华路8号1单元102');
    await page.screenshot({ path: path.join(shots, 'volunteer-tasks.png'), fullPage: true });

    await card.getByRole('button', { name: '接受任务' }).click();
    await card.getByRole('button', { name: '定位签到' }).click();
    await card.getByLabel('服务时长（分钟）').fill('50');
    await card.getByRole('button', { name: '完成服务' }).click();
    await card.getByText('待社区确认时长').waitFor();

    const confirmed = await community.post(`/api/v1/volunteer-tasks/${taskId}/confirm`, { minutes: 50 });
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', creditedMinutes: 50, checkInMethod: 'gps' });
    await page.reload();
    await card.getByText('已存入 50分').waitFor();
    await page.getByText('服务存入 · 王秀英').waitFor();
    // The first figure is the balance: 50 minutes.
    expect(await page.locator('.ant-statistic').first().textContent()).toBe('时间余额50分');
    await page.screenshot({ path: path.join(shots, 'volunteer-credited.png'), fullPage: true });
    await context.close();
  });
});
