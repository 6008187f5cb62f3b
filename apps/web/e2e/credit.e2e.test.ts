import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * Credit 信用 in the browser, zh-CN at 1440×900: anyone opens the public disclosure page without
 * logging in and sees the providers with their credit level (one on the dishonesty list) and the
 * hotline — and no elder's name, phone or ID number anywhere in the page; the bureau opens 信用档案,
 * reads a provider's score explained line by line, and sees 失信名单.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let bureau = '';
let elderIdNumber = '';
const PASSWORD = 'Test#Pass2026';
const ELDER = '司马秀芳';
const ELDER_PHONE = '13987654321';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-credit-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const admin = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  bureau = admin.account.username;
  const site = { lat: 30.6, lng: 104.0 };
  const good = await svc.createServiceProvider(server.ctx, {
    regionCode: f.TREE.streetA,
    communities: [f.TREE.communityA1],
    site,
    name: '康乐居家养老服务中心',
  });
  const bad = await svc.createServiceProvider(server.ctx, {
    regionCode: f.TREE.streetA,
    communities: [f.TREE.communityA1],
    site,
    name: '惠民家政服务公司',
  });
  await f.createOrg(server.ctx, 'canteen', f.TREE.communityA1, '甲一社区长寿食堂');
  const elder = await createElder(server.ctx, f.TREE.communityA1, { name: ELDER, phone: ELDER_PHONE });
  elderIdNumber = elder.idNumber ?? '';
  await server.ctx.db.execute(
    sql`UPDATE organizations SET contact_name = '周经理', contact_phone = '13811112222' WHERE id = ${good.org.id}`,
  );
  // A complaint about the good provider, taken on a call about this elder.
  await server.ctx.db.execute(sql`INSERT INTO service_complaints (elder_id, region_code, provider_id, reason, due_at)
    VALUES (${elder.id}, ${f.TREE.communityA1}, ${good.org.id}, ${`${ELDER} 投诉上门迟到`}, now())`);
  const ok = (r: { statusCode: number; body: string }) => expect(r.statusCode, r.body).toBeLessThan(300);
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  ok(
    await admin.api.post(`/api/v1/credit/organizations/${good.org.id}/events`, {
      kind: 'commitment',
      occurredOn: today,
      title: '签署养老服务信用承诺书',
    }),
  );
  ok(
    await admin.api.post(`/api/v1/credit/organizations/${bad.org.id}/events`, {
      kind: 'penalty_major',
      occurredOn: today,
      title: '虚报服务工单骗取补贴',
      documentNo: '武民罚〔2026〕3号',
    }),
  );
  await server.ctx.db.execute(
    sql`INSERT INTO call_hotlines (number, name, region_code) VALUES ('96890', '智养服务热线', ${f.TREE.district})`,
  );
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

const newPage = async () => {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
};

describe('public disclosure and credit files', () => {
  it('the public page, without a login, shows providers with their credit level and no personal data', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/public`);
    await settled(page);
    expect(page.url()).toContain('/public');
    const rows = page.getByTestId('public-providers').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const text = () => page.locator('body').innerText();
    await expect.poll(text).toContain('康乐居家养老服务中心');
    const good = rows.filter({ hasText: '康乐居家养老服务中心' });
    expect(await good.innerText()).toContain('B 级（基本守信）');
    expect(await good.innerText()).toContain('未评定');
    const bad = rows.filter({ hasText: '惠民家政服务公司' });
    expect(await bad.innerText()).toContain('D 级（失信）');
    expect(await bad.innerText()).toContain('失信名单');
    expect(await page.getByTestId('public-hotline').innerText()).toContain('96890');
    await page.screenshot({ path: path.join(shots, 'credit-public-providers.png'), fullPage: true });
    await page.getByRole('tab', { name: '长寿食堂' }).click();
    await expect.poll(text).toContain('甲一社区长寿食堂');
    // No personal data anywhere in the page's HTML: the elder's name, ID number, any mobile number.
    const html = await page.content();
    expect(html).not.toContain(ELDER);
    expect(html).not.toContain(elderIdNumber);
    // Digits inside a longer token (antd's CSS numbers such as 1.5714285714285714, ids, asset hashes) are not phones.
    expect(html.match(/(?<![0-9A-Za-z.-])\d{17}[\dXx](?![0-9A-Za-z.])/g)).toBeNull();
    expect(html.match(/(?<![0-9A-Za-z.-])1[3-9]\d{9}(?![0-9A-Za-z.])/g)).toBeNull();
    expect(html).not.toContain('周经理');
    await page.close();
  });

  it('the bureau reads a credit file explained line by line and the dishonesty list', async () => {
    const page = await newPage();
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username: bureau, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    await settled(page);
    await page.getByRole('menuitem', { name: '信用档案' }).click();
    await settled(page);
    const rows = page.locator('.ant-card', { hasText: '信用档案' }).locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(3);
    // Lowest first: the listed provider at the top.
    expect(await rows.nth(0).innerText()).toContain('惠民家政服务公司');
    expect(await rows.nth(0).innerText()).toContain('暂停新业务');
    await page.screenshot({ path: path.join(shots, 'credit-list.png'), fullPage: true });
    await rows.filter({ hasText: '康乐居家养老服务中心' }).click();
    const drawer = page.locator('.ant-drawer');
    await expect.poll(() => drawer.innerText()).toContain('评分明细');
    const drawerText = await drawer.innerText();
    expect(drawerText).toContain('信用分 85（B 级（基本守信））');
    expect(drawerText).toContain('信用承诺');
    expect(drawerText).toContain('服务投诉');
    expect(drawerText).toContain('服务工单');
    await page.screenshot({ path: path.join(shots, 'credit-file.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('menuitem', { name: '失信名单' }).click();
    await settled(page);
    const listed = page.locator('.ant-card', { hasText: '失信名单' }).locator('tbody tr.ant-table-row');
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.nth(0).innerText()).toContain('规则认定');
    expect(await listed.nth(0).innerText()).toContain('虚报服务工单骗取补贴');
    await page.screenshot({ path: path.join(shots, 'credit-listings.png'), fullPage: true });
    await page.close();
  });
});
