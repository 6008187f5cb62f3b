import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 上门医疗 in the browser, in zh-CN, on a phone-size page (390×844). A family member asked for a
 * home visit for her contracted mother; the family doctor logs in, lands on 今日上门医疗, checks in by
 * position at the door, writes the findings and the blood pressure, and the record is on the server
 * with the vitals, the check-in distance and the doctor's team member.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let doctorName = '';
let districtName = '';
let districtApi: Api;
let visitId = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-medical-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  districtApi = district.api;
  districtName = district.account.username;
  const doctor = await f.clientAs(server.app, server.ctx, 'doctor', {});
  doctorName = doctor.account.username;
  const year = new Date().getUTCFullYear();
  const elder = await createElder(server.ctx, f.TREE.communityA1, {
    name: '周玉兰',
    birthDate: `${year - 81}-03-02`,
    address: '锦华路20号2单元301',
    lat: 30.6101,
    lng: 104.0101,
    chronicConditions: ['高血压'],
  });
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
    username: doctorName,
  });
  expect(member.statusCode).toBe(201);
  const contract = await districtApi.post('/api/v1/doctor-contracts', {
    elderId: elder.id,
    teamId: team.json().id,
    package: 'elderly',
    startsOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
  });
  expect(contract.statusCode).toBe(201);
  const request = await districtApi.post('/api/v1/medical-visits', { elderId: elder.id, reason: '家属反映近日头晕，血压偏高' });
  expect(request.statusCode).toBe(201);
  visitId = request.json().id;
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

describe('上门医疗 on the doctor’s phone', () => {
  it('a family doctor records a home visit at the door: check-in by position, findings, blood pressure', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.6102, longitude: 104.0102 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // The doctor logs in at the console and is sent to their phone page.
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(doctorName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL('**/worker/doctor');
    const card = page.getByTestId('doctor-visit').filter({ hasText: '周玉兰' });
    await card.waitFor();
    expect(await card.textContent()).toContain('锦华路20号2单元301');
    await page.screenshot({ path: path.join(shots, 'medical-doctor-today.png'), fullPage: true });

    await card.getByRole('button', { name: '记录上门' }).click();
    await card.getByRole('button', { name: '用定位签到' }).click();
    await card.getByRole('button', { name: '已取得定位' }).waitFor();
    await card.getByLabel('查体与发现').fill('血压偏高，神志清，双下肢无水肿');
    await card.getByLabel('收缩压').fill('156');
    await card.getByLabel('舒张压').fill('94');
    await card.getByLabel('医嘱与建议').fill('低盐饮食，按时服药，三天后复测');
    await page.screenshot({ path: path.join(shots, 'medical-doctor-record.png'), fullPage: true });
    await card.getByRole('button', { name: '提交记录' }).click();
    await page.getByTestId('doctor-visit-done').filter({ hasText: '周玉兰' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'medical-doctor-done.png'), fullPage: true });

    const rec = (await districtApi.get(`/api/v1/medical-visits/${visitId}`)).json();
    expect(rec).toMatchObject({
      status: 'done',
      checkInMethod: 'gps',
      findings: '血压偏高，神志清，双下肢无水肿',
      vitals: { systolic: 156, diastolic: 94 },
      memberName: '王医生',
    });
    expect(rec.checkInDistanceM).toBeLessThan(50);
    await context.close();
  });

  it('the bureau sees the 健康管理率 and the lists of the five 医养结合 pages in the console', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(districtName);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'));
    await page.getByRole('menuitem', { name: '签约管理' }).click();
    await page.getByText('健康管理率').first().waitFor();
    // One elder aged 65+ in 甲一社区, contracted: 100.0%.
    await expect.poll(() => page.getByText('100.0%').count()).toBeGreaterThan(0);
    await page.getByRole('cell', { name: '周玉兰' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'medical-console-contracts.png'), fullPage: true });
    for (const [item, name, expected] of [
      ['医疗机构与团队', 'teams', '王医生团队'],
      ['上门医疗', 'visits', '已上门'],
      ['家庭病床', 'beds', '诊断'],
      ['医养合作与转诊', 'referrals', '绿色通道'],
    ] as const) {
      await page.getByRole('menuitem', { name: item }).click();
      await page.getByText(expected).first().waitFor();
      await page.screenshot({ path: path.join(shots, `medical-console-${name}.png`), fullPage: true });
    }
    await context.close();
  });
});
