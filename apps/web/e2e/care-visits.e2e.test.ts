import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 关爱巡访 in the browser, in zh-CN. A community worker opens 关爱巡访 on a phone-size page
 * (390×844), checks in by position at a 92-year-old living alone, fills in the form (a gas hazard),
 * loses the network while sending — the record waits on the phone — and once back online the
 * record is sent once; the gas finding becomes an alarm follow-up in one step. Then the console
 * pages at 1440×900 show the groups, the rules, the calendar, the follow-up and the statistics.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let workerName = '';
let districtName = '';
/** The server's test client also has `put` (support.ts names only what most tests use). */
type StaffApi = Api & { put: Api['post'] };
let districtApi: StaffApi;
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-care-visits-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const worker = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  workerName = worker.account.username;
  districtName = district.account.username;
  districtApi = district.api as StaffApi;
  const year = new Date().getUTCFullYear();
  await createElder(server.ctx, f.TREE.communityA1, {
    name: '陈桂芳',
    birthDate: `${year - 92}-02-10`,
    livingSituation: 'alone',
    address: '锦华路12号3单元201',
    lat: 30.6101,
    lng: 104.0101,
  });
  await createElder(server.ctx, f.TREE.communityA1, {
    name: '刘德明',
    birthDate: `${year - 83}-07-01`,
    livingSituation: 'empty_nest',
    address: '锦华路8号1单元102',
    lat: 30.611,
    lng: 104.011,
  });
  const rules = await districtApi.put('/api/v1/care-visit-rules', {
    regionCode: f.TREE.district,
    rules: [
      { groups: ['alone', 'age_90'], riskLevel: 'high', intervalDays: 7 },
      { groups: ['empty_nest', 'age_80'], riskLevel: 'medium', intervalDays: 30 },
    ],
  });
  expect(rules.statusCode).toBe(200);
  const run = await districtApi.post('/api/v1/care-groups/compute', { regionCode: f.TREE.district });
  expect(run.json().scheduled).toBe(2);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

describe('关爱巡访 on the phone', () => {
  it('a community worker visits offline, the record is sent once when back online, and the gas finding becomes an alarm', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.6102, longitude: 104.0102 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: workerName, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/worker/visits`);
    await page.getByText('陈桂芳').waitFor();
    await expect.poll(() => page.getByText('高风险').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'care-visits-phone-list.png'), fullPage: true });

    const card = page.locator('[data-testid^="visit-"]', { hasText: '陈桂芳' });
    await card.getByRole('button', { name: '开始巡访' }).click();
    await card.getByTestId('locate').click();
    await expect.poll(() => card.getByTestId('locate').textContent()).toContain('已定位');
    const answer = async (q: string, label: string) => card.getByTestId(`q-${q}`).getByText(label, { exact: true }).click();
    await answer('health', '一般');
    await answer('mood', '良好');
    await answer('gas', '有隐患');
    await answer('electricity', '正常');
    await answer('fallsRisk', '低');
    await answer('food', '充足');
    await answer('hygiene', '整洁');
    await answer('medicines', '正常');
    await card.getByPlaceholder('备注').fill('燃气软管老化，有异味');
    await card.screenshot({ path: path.join(shots, 'care-visits-phone-form.png') });

    // The network drops as the worker sends: the record waits on the phone.
    await context.setOffline(true);
    await card.getByRole('button', { name: '提交巡访记录' }).click();
    await page.getByTestId('visits-queued').waitFor();
    expect(await page.getByTestId('visits-queued').textContent()).toContain('已暂存 1 条');
    expect((await districtApi.get('/api/v1/care-visits?status=done')).json().items).toHaveLength(0);
    await page.screenshot({ path: path.join(shots, 'care-visits-phone-queued.png'), fullPage: true });

    // Back online: the queue sends it; the visit is recorded once, with the gas finding.
    await context.setOffline(false);
    const done = page.locator('[data-testid^="done-"]', { hasText: '陈桂芳' });
    await done.waitFor();
    await expect.poll(() => page.getByTestId('visits-queued').count()).toBe(0);
    const recorded = (await districtApi.get('/api/v1/care-visits?status=done')).json().items;
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ elderName: '陈桂芳', findings: 1, checkInMethod: 'gps' });
    expect(recorded[0].checkInDistanceM).toBeLessThan(50);

    // The finding becomes an alarm in one step.
    const gas = done.getByTestId('finding-gas');
    await gas.getByRole('button', { name: '创建跟进' }).click();
    await gas.getByText('告警', { exact: true }).click();
    await gas.getByPlaceholder('需要做什么').fill('燃气软管老化，请燃气公司上门更换');
    await gas.getByRole('button', { name: '创建跟进' }).click();
    await gas.getByText('✓ 告警').waitFor();
    await page.screenshot({ path: path.join(shots, 'care-visits-phone-follow-up.png'), fullPage: true });
    const fus = (await districtApi.get('/api/v1/care-follow-ups')).json().items;
    expect(fus).toHaveLength(1);
    expect(fus[0]).toMatchObject({ type: 'alarm', status: 'open', findingType: 'gas', alarmStatus: 'raised' });
    await context.close();
  });
});

describe('关爱巡访 in the console', () => {
  it('groups, rules, the calendar, follow-ups and statistics in Chinese', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: districtName, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console/care/groups`);
    await page.getByRole('cell', { name: '陈桂芳' }).waitFor();
    expect(await page.getByTestId('group-counts').textContent()).toContain('独居 1');
    await page.screenshot({ path: path.join(shots, 'care-visits-groups.png'), fullPage: true });
    await page.goto(`${server.url}/console/care/plans`);
    await page.getByText('巡访规则').waitFor();
    await page.screenshot({ path: path.join(shots, 'care-visits-plans.png'), fullPage: true });
    await page.goto(`${server.url}/console/care/visits`);
    await page.getByRole('tab', { name: '列表' }).click();
    await page.getByRole('cell', { name: '刘德明' }).waitFor();
    // 陈桂芳 has two rows: today's recorded visit and the next one the plan scheduled.
    expect(await page.getByRole('cell', { name: '陈桂芳' }).count()).toBe(2);
    await page.getByTitle('已巡访').click();
    await expect.poll(() => page.getByRole('cell', { name: '刘德明' }).count()).toBe(0);
    await page.getByRole('cell', { name: '陈桂芳' }).click();
    await page.getByText('燃气安全').waitFor();
    await page.screenshot({ path: path.join(shots, 'care-visits-detail.png'), fullPage: true });
    await page.goto(`${server.url}/console/care/follow-ups`);
    await page.getByRole('cell', { name: '燃气软管老化，请燃气公司上门更换' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'care-visits-follow-ups.png'), fullPage: true });
    await page.goto(`${server.url}/console/care/stats`);
    await page.getByText('各群体巡访覆盖率').waitFor();
    await page.getByRole('cell', { name: '燃气隐患' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'care-visits-stats.png'), fullPage: true });
    await context.close();
  });
});
