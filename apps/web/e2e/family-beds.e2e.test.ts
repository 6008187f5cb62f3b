import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickUntil, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 家庭照护床位 in the browser, in zh-CN at 1440×900, on the demo district: the bureau opens 床位看板,
 * sees every bed's devices online or offline, last visit, alarms, this month's delivery and last
 * month's check; runs last month's check (already decided: nothing changes), opens the bed still
 * held (未足额) and releases its hold with a reason; then opens 床位建档 with the list. The call
 * centre then sets a care-call campaign for every elder whose bed is in service.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
const PASSWORD = 'Demo#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-family-beds-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const { seedDistrict } = await import(path.join(SERVER_SRC, 'demo/district.ts'));
  const { seedElders } = await import(path.join(SERVER_SRC, 'demo/elders.ts'));
  const { seedServiceProviders } = await import(path.join(SERVER_SRC, 'demo/service-providers.ts'));
  const { seedFamilyBeds } = await import(path.join(SERVER_SRC, 'demo/family-beds.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await seedDistrict(server.ctx, { demoPassword: PASSWORD });
  await seedElders(server.ctx);
  await seedServiceProviders(server.ctx, { demoPassword: PASSWORD });
  await seedFamilyBeds(server.ctx);
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

/**
 * Latin words on the page other than the login name, the demo devices' serials, the X check digit
 * of a masked ID number and the standard's name GB/T 42195.
 */
async function latin(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter(
    (w) => !['demo-district', 'X', 'GB', 'T'].includes(w) && !/^FB\d{3}(BED|RADAR)$/.test(w),
  );
}

/** A zh-CN desktop page signed in as the demo district's administrator. */
async function signedIn() {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
    data: { username: 'demo-district', password: PASSWORD },
  });
  expect(login.ok()).toBe(true);
  return { context, page };
}

describe('family care beds in the console', () => {
  it('the bureau opens the bed board, runs last month’s check and releases a held bed', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${server.url}/console`);
    await settled(page);
    await page.getByRole('menuitem', { name: '床位看板' }).click();
    await settled(page);

    const rows = page.getByTestId('board-row');
    await expect.poll(() => rows.count()).toBe(11);
    const stats = page.getByTestId('board-stats');
    expect(await stats.textContent()).toContain('服务中10');
    expect(await stats.textContent()).toContain('上月暂缓1');
    expect(await page.locator('body').textContent()).toContain('跌倒雷达·离线');
    expect(await page.getByTestId('last-month').filter({ hasText: '未足额' }).count()).toBe(1);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'family-bed-board.png'), fullPage: true });

    // Last month's check: every bed already decided, so nothing moves.
    await page.getByRole('button', { name: /^核验 \d{4}-\d{2} 服务包$/ }).click();
    await clickUntil(page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }), async () =>
      (await page.locator('.ant-message').textContent())?.includes('交付 0 张，暂缓 0 张，此前已核验 10 张'),
    );

    // The held bed: its month shows 未足额 with the visits made; release the hold with a reason.
    await rows.filter({ has: page.getByTestId('last-month').filter({ hasText: '未足额' }) }).click();
    const drawer = page.locator('.ant-drawer');
    await expect.poll(() => drawer.getByTestId('month-status').first().textContent()).toContain('未足额');
    expect(await drawer.textContent()).toContain('每周 2 次，600.00 元/月');
    expect(await drawer.textContent()).toContain('夜间离床');
    await page.screenshot({ path: path.join(shots, 'family-bed-drawer.png') });
    await drawer.getByRole('button', { name: '解除暂缓' }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator('textarea').fill('服务商补做上门两次，经社区核实');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), async () =>
      (await drawer.getByTestId('month-status').first().textContent())?.includes('已解除暂缓'),
    );
    expect(await drawer.textContent()).toContain('服务商补做上门两次，经社区核实');
    expect(await latin(page)).toEqual([]);

    // A hospital stay this month: recorded as a suspension period, taken out of the month's requirement.
    const cn = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const first = `${cn.slice(0, 7)}-01`;
    await drawer.getByRole('button', { name: '登记暂停期' }).click();
    const period = page.locator('.ant-modal').filter({ hasText: '登记暂停期' });
    const ends = period.locator('.ant-picker-input input');
    await ends.nth(0).click();
    await ends.nth(0).fill(first);
    await ends.nth(0).press('Enter');
    await ends.nth(1).fill(cn);
    await ends.nth(1).press('Enter');
    await period.locator('textarea').fill('住院治疗（骨折）');
    await clickUntil(period.getByRole('button', { name: /确\s*定/ }), async () =>
      (await drawer.getByTestId('suspensions').textContent())?.includes(`${first} ～ ${cn}`),
    );
    expect(await drawer.getByTestId('suspensions').textContent()).toContain('住院治疗（骨折）');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'family-bed-suspension.png') });
    // Closed with its close button: a key press can land in the last date field instead.
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    await expect.poll(() => page.getByTestId('board-stats').textContent()).toContain('上月暂缓0');
    const days = Number(cn.slice(8, 10));
    await expect.poll(() => page.locator('body').textContent()).toContain(`暂停 ${days} 天`);

    await page.getByRole('menuitem', { name: '床位建档' }).click();
    await settled(page);
    await expect.poll(() => page.locator('tbody tr.ant-table-row').count()).toBe(12);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'family-beds-list.png'), fullPage: true });

    // The district's eligibility rule on the console: 轻度失能 admitted too.
    await page.getByRole('button', { name: '建床条件' }).click();
    const rule = page.locator('.ant-modal').filter({ hasText: '设置本区建床条件' });
    await expect.poll(() => rule.locator('.ant-checkbox-wrapper-checked').count()).toBe(3);
    // A click the modal lost while it laid itself out again is clicked again (clickUntil), never
    // one it took: that would uncheck the box.
    const mild = rule.getByLabel('轻度失能');
    await clickUntil(mild, () => mild.isChecked());
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'family-bed-rules.png') });
    await rule.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('建床条件已保存');
    const saved = await page.request.get(`${server.url}/api/v1/family-bed-rules`);
    expect((await saved.json()).eligibleLevels).toEqual(['mild', 'moderate', 'severe', 'total']);
    await context.close();
  });

  it('the call centre sets a weekly care call for every elder whose bed is in service', async () => {
    const { context, page } = await signedIn();
    await page.goto(`${server.url}/console/calls/campaigns`);
    await settled(page);
    await page.getByRole('button', { name: /新建活动/ }).click();
    const form = page.locator('.ant-drawer').filter({ hasText: '外呼对象' });
    await form.getByLabel('活动名称').fill('家庭床位老人每周关爱');
    const bed = form.getByLabel('床位服务中');
    await clickUntil(bed, () => bed.isChecked());
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'family-bed-care-call-form.png') });
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const row = page.locator('tbody tr').filter({ hasText: '家庭床位老人每周关爱' });
    await expect.poll(() => row.textContent()).toContain('家庭养老床位服务中');
    expect(await latin(page)).toEqual([]);

    // The morning's list: the ten beds in service (服务中10 on the board), not the one contracted
    // and waiting for installation nor the one only assessed.
    const { buildDailyLists } = await import(path.join(SERVER_SRC, 'modules/campaigns/lists.service.ts'));
    const { queryRows } = await import(path.join(SERVER_SRC, 'lib/sql-rows.ts'));
    const { sql } = await import('drizzle-orm');
    await buildDailyLists(server.ctx, new Date());
    const beds = await queryRows(server.ctx.db, sql`SELECT elder_id, status FROM family_beds ORDER BY elder_id`);
    const called = await queryRows(
      server.ctx.db,
      sql`SELECT t.elder_id FROM care_call_tasks t JOIN care_call_campaigns c ON c.id = ANY (t.campaign_ids)
           WHERE c.name = '家庭床位老人每周关爱' ORDER BY t.elder_id`,
    );
    const live = (beds as Array<{ elder_id: string; status: string }>).filter((b) => b.status === 'active');
    expect(live).toHaveLength(10);
    expect((called as Array<{ elder_id: string }>).map((r) => r.elder_id)).toEqual(live.map((b) => b.elder_id));
    await context.close();
  });
});
