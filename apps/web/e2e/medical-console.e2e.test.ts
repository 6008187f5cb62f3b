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
 * The 医养结合 console forms in the browser, zh-CN at 1440×900. Community staff sign a
 * family-doctor contract for an elder they find by name among the team's communities (the only
 * team in reach is chosen for them) and see it in the list with the community's 健康管理率; the family doctor
 * opens 家庭病床 at the health centre's desk, admits the contracted elder after the admission
 * check shows she qualifies, with the plan's item for medical insurance, and sees the episode
 * listed with its first round scheduled. The server holds both.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let staffName = '';
let doctorName = '';
let districtApi: Api;
let elderId = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-medical-console-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  districtApi = district.api;
  staffName = (await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA })).account.username;
  doctorName = (await f.clientAs(server.app, server.ctx, 'doctor', {})).account.username;
  const year = new Date().getUTCFullYear();
  const elder = await createElder(server.ctx, f.TREE.communityA1, {
    name: '周玉兰',
    birthDate: `${year - 81}-03-02`,
    address: '锦华路20号2单元301',
    chronicConditions: ['高血压'],
  });
  elderId = elder.id;
  const org = await districtApi.post('/api/v1/medical-orgs', {
    name: '锦华街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: f.TREE.streetA,
  });
  const team = await districtApi.post('/api/v1/doctor-teams', {
    orgId: org.json().id,
    name: '王医生团队',
    communities: [f.TREE.communityA1],
  });
  const member = await districtApi.post(`/api/v1/doctor-teams/${team.json().id}/members`, {
    name: '王医生',
    role: 'doctor',
    licenceNo: '110510000001',
    isLeader: true,
    username: doctorName,
  });
  expect(member.statusCode).toBe(201);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

async function signIn(username: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  return { context, page };
}

const option = (page: Page, text: string) => page.locator('.ant-select-item-option').filter({ hasText: text }).first();

describe('医养结合 console forms', () => {
  it('community staff sign a family-doctor contract and see it listed with the 健康管理率', async () => {
    const { context, page } = await signIn(staffName);
    await page.getByRole('menuitem', { name: '签约管理' }).click();
    // One elder aged 65+ in 甲一社区, not contracted yet.
    await expect.poll(() => page.getByText('0.0%').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /签\s*约/ }).click();
    const dialog = page.getByRole('dialog', { name: '家庭医生签约' });
    // The only team in reach is chosen; the elder is found among its communities' elders without a contract.
    await dialog.getByText('王医生团队（锦华街道社区卫生服务中心）').waitFor();
    await dialog.getByRole('combobox', { name: '老人' }).fill('周玉兰');
    await chooseOption(option(page, '周玉兰'));
    await page.screenshot({ path: path.join(shots, 'medical-console-sign.png') });
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), async () => !(await dialog.isVisible()));
    const row = page.getByTestId('medical-contracts').getByRole('row').filter({ hasText: '周玉兰' });
    await row.waitFor();
    expect(await row.textContent()).toContain('老年人健康管理包');
    expect(await row.textContent()).toContain('履约中');
    await expect.poll(() => page.getByText('100.0%').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'medical-console-contract-signed.png'), fullPage: true });
    const contracts = (await districtApi.get(`/api/v1/doctor-contracts?elderId=${elderId}`)).json();
    expect(contracts.items).toMatchObject([
      { elderName: '周玉兰', teamName: '王医生团队', package: 'elderly', status: 'active' },
    ]);
    await context.close();
  });

  it('the family doctor admits the contracted elder to a 家庭病床 at the desk and sees it listed', async () => {
    const { context, page } = await signIn(doctorName);
    // A doctor lands on the phone page; the 医养结合 console pages are open to them at a desk.
    await page.waitForURL('**/worker/doctor');
    await page.goto(`${server.url}/console/medical/beds`);
    await page.getByRole('button', { name: /建\s*床/ }).click();
    const dialog = page.getByRole('dialog', { name: '家庭病床建床' });
    await dialog.getByRole('combobox', { name: '签约老人' }).click();
    await chooseOption(option(page, '周玉兰'));
    await expect.poll(() => dialog.getByTestId('admit-criteria').textContent()).toContain('符合建床条件');
    await dialog.getByLabel('诊断').fill('高血压病3级，脑卒中后遗症');
    await dialog.getByLabel('每周查床次数').fill('2');
    await dialog.getByLabel('项目编码 1').fill('JTBC-001');
    await dialog.getByLabel('项目名称 1').fill('家庭病床查床');
    await dialog.getByLabel('单价（元） 1').fill('25');
    await page.screenshot({ path: path.join(shots, 'medical-console-admit.png') });
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), async () => !(await dialog.isVisible()));
    // The episode opens: its first round is scheduled on the admission day.
    const episode = page.getByTestId('medical-episode');
    await episode.waitFor();
    expect(await episode.getByTestId('medical-episode-visits').textContent()).toContain('已安排');
    expect(await episode.textContent()).toContain('家庭病床查床');
    await page.screenshot({ path: path.join(shots, 'medical-console-episode.png'), fullPage: true });
    await page.keyboard.press('Escape');
    const row = page.getByTestId('medical-beds').getByRole('row').filter({ hasText: '周玉兰' });
    await row.waitFor();
    expect(await row.textContent()).toContain('在床');
    expect(await row.textContent()).toContain('王医生团队');
    const list = (await districtApi.get('/api/v1/home-bed-episodes')).json();
    expect(list.items).toMatchObject([
      {
        elderName: '周玉兰',
        diagnosis: '高血压病3级，脑卒中后遗症',
        visitsPerWeek: 2,
        planItems: [{ code: 'JTBC-001', name: '家庭病床查床', amountFen: 2500 }],
        status: 'open',
      },
    ]);
    await context.close();
  });
});
