import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickUntil, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 风险雷达 in the browser, in zh-CN at 1440×900: a street worker opens the radar, sees her
 * street's elders ranked with the reasons in words and the new entries marked, plans a home
 * visit for the first with one click (the row then shows it as planned and the task list has
 * it, beside the community task opened when the elder entered 极高), sees a row change by itself
 * when an alarm rescores that elder, and switches to the map.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
let bureauName = '';
/** Raise an alarm for 李建国 through the alarms module, as a device or an operator would. */
let raiseForLi: () => Promise<void>;
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-risk-radar-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { runDaily } = await import(path.join(SERVER_SRC, 'modules/risk-radar/risk-radar.service.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const street = await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA });
  username = street.account.username;
  bureauName = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  const db = server.ctx.db;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  // 王秀兰 (top): lives alone, door sensor silent for 30 h, a fall closed as taken to hospital.
  const a = await createElder(server.ctx, f.TREE.communityA1, {
    name: '王秀兰',
    livingSituation: 'alone',
    lat: 30.612,
    lng: 104.012,
  });
  await db.execute(sql`INSERT INTO devices (id, type, elder_id, region_code, heartbeat_seconds, secret_nonce, last_activity_at, created_at)
    VALUES ('E2E-DOOR-1', 'door', ${a.id}, ${f.TREE.communityA1}, 300, 'n', ${hoursAgo(30)}, ${hoursAgo(24 * 60)})`);
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, region_code, raised_at, resolved_at, outcome)
    VALUES ('fall', 'P1', 'P1', 'resolved', false, 'e2e:1', ${a.id}, ${f.TREE.communityA1}, ${hoursAgo(24 * 4)}, ${hoursAgo(24 * 4 - 1)}, 'taken_to_hospital')`);
  // 李建国 (watch): lives alone with a recent fall.
  const b = await createElder(server.ctx, f.TREE.communityA2, {
    name: '李建国',
    livingSituation: 'alone',
    lat: 30.605,
    lng: 104.02,
  });
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, region_code, raised_at, resolved_at, outcome)
    VALUES ('fall', 'P1', 'P1', 'resolved', false, 'e2e:2', ${b.id}, ${f.TREE.communityA2}, ${hoursAgo(24 * 2)}, ${hoursAgo(24 * 2 - 1)}, 'assisted_at_home')`);
  await db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, region_code, raised_at, resolved_at, outcome)
    VALUES ('sos', 'P1', 'P1', 'resolved', false, 'e2e:3', ${b.id}, ${f.TREE.communityA2}, ${hoursAgo(24 * 6)}, ${hoursAgo(24 * 6 - 1)}, 'assisted_at_home')`);
  // Street B's elder is not hers.
  await createElder(server.ctx, f.TREE.communityB1, { name: '赵别街', livingSituation: 'alone' });
  await runDaily(server.ctx);
  const { raiseAlarm } = await import(path.join(SERVER_SRC, 'modules/alarms/raise.service.ts'));
  raiseForLi = () =>
    db.transaction((tx: unknown) =>
      raiseAlarm(server.ctx, tx, {
        type: 'sos',
        priority: 'P1',
        mergeKey: `e2e-live:${b.id}`,
        elderId: b.id,
        deviceId: null,
        regionCode: f.TREE.communityA2,
        at: new Date(),
      }),
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

/** Latin words on the page other than the login name: English or a raw code slipped through. */
async function latin(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter(
    (w) => w !== username && w !== bureauName && w !== 'm' && w !== 'km',
  );
}

describe('risk radar in the console', () => {
  it('a street worker opens the radar, reads the reasons and plans a visit with one click', async () => {
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
    await page.getByRole('menuitem', { name: '风险雷达' }).click();
    await settled(page);

    const rows = page.locator('.ant-card', { hasText: '评分日期' }).locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const first = rows.nth(0);
    expect(await first.textContent()).toContain('王秀兰');
    expect(await first.textContent()).toContain('极高');
    expect(await first.textContent()).toContain('新增');
    expect(await first.textContent()).toContain('门磁/人体感应 30 小时无活动');
    expect(await first.textContent()).toContain('告警处置结果为送医');
    expect(await first.textContent()).toContain('独居');
    expect(await rows.nth(1).textContent()).toContain('李建国');
    expect(await rows.nth(1).textContent()).toContain('近 30 天告警 2 次');
    expect(await page.locator('body').textContent()).not.toContain('赵别街');
    // The community task opened when 王秀兰 entered 极高, already in the list.
    const tasks = page.locator('.ant-card', { hasText: '雷达任务' });
    await expect.poll(() => tasks.textContent()).toContain('进入极高风险');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'risk-radar-list.png'), fullPage: true });

    await first.getByRole('button', { name: '安排探访' }).click();
    const dialog = page.locator('.ant-modal');
    await expect.poll(() => dialog.textContent()).toContain('安排上门探访：王秀兰');
    await dialog.locator('textarea').fill('独居老人刚出院，请社区尽快上门');
    await page.screenshot({ path: path.join(shots, 'risk-radar-plan.png') });
    // Planned: the row says so and its 安排探访 is off (the page re-reads after the plan).
    await clickUntil(
      dialog.getByRole('button', { name: /确\s*定/ }),
      async () => (await first.getByRole('button', { name: '安排探访' }).isDisabled()) === true,
    );
    await expect.poll(() => tasks.textContent()).toContain('上门探访');
    expect(await tasks.textContent()).toContain('独居老人刚出院，请社区尽快上门');

    // Live: an SOS for 李建国 rescores him; the open page re-reads its list and marks the row (no 刷新).
    const li = rows.filter({ hasText: '李建国' });
    expect(await li.textContent()).not.toContain('刚更新');
    await raiseForLi();
    await expect.poll(() => li.textContent()).toContain('刚更新');
    await expect.poll(() => li.textContent()).toContain('近 30 天告警 3 次');

    await page.getByText('地图', { exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="radar-map"] .leaflet-interactive').count()).toBeGreaterThanOrEqual(2);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'risk-radar-map.png') });
    await context.close();
  });

  it('the bureau sets a weight; the rerun scores by it', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: bureauName, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console/risk-radar`);
    await settled(page);
    const row = page.locator('tbody tr.ant-table-row', { hasText: '李建国' });
    // 李建国: three alarms (two before, the SOS of the first test) 24 + living alone 10.
    expect(await row.textContent()).toContain('34');
    await page.getByRole('button', { name: '权重设置' }).click();
    const dialog = page.locator('.ant-modal', { hasText: '风险雷达权重设置' });
    await expect.poll(() => dialog.textContent()).toContain('风险雷达权重设置：测试区');
    const alone = dialog.getByRole('spinbutton', { name: '独居', exact: true });
    await alone.fill('30');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'risk-radar-settings.png') });
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await page.getByRole('button', { name: '立即重新评分' }).click();
    // 李建国: three alarms 24 + living alone now 30 = 54, 高.
    await expect.poll(() => row.textContent()).toContain('54');
    expect(await row.textContent()).toContain('高');
    await context.close();
  });
});
