import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 健康档案 in the browser, zh-CN at 1440×900: a community worker opens an elder, the 健康档案 tab
 * asks her why (health data is sensitive; the reason is audited), then shows the conditions, the
 * latest readings, a trend chart per sign from the watch's readings and the physicals. The
 * bureau's 体检导入 and 长护险 pages are opened and photographed too.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let staffName = '';
let bureauName = '';
let elderId = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-health-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  staffName = (await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).account.username;
  bureauName = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  const e = await createElder(server.ctx, f.TREE.communityA1, {
    name: '王秀英',
    chronicConditions: ['高血压', '2型糖尿病'],
    allergies: ['青霉素'],
  });
  elderId = e.id;
  const db = server.ctx.db;
  // Four weeks of watch readings, six a day, and a blood-pressure meter's morning readings.
  await db.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source)
    SELECT ${e.id}, 'heart_rate', 70 + (random() * 14)::int, now() - (g * interval '4 hours'), 'device' FROM generate_series(0, 167) g`);
  await db.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source)
    SELECT ${e.id}, c.code, CASE c.code WHEN 'systolic' THEN 135 + (random() * 20)::int ELSE 80 + (random() * 10)::int END,
           now() - (g * interval '1 day'), 'device'
      FROM generate_series(0, 27) g CROSS JOIN (VALUES ('systolic'), ('diastolic')) c(code)`);
  await db.execute(sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date, institution, height_cm, weight_kg, systolic, diastolic,
      heart_rate, fasting_glucose, total_cholesterol, conclusion)
    VALUES (${e.id}, 2025, '2025-06-12', '玉林社区卫生服务中心', 158, 61.5, 146, 88, 76, 7.2, 5.4, '血压偏高，建议复查')`);
  const [item] = (await db.execute(sql`SELECT id FROM service_items WHERE code = 'cleaning'`)).rows as Array<{ id: string }>;
  await db.execute(sql`INSERT INTO ltc_policies (region_code, name, eligible_levels, item_ids, monthly_hours, monthly_cap_fen, pay_percent, valid_from)
    VALUES (${f.TREE.district}, '测试区长期护理保险试点', '{severe,total}', ${`{${item.id}}`}::uuid[], 30, 120000, 70, '2026-01-01')`);
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

async function loggedIn(username: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
  expect(login.ok()).toBe(true);
  return page;
}

describe('health record in the console', () => {
  it('a community worker gives a reason, then sees the trend charts and the physicals', async () => {
    const page = await loggedIn(staffName);
    await page.goto(`${server.url}/console/elders/${elderId}`);
    await settled(page);
    await page.getByRole('tab', { name: '健康档案' }).click();
    await expect.poll(() => page.getByText('查看健康档案需说明理由').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'health-record-reason.png') });
    await page.getByRole('combobox', { name: '选择或填写理由' }).fill('健康随访');
    await page.getByRole('button', { name: '查看健康档案' }).click();
    await settled(page);

    const tab = page.locator('body');
    await expect.poll(() => tab.textContent()).toContain('2型糖尿病');
    expect(await tab.textContent()).toContain('青霉素');
    // One chart per sign with readings: blood pressure and heart rate, each an ECharts canvas.
    await expect.poll(() => page.locator('[data-testid="vital-chart-bp"] canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="vital-chart-heart_rate"] canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid^="vital-chart-"]').count()).toBe(2);
    expect(await tab.textContent()).toContain('玉林社区卫生服务中心');
    expect(await tab.textContent()).toContain('146/88');
    await page.screenshot({ path: path.join(shots, 'health-record-tab.png'), fullPage: true });
    await page.getByText('近90天').click();
    await settled(page);
    await expect.poll(() => page.locator('[data-testid="vital-chart-bp"] canvas').count()).toBeGreaterThan(0);

    // The read was audited with its reason.
    const { sql } = await import('drizzle-orm');
    const rows = (
      await server.ctx.db.execute(
        sql`SELECT detail->>'reason' AS reason FROM audit_log WHERE action = 'health.read' AND target_id = ${elderId}`,
      )
    ).rows as Array<{ reason: string }>;
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.reason === '健康随访')).toBe(true);
  });

  it('the bureau’s 体检导入 and 长护险 pages', async () => {
    const page = await loggedIn(bureauName);
    await page.goto(`${server.url}/console/health/physicals`);
    await settled(page);
    expect(await page.locator('body').textContent()).toContain('体检结果导入');
    await page.screenshot({ path: path.join(shots, 'health-physicals-import.png'), fullPage: true });
    await page.goto(`${server.url}/console/health/ltc`);
    await settled(page);
    await expect.poll(() => page.locator('body').textContent()).toContain('测试区长期护理保险试点');
    expect(await page.locator('body').textContent()).toContain('重度失能');
    await page.screenshot({ path: path.join(shots, 'health-ltc.png'), fullPage: true });
  });
});
