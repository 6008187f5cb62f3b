import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 统计月报 and 自定义统计 in the browser, zh-CN at 1440×900: the district's bureau opens last
 * month's report from the menu (its tables, a line per street, the .xlsx behind the download
 * button, the printed page without the console around it), then the ad-hoc page draws a chart
 * and a table of elders per street and switches to quarters.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-statistics-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  username = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  const year = new Date().getFullYear();
  // Registered two years ago: on the register at the end of last month and of the last twelve months.
  const createdAt = new Date(Date.UTC(year - 2, 0, 15));
  await createElder(server.ctx, f.TREE.communityA1, { name: '王秀兰', birthDate: `${year - 82}-03-02`, createdAt });
  await createElder(server.ctx, f.TREE.communityA2, { name: '李建国', birthDate: `${year - 91}-01-20`, createdAt });
  await createElder(server.ctx, f.TREE.communityB1, { name: '赵别街', birthDate: `${year - 70}-01-20`, createdAt });
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
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count()).toBe(0);
}
const rowText = (page: Page, name: string) => page.locator('tr', { hasText: name }).first().innerText();
/** Words in Latin letters on screen (the user's own login name aside): there should be none. */
const latinOn = async (page: Page) =>
  ((await page.evaluate(() => document.body.innerText)).match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => w !== username);

describe('statistics in the console', () => {
  it('the bureau reads, downloads and prints the monthly report, then charts an indicator by street', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    await settled(page);

    await page.getByRole('menuitem', { name: '统计月报' }).click();
    await page.waitForURL(/\/console\/statistics\/monthly$/);
    await settled(page);
    await expect.poll(() => page.getByText('测试区养老服务工作月报').count()).toBe(1);
    // 在册老人: three last month, the month before and a year before (all registered two years ago), no change.
    expect(await rowText(page, '在册老人')).toMatch(/在册老人\s+人\s+3\s+3\s+0（0%）\s+3\s+0（0%）/);
    for (const title of ['一、老年人基本情况', '四、紧急救援', '七、医养结合', '九、分街道情况'])
      expect(await page.getByText(title, { exact: false }).count(), title).toBeGreaterThan(0);
    expect(await rowText(page, '甲街道')).toMatch(/^甲街道\s+2\b/);
    expect(await rowText(page, '乙街道')).toMatch(/^乙街道\s+1\b/);
    expect(await latinOn(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'statistics-monthly.png'), fullPage: true });

    const href = await page.getByRole('link', { name: /下载电子表格/ }).getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/statistics\/monthly-report\.xlsx\?month=\d{4}-\d{2}$/);
    const xlsx = await page.request.get(`${server.url}${href}`);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');

    // On paper only the report: no menu, no header, no toolbar.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /打\s*印/ }).isVisible()).toBe(false);
    expect(await page.getByText('测试区养老服务工作月报').isVisible()).toBe(true);
    await page.pdf({ path: path.join(shots, 'statistics-monthly.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('menuitem', { name: '自定义统计' }).click();
    await page.waitForURL(/\/console\/statistics\/adhoc$/);
    await settled(page);
    const chart = page.locator('[data-testid="adhoc-chart"]');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    expect(await chart.textContent()).toContain('在册老人');
    // Twelve months by street, the district's whole first.
    expect(await page.locator('thead th').count()).toBe(13);
    expect(await rowText(page, '测试区（全辖区）')).toMatch(/\s3$/);
    expect(await rowText(page, '甲街道')).toMatch(/\s2$/);
    expect(await rowText(page, '乙街道')).toMatch(/\s1$/);
    expect(await latinOn(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'statistics-adhoc.png'), fullPage: true });

    await page.getByText('按季度').click();
    await settled(page);
    await expect.poll(() => page.locator('thead th').count()).toBe(5);
    expect(await page.locator('thead').innerText()).toContain('季度');
    await context.close();
  });
});
