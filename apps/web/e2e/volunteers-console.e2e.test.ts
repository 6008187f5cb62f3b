import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/**
 * 志愿服务 in the console (1440×900, zh-CN): community staff find a self-registered volunteer
 * 待审核, approve them, then create a visit for an elder of their community and assign it to that
 * volunteer. And the public registration form on a phone (390×844): large type, consent required,
 * the new volunteer waits 待审核.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let community: Api;
let staffName = '';
let staffPassword = '';
let communityName = '';
const PASSWORD = 'Volunteer#2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-volunteers-console-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const staff = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  community = staff.api;
  staffName = staff.account.username;
  staffPassword = staff.account.password;
  await createElder(server.ctx, f.TREE.communityA1, { name: '王秀英', address: '锦华路8号1单元102' });
  const anonymous = f.client(server.app);
  const communities = await anonymous.get('/api/v1/volunteer-registration/communities');
  communityName = communities.json().items.find((c: { code: string }) => c.code === f.TREE.communityA1).name;
  const reg = await anonymous.post('/api/v1/volunteer-registrations', {
    name: '李晓梅',
    phone: '13900771801',
    regionCode: f.TREE.communityA1,
    kind: 'younger_elder',
    skills: ['companionship', 'shopping'],
    password: PASSWORD,
  });
  expect(reg.statusCode, reg.body).toBe(201);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
}

/** Latin words on screen other than the staff login name (no English or raw codes). */
async function latin(page: Page, allowed: string[] = []) {
  const text = await page.evaluate(() => document.body.innerText);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => ![staffName, ...allowed].includes(w));
}

describe('志愿服务 in the console', () => {
  it('community staff approve a self-registered volunteer, then create a visit and assign it to them', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(staffName);
    await page.getByLabel('密码').fill(staffPassword);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.getByRole('menuitem', { name: '志愿者' }).click();
    await settled(page);

    const row = page.locator('tr', { hasText: '李晓梅' });
    await expect.poll(() => row.textContent()).toContain('待审核');
    const text = (await row.textContent()) ?? '';
    // The phone is masked in the list.
    expect(text).not.toContain('13900771801');
    expect(text).toMatch(/139\*+1801|139\*{4}1801/);
    expect(text).toContain('陪伴聊天');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteers-console-list.png'), fullPage: true });

    await row.click();
    const drawer = page.locator('.ant-drawer', { hasText: '志愿者：李晓梅' });
    await drawer.getByRole('button', { name: '审核通过' }).click();
    await page.getByText('已通过审核').waitFor();
    await expect.poll(() => drawer.locator('.ant-descriptions').textContent()).toContain('已通过');
    await page.screenshot({ path: path.join(shots, 'volunteers-console-approved.png'), fullPage: true });
    await drawer
      .getByRole('button', { name: /Close|关闭/ })
      .first()
      .click();
    await expect.poll(() => row.textContent()).toContain('已通过');

    await page.getByRole('menuitem', { name: '志愿任务' }).click();
    await settled(page);
    await page.getByRole('button', { name: '新建任务' }).click();
    const modal = page.locator('.ant-modal', { hasText: '新建任务' });
    await modal.getByLabel('老人').fill('王秀英');
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '王秀英' }));
    await modal.getByLabel('预计时长（分钟）').fill('90');
    await modal.getByLabel('任务说明').fill('陪老人聊天，帮忙买菜');
    await modal.getByLabel('志愿者').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '李晓梅' }));
    await page.screenshot({ path: path.join(shots, 'volunteers-console-new-task.png') });
    await clickUntil(modal.getByRole('button', { name: /确\s*定/ }), page.getByText('任务已创建'));
    // The closing modal's option list (AntD keeps each option's raw value in it for screen
    // readers) is not what the user reads: check the page once the modal has gone.
    await modal.waitFor({ state: 'hidden' });

    const taskRow = page.locator('tr', { hasText: '王秀英' });
    await expect.poll(() => taskRow.textContent()).toContain('已指派');
    expect(await taskRow.textContent()).toContain('李晓梅');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteers-console-tasks.png'), fullPage: true });

    // The server agrees: one task, assigned to the approved volunteer, 90 minutes planned.
    const tasks = (await community.get('/api/v1/volunteer-tasks')).json().items;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ status: 'assigned', volunteerName: '李晓梅', plannedMinutes: 90, kind: 'visit' });

    // 时间银行 and 睦邻点 open in Chinese; a 睦邻点 with a weekly activity is added.
    await page.getByRole('menuitem', { name: '时间银行' }).click();
    await settled(page);
    await page.locator('.ant-card-head-title', { hasText: '本区兑换规则' }).waitFor();
    await expect.poll(() => page.locator('tr', { hasText: '李晓梅' }).textContent()).toContain('0 分钟');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteers-console-timebank.png'), fullPage: true });
    await page.getByRole('menuitem', { name: '睦邻点' }).click();
    await settled(page);
    await page.getByRole('button', { name: '新增睦邻点' }).click();
    const point = page.locator('.ant-modal', { hasText: '睦邻点' });
    await point.getByLabel('名称').fill('锦华睦邻点');
    await point.getByLabel('地址').fill('锦华路10号');
    await point.getByRole('button', { name: '添加活动' }).click();
    await point.getByPlaceholder('活动内容').fill('读报会');
    await page.screenshot({ path: path.join(shots, 'volunteers-console-point.png') });
    const pointRow = page.locator('tr', { hasText: '锦华睦邻点' });
    await clickUntil(point.getByRole('button', { name: /保\s*存|确\s*定/ }), async () =>
      (await pointRow.textContent())?.includes('周一 09:00–11:00 读报会'),
    );
    expect(await latin(page)).toEqual([]);
    await context.close();
  });
});

describe('volunteer self-registration on a phone', () => {
  it('from the volunteer login to 注册成功 at 390×844, with the consent required', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/worker/volunteer`);
    await page.getByRole('link', { name: '还没有账号？注册成为志愿者' }).click();
    await page.waitForURL('**/worker/volunteer/register');
    await page.getByRole('heading', { name: '志愿者注册' }).waitFor();

    await page.getByLabel('姓名', { exact: true }).fill('陈小红');
    await page.getByLabel('手机号（作为登录账号）').fill('13900771802');
    await page.getByLabel('服务社区').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: communityName }));
    await page.getByLabel('身份').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '学生' }));
    await page.getByLabel('陪伴聊天').check();
    await page.getByLabel('手机教学').check();
    await page.getByLabel('设置密码（至少8位）').fill(PASSWORD);
    await page.getByLabel('再次输入密码').fill(PASSWORD);
    await page.getByRole('button', { name: '提交注册' }).click();
    // Without the consent nothing is sent.
    await page.getByText('请先阅读并同意').waitFor();
    expect((await community.get('/api/v1/volunteers?q=陈小红')).json().items).toHaveLength(0);

    // Large type, and nothing wider than the phone.
    const fontSize = await page
      .getByLabel('姓名', { exact: true })
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(20);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteer-register-form.png'), fullPage: true });

    await page.getByText('我同意社区为志愿服务保存').click();
    await page.getByRole('button', { name: '提交注册' }).click();
    await page.getByText('注册成功').waitFor();
    expect(await page.textContent('body')).toContain('13900771802');
    await page.screenshot({ path: path.join(shots, 'volunteer-register-done.png'), fullPage: true });

    const found = (await community.get('/api/v1/volunteers?q=陈小红')).json().items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ status: 'pending', kind: 'student', source: 'self', skills: ['companionship', 'tech'] });

    // 去登录: the volunteer logs in with the mobile number and the chosen password, and waits 待审核.
    await page.getByRole('button', { name: '去登录' }).click();
    await page.getByLabel('手机号', { exact: true }).fill('13900771802');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.getByText('您的注册正在审核').waitFor();
    await context.close();
  });
});

describe('志愿服务确认 on the elder’s phone', () => {
  it('the elder confirms a volunteer’s finished visit and the hours are credited', async () => {
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { elderQrToken } = await import(path.join(SERVER_SRC, 'modules/orders/visits.service.ts'));
    const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { eq } = await import('drizzle-orm');
    const elder = await createElder(server.ctx, f.TREE.communityA1, { name: '赵桂兰', address: '锦华路12号' });
    const account = await f.createAccount(server.ctx, 'elder');
    await server.ctx.db.update(users).set({ elderId: elder.id }).where(eq(users.id, account.id));
    const reg = await community.post('/api/v1/volunteers', {
      name: '周志愿',
      phone: '13900771803',
      regionCode: f.TREE.communityA1,
    });
    expect(reg.statusCode).toBe(201);
    const first = f.client(server.app, await f.loginToken(server.app, reg.json().username, reg.json().initialPassword));
    await first.post('/api/v1/auth/change-password', { currentPassword: reg.json().initialPassword, newPassword: PASSWORD });
    const volunteer = f.client(server.app, await f.loginToken(server.app, reg.json().username, PASSWORD));
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const task = await community.post('/api/v1/volunteer-tasks', {
      elderId: elder.id,
      kind: 'visit',
      scheduledOn: today,
      plannedMinutes: 60,
      volunteerId: reg.json().volunteer.id,
    });
    const id = task.json().id;
    await volunteer.post(`/api/v1/volunteer/tasks/${id}/accept`, {});
    await volunteer.post(`/api/v1/volunteer/tasks/${id}/check-in`, { method: 'qr', qr: elderQrToken(server.ctx, elder.id) });
    expect((await volunteer.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes: 55 })).statusCode).toBe(200);

    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: account.username, password: account.password },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/elder`);
    const card = page.getByTestId('volunteer-served');
    await card.getByText('周志愿').waitFor();
    expect(await card.textContent()).toContain('服务 55 分钟');
    expect(await card.textContent()).toContain('待您确认');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'volunteer-served-elder.png') });
    await card.getByRole('button', { name: '确认服务' }).click();
    await card.getByText('已确认，谢谢您').waitFor();
    expect(await card.getByRole('button', { name: '确认服务' }).count()).toBe(0);
    expect(await latin(page, [account.username])).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'volunteer-served-confirmed.png') });

    const confirmed = (await community.get(`/api/v1/volunteer-tasks/${id}`)).json();
    expect(confirmed).toMatchObject({ status: 'confirmed', servedVerdict: 'confirmed', creditedMinutes: 55 });
    await context.close();
  });
});
