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
 * time balance and the statement. Then the 关爱巡访 visit the district's 志愿者 rule gave them: the
 * same form as the staff phone page, sent offline and queued, sent when back online, a finding
 * followed up, and the visit waiting for the community to confirm its minutes.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let community: Api;
let username = '';
const PHONE = '13900262601';
let taskId = '';
let district: Api & { put(url: string, body?: unknown): Promise<{ statusCode: number }> };
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
    phone: PHONE,
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
  // An elder of 92 living alone: the district's rule sends her weekly visits to a volunteer.
  district = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api;
  await createElder(server.ctx, f.TREE.communityA1, {
    name: '赵玉兰',
    address: '锦华路12号3单元201',
    lat: 30.6101,
    lng: 104.0101,
    birthDate: `${Number(today.slice(0, 4)) - 92}-03-01`,
    livingSituation: 'alone',
  });
  const rules = await district.put('/api/v1/care-visit-rules', {
    regionCode: f.TREE.district,
    rules: [{ groups: ['alone', 'age_90'], riskLevel: 'high', intervalDays: 7, assigneeKind: 'volunteer' }],
  });
  expect(rules.statusCode).toBe(200);
  expect((await district.post('/api/v1/care-groups/compute', { regionCode: f.TREE.district })).statusCode).toBe(200);
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
    // The volunteer opens their own page and logs in with the mobile number.
    await page.goto(`${server.url}/worker/volunteer`);
    await page.getByLabel('手机号', { exact: true }).fill(PHONE);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
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

    // 关爱巡访: the visit assigned to the volunteer, recorded with the staff page's form.
    const visits = page.getByTestId('volunteer-care-visits');
    const visit = visits.locator('[data-testid^="visit-"]', { hasText: '赵玉兰' });
    await visit.waitFor();
    expect(await visit.textContent()).toContain('锦华路12号3单元201');
    expect(await visits.textContent()).not.toContain('王秀英'); // only elders of their own visits
    await visit.getByRole('button', { name: '开始巡访' }).click();
    await visit.getByTestId('locate').click();
    await expect.poll(() => visit.getByTestId('locate').textContent()).toContain('已定位');
    const answer = async (q: string, label: string) => visit.getByTestId(`q-${q}`).getByText(label, { exact: true }).click();
    await answer('health', '良好');
    await answer('mood', '低落');
    await answer('gas', '正常');
    await answer('electricity', '正常');
    await answer('fallsRisk', '低');
    await answer('food', '充足');
    await answer('hygiene', '整洁');
    await answer('medicines', '正常');
    await visit.getByTestId('visit-minutes').getByText('60分钟', { exact: true }).click();
    await page.screenshot({ path: path.join(shots, 'volunteer-care-visit-form.png'), fullPage: true });
    // No network at the door: the record waits on the phone, then goes once back online.
    await context.setOffline(true);
    await visit.getByRole('button', { name: '提交巡访记录' }).click();
    await page.getByTestId('visits-queued').waitFor();
    expect((await district.get('/api/v1/care-visits?status=done')).json().items).toHaveLength(0);
    await context.setOffline(false);
    const done = visits.locator('[data-testid^="done-"]', { hasText: '赵玉兰' });
    await done.waitFor();
    await expect.poll(() => page.getByTestId('visits-queued').count()).toBe(0);
    const recorded = (await district.get('/api/v1/care-visits?status=done')).json().items;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ elderName: '赵玉兰', visitedByName: '李晓梅', checkInMethod: 'gps', findings: 1 });
    // The low mood becomes a task for the street in one step.
    const mood = done.getByTestId('finding-mood');
    await mood.getByRole('button', { name: '创建跟进' }).click();
    await mood.getByText('街道任务', { exact: true }).click();
    await mood.getByPlaceholder('需要做什么').fill('老人情绪低落，请街道安排心理关爱');
    await mood.getByRole('button', { name: '创建跟进' }).click();
    await mood.getByText('✓ 街道任务').waitFor();
    expect((await district.get('/api/v1/care-follow-ups')).json().items[0]).toMatchObject({ type: 'street_task' });
    // The visit is the volunteer's finished task, on the page without a reload: 60 minutes waiting
    // for the community to confirm.
    const careTask = page.getByTestId('volunteer-task').filter({ hasText: '赵玉兰' });
    await careTask.getByText('待社区确认时长').waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body.match(/[A-Za-z]{3,}/g) ?? []).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteer-care-visit-done.png'), fullPage: true });
    await context.close();
  });
});
