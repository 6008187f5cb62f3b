import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 数据交换 in the browser, zh-CN at 1440×900: a district admin opens it from the menu, downloads
 * the elders dataset as csv (the file's header row and an elder's row with the full ID number),
 * then uploads a region-code file, sees the preview (a new community and a renamed one, nothing
 * written yet), applies it, and finds both in the history.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let tmp: string;
let username = '';
let elder: { id: string; idNumber: string };
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-exchange-dist-'));
  tmp = mkdtempSync(path.join(tmpdir(), 'zy-exchange-files-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  username = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  elder = await createElder(server.ctx, f.TREE.communityA1, { name: '王秀兰', birthDate: '1941-03-02' });
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count()).toBe(0);
}

const latinWords = (text: string) =>
  (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => w !== username && !['Excel', 'xlsx', 'csv', 'JSON'].includes(w));

describe('data exchange in the console', () => {
  it('a district admin downloads the elders dataset and previews, then applies, a region-code import', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    await settled(page);
    await page.getByRole('menuitem', { name: '数据交换' }).click();
    await settled(page);
    await expect.poll(() => page.getByText('数据导出').count()).toBeGreaterThan(0);

    // Export: 老年人基本信息 as csv.
    await page.getByLabel('格式').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '逗号分隔文本（csv）' }));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('exchange-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^老年人基本信息_990101_全量\.csv$/);
    const file = path.join(tmp, 'elders.csv');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['老人编号', '姓名', '证件类型', '证件号码', '性别']);
    expect(lines).toHaveLength(2);
    expect(lines[1].split(',').slice(0, 6)).toEqual([elder.id, '王秀兰', 'resident_id', elder.idNumber, '2', '1941-03-02']);

    // Import: a new community and a renamed one; the preview writes nothing.
    await settled(page);
    const csv = path.join(tmp, '区划.csv');
    writeFileSync(csv, '区划代码,名称\r\n990101001001,甲一新社区\r\n990101001009,甲九社区\r\n990101001002,甲二社区\r\n');
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.getByRole('button', { name: '预览变化' }).click();
    const summary = page.getByTestId('exchange-import-summary');
    await expect.poll(() => summary.textContent()).toContain('将修改2项');
    const changes = page.getByTestId('exchange-import-changes');
    expect(await changes.textContent()).toContain('甲九社区');
    expect(await changes.textContent()).toContain('更名');
    expect(await changes.textContent()).toContain('甲一社区');
    const text = await page.evaluate(() => document.body.innerText);
    expect(latinWords(text)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'data-exchange-preview.png'), fullPage: true });
    const region = await page.request.get(`${server.url}/api/v1/regions?q=甲九`);
    expect((await region.json()).items).toHaveLength(0);

    await page.getByRole('button', { name: /确\s*认\s*导\s*入/ }).click();
    await expect.poll(() => summary.textContent()).toContain('已导入');
    await expect
      .poll(async () => (await (await page.request.get(`${server.url}/api/v1/regions?q=甲九`)).json()).items.length)
      .toBe(1);
    const history = page.getByTestId('exchange-history');
    await expect.poll(() => history.textContent()).toContain('导入预览');
    expect(await history.textContent()).toContain('老年人基本信息');
    expect(await history.textContent()).toContain('行政区划代码');
    await page.screenshot({ path: path.join(shots, 'data-exchange-applied.png'), fullPage: true });
    await context.close();
  });
});
