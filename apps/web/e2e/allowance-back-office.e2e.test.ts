import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  clickUntil,
  ensureWebBuild,
  launchBrowser,
  SERVER_SRC,
  type Server,
  screenshotDir,
  WEB_DIST,
} from './support.ts';

/**
 * The allowance's back office in the browser, in zh-CN at 1440×900: the district imports the
 * bank's return file on the roll page and reads each line's outcome; the failed payment appears
 * for correction and the account is corrected; a death list is imported and the overpayment is
 * listed for recovery; the report shows the month's payments with the return apart; a scan is
 * attached in the application drawer.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
let rollId = '';
const people: Record<string, { id: string; idNumber: string; appId: string }> = {};
const PASSWORD = 'Test#Pass2026';

const cstMonth = (offset: number) => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
  return m.toISOString().slice(0, 7);
};
const m1 = cstMonth(-1);
const m2 = cstMonth(-2);

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-allowance-bo-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  const street = await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA });
  const community = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  username = district.account.username;
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '测试人员' WHERE display_name ~ '[A-Za-z]'`);
  const d = district.api as Api;
  const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  for (const y of [year - 1, year])
    for (const [minAge, maxAge, monthlyFen] of [
      [80, 89, 10000],
      [90, null, 20000],
    ] as const) {
      const r = await d.post('/api/v1/allowance-tiers', {
        regionCode: f.TREE.district,
        year: y,
        minAge,
        maxAge,
        monthlyFen,
        effectiveFrom: `${y}-01-01`,
      });
      expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
    }
  for (const [name, age, account] of [
    ['张桂英', 85, '6228480000001234'],
    ['李淑珍', 91, '6228480000005678'],
    ['王德福', 87, '6228480000009012'],
  ] as const) {
    const e = await createElder(server.ctx, f.TREE.communityA1, { name, birthDate: `${year - age}-01-15` });
    const a = await (community.api as Api).post('/api/v1/allowance-applications', {
      elderId: e.id,
      bankName: '中国农业银行',
      bankAccount: account,
      accountHolder: name,
    });
    expect(a.statusCode, JSON.stringify(a.json())).toBe(201);
    for (const api of [community.api, street.api, district.api] as Api[])
      expect(
        (await api.post(`/api/v1/allowance-applications/${a.json().id}/decisions`, { decision: 'approve' })).statusCode,
      ).toBe(200);
    // Paid since two months ago (the chain itself is tested elsewhere).
    await server.ctx.db.execute(
      sql`UPDATE allowance_applications SET status = 'active', paid_from = ${m2}, notice_ends_on = NULL WHERE id = ${a.json().id}`,
    );
    people[name] = { id: e.id, idNumber: e.idNumber, appId: a.json().id };
  }
  const g = await d.post('/api/v1/allowance-rolls', { regionCode: f.TREE.district, month: m1 });
  expect(g.statusCode, JSON.stringify(g.json())).toBe(200);
  rollId = g.json().id;
  expect((await d.post(`/api/v1/allowance-rolls/${rollId}/approve`)).statusCode).toBe(200);
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

/** Latin words the user sees other than the login name, file-format names (CSV, xlsx, PDF…) and the X of an ID number. */
async function latin(page: Page) {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the user sees; textContent includes hidden text.
  const text = await page.evaluate(() => document.body.innerText);
  const allowed = new Set([username, 'csv', 'CSV', 'xlsx', 'Excel', 'PDF', 'JPG', 'PNG', 'MB', 'KB', 'png', 'X']);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => !allowed.has(w));
}

describe('allowance back office in the console', () => {
  it('imports a return file with per-line outcomes, corrects the account, imports deaths, reads the report and attaches a scan', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);

    // 1. The roll page: 导入回盘文件 on the approved roll.
    await page.goto(`${server.url}/console/allowances/rolls`);
    await settled(page);
    const roll = page.locator('tbody tr', { hasText: m1 });
    await expect.poll(() => roll.textContent()).toContain('已审批');
    await roll.getByRole('button', { name: '导入回盘文件' }).click();
    const modal = page.locator('.ant-modal', { hasText: '回盘文件' });
    const csv = [
      '身份证号,姓名,所属月份,金额（元）,失败原因',
      `${people.张桂英.idNumber},张桂英,${m1},100.00,账户已销户`,
      `110101193501010014,不在名册,${m1},100.00,户名不符`,
    ].join('\n');
    await modal.locator('input[type=file]').setInputFiles({ name: '回盘.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await modal.getByRole('button', { name: /导\s*入/ }).click();
    await expect.poll(() => page.getByTestId('return-import-summary').textContent()).toContain('新标记失败 1 笔（100.00 元）');
    const rows = page.getByTestId('return-import-rows');
    await expect.poll(() => rows.locator('tr', { hasText: '张桂英' }).textContent()).toContain('已标记失败');
    expect(await rows.locator('tbody tr').nth(1).textContent()).toContain('名册中无此笔');
    // Masked ID in the outcome, never the full number.
    expect(await rows.textContent()).not.toContain(people.张桂英.idNumber);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-return-import.png') });
    // The same file again changes nothing.
    await modal.getByRole('button', { name: /导\s*入/ }).click();
    await expect
      .poll(() => page.getByTestId('return-import-summary').textContent())
      .toContain('新标记失败 0 笔（0.00 元），此前已标记 1 笔');
    await page.keyboard.press('Escape');

    // 2. The account to correct.
    await page.goto(`${server.url}/console/allowances/corrections`);
    await settled(page);
    const fail = page.locator('tbody tr', { hasText: '张桂英' });
    await expect.poll(() => fail.textContent()).toContain('账户已销户');
    expect(await fail.textContent()).toContain('待更正');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-corrections.png') });
    await fail.getByRole('button', { name: '更正账户' }).click();
    const fix = page.locator('.ant-modal', { hasText: '更正 张桂英 的银行账户' });
    await fix.getByLabel('银行账号').fill('6217000011112222');
    await clickUntil(
      fix.getByRole('button', { name: /确\s*定|OK/ }),
      async () => (await page.locator('tbody tr', { hasText: '张桂英' }).count()) === 0,
    );
    await page.getByText('只看待更正账户').click();
    await expect.poll(() => page.locator('tbody tr', { hasText: '张桂英' }).textContent()).toContain('已更正');

    // 3. Deaths: 王德福 died two months ago, so last month's payment is to recover.
    await page.goto(`${server.url}/console/allowances/deaths`);
    await settled(page);
    const { writeXlsx } = await import(path.join(SERVER_SRC, 'lib/spreadsheet.ts'));
    const deaths: Buffer = await writeXlsx(
      '死亡名单',
      ['姓名', '身份证号', '死亡日期'],
      [
        ['王德福', people.王德福.idNumber, `${m2}-08`],
        ['查无此人', '110101193001010018', `${m2}-03`],
      ],
    );
    await page.locator('input[type=file]').setInputFiles({
      name: '死亡名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: deaths,
    });
    await page.getByRole('button', { name: /导\s*入/ }).click();
    await expect.poll(() => page.getByTestId('death-import-summary').textContent()).toContain('新登记死亡 1 人');
    await expect.poll(() => page.locator('tr', { hasText: '王德福' }).first().textContent()).toContain('已登记死亡');
    await expect
      .poll(() => page.locator('.ant-card', { hasText: '多发追回' }).locator('tbody').textContent())
      .toContain('待追回');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-deaths.png'), fullPage: true });

    // 4. The report: last month's roll with its return apart.
    await page.goto(`${server.url}/console/allowances/reports`);
    await settled(page);
    const pay = page.getByTestId('report-payments').locator('tr', { hasText: m1 });
    await expect.poll(() => pay.textContent()).toContain('300.00 元');
    expect(await pay.textContent()).toContain('100.00 元');
    await expect.poll(() => page.getByTestId('report-communities').textContent()).toContain('甲一社区');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-reports.png'), fullPage: true });

    // 5. A scan in the application drawer.
    await page.goto(`${server.url}/console/allowances/applications`);
    await settled(page);
    await page.locator('tr', { hasText: '李淑珍' }).click();
    const docs = page.getByTestId('allowance-documents');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    await docs.locator('input[type=file]').setInputFiles({ name: '身份证.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => docs.textContent()).toContain('身份证 · 身份证.png');
    expect(await latin(page)).toEqual([]);
    await docs.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'allowance-documents.png') });
    await context.close();
  }, 180_000);
});
