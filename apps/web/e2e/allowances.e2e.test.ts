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
 * The district's allowance path in the browser, in zh-CN: the last review of an application sends
 * it to 公示, the 公示 list shows it with its monthly amount, and the month's payment roll is
 * generated, approved and offered as the bank file. Every page reads in Chinese.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
let familyUsername = '';
let motherId = '';
let communityApi: Api;
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-allowances-dist-'));
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
  // Names in Chinese, as a district's would be (the timeline shows who acted).
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '测试人员' WHERE display_name ~ '[A-Za-z]'`);
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '李主任' WHERE id = ${district.account.id}`);
  const d = district.api as Api & { put: Api['post'] };
  const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  for (const [minAge, maxAge, monthlyFen] of [
    [80, 89, 10000],
    [90, null, 20000],
  ] as const) {
    const r = await d.post('/api/v1/allowance-tiers', {
      regionCode: f.TREE.district,
      year,
      minAge,
      maxAge,
      monthlyFen,
      effectiveFrom: `${year}-01-01`,
    });
    expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
  }
  const bank = { bankName: '中国农业银行', bankAccount: '6228480000001234', accountHolder: '本人' };
  for (const name of ['张桂英', '李淑珍']) {
    const e = await createElder(server.ctx, f.TREE.communityA1, { name, birthDate: `${year - 85}-01-15` });
    const a = await (community.api as Api).post('/api/v1/allowance-applications', { elderId: e.id, ...bank });
    expect(a.statusCode, JSON.stringify(a.json())).toBe(201);
    for (const api of [community.api, street.api] as Api[])
      expect(
        (await api.post(`/api/v1/allowance-applications/${a.json().id}/decisions`, { decision: 'approve' })).statusCode,
      ).toBe(200);
    if (name === '李淑珍') {
      // Through the district and a 公示 that has ended: paid from this month.
      expect((await d.post(`/api/v1/allowance-applications/${a.json().id}/decisions`, { decision: 'approve' })).statusCode).toBe(
        200,
      );
      await server.ctx.db.execute(
        sql`UPDATE allowance_applications SET notice_ends_on = CURRENT_DATE - 2 WHERE id = ${a.json().id}`,
      );
    }
  }
  // A family member of an 83-year-old with no application yet, for the phone page.
  const mother = await createElder(server.ctx, f.TREE.communityA1, { name: '吴凤英', birthDate: `${year - 83}-01-15` });
  const fam = await f.createAccount(server.ctx, 'family');
  await server.ctx.db.execute(sql`UPDATE users SET elder_id = ${mother.id}, display_name = '吴家属' WHERE id = ${fam.id}`);
  familyUsername = fam.username;
  motherId = mother.id;
  communityApi = community.api as Api;
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

/** Latin words on the page other than the login name: English or a raw code slipped through. */
async function latin(page: Page) {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the user sees; textContent includes hidden text.
  const text = await page.evaluate(() => document.body.innerText);
  // File-format names (CSV, xlsx, PDF …) are how the bank files and scans are called in Chinese too.
  const allowed = new Set([username, 'csv', 'CSV', 'xlsx', 'Excel', 'PDF', 'JPG', 'PNG', 'MB', 'KB']);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => !allowed.has(w));
}

describe('allowance in the console', () => {
  it('the district approves into 公示, sees the 公示 list, and generates, approves and exports the roll', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);

    await page.goto(`${server.url}/console/allowances/applications`);
    await settled(page);
    await expect.poll(() => page.getByRole('menuitem', { name: '发放名册' }).count()).toBeGreaterThan(0);
    const row = page.locator('tr', { hasText: '张桂英' });
    await expect.poll(() => row.textContent()).toContain('区审核');
    expect(await latin(page)).toEqual([]);
    await row.click();
    const drawer = page.locator('.ant-drawer');
    // antd spaces two-character labels (通 过); 不通过 is the other button.
    await drawer.getByRole('button', { name: /^通\s*过$/ }).click();
    await expect.poll(() => drawer.locator('.ant-descriptions').textContent()).toContain('公示中');
    await expect.poll(() => drawer.textContent()).toContain('区审核通过，进入公示');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-application.png') });

    await page.goto(`${server.url}/console/allowances/notices`);
    await settled(page);
    await expect.poll(() => page.locator('tr', { hasText: '张桂英' }).textContent()).toContain('100.00 元');
    expect(await latin(page)).toEqual([]);

    await page.goto(`${server.url}/console/allowances/rolls`);
    await settled(page);
    await page.getByRole('button', { name: '生成名册' }).click();
    const roll = page.locator('tbody tr').first();
    await expect.poll(() => roll.textContent()).toContain('待审批');
    expect(await roll.textContent()).toContain('100.00 元');
    await roll.getByRole('button', { name: '审批发放' }).click();
    await clickUntil(page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定/ }), async () =>
      (await roll.textContent())?.includes('已审批'),
    );
    const href = await roll.getByRole('link', { name: '导出银行文件' }).getAttribute('href');
    expect(href).toMatch(/\/api\/v1\/allowance-rolls\/[0-9a-f-]+\/export$/);
    const file = await page.request.get(`${server.url}${href?.replace(/^https?:\/\/[^/]+/, '')}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('spreadsheetml');
    expect(await latin(page)).toEqual([]);

    await page.goto(`${server.url}/console/allowances/tiers`);
    await settled(page);
    await expect.poll(() => page.locator('tbody').textContent()).toContain('90 岁及以上');
    await expect.poll(() => page.getByText('公示天数').count()).toBeGreaterThan(0);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'allowance-tiers.png') });
    await context.close();
  });

  it('a family member applies on a phone-size page in three fields; the community finds it to review', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: familyUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/family`);
    const card = page.getByTestId('my-allowance');
    await expect.poll(() => card.textContent()).toContain('可以申请高龄津贴，每月 100 元。');
    await card.getByRole('button', { name: '申请高龄津贴' }).click();
    await card.getByLabel('开户银行').fill('成都农商银行');
    await card.getByLabel('银行卡号').fill('6228 4800 0000 5678');
    await card.getByLabel('户名（持卡人姓名）').fill('吴凤英');
    await card.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.getByTestId('my-allowance-status').textContent()).toContain('申请已提交');
    await page.screenshot({ path: path.join(shots, 'allowance-family-phone.png'), fullPage: true });
    const list = (await communityApi.get(`/api/v1/allowance-applications?elderId=${motherId}`)).json();
    expect(list.items[0]).toMatchObject({
      source: 'self',
      status: 'community',
      bankAccountMasked: '****5678',
      elderName: '吴凤英',
    });
    await context.close();
  });
});
