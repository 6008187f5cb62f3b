import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 综合监管 in the browser, in zh-CN at 1920×1080: a street worker opens the dashboard from the
 * menu, sees her street's figures (elders by age band, this month's orders, alarms and their
 * SLA, beds) with six-month sparklines, and one click on 在册老人 opens the elder list behind it.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
let bureauName = '';
let streetA = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-supervision-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { earlierTodayCst } = await import(path.join(SERVER_SRC, 'testing/clock.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  streetA = f.TREE.streetA;
  username = (await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA })).account.username;
  const year = new Date().getFullYear();
  const a = await createElder(server.ctx, f.TREE.communityA1, { name: '王秀兰', birthDate: `${year - 82}-03-02` });
  await createElder(server.ctx, f.TREE.communityA2, { name: '李建国', birthDate: `${year - 91}-01-20` });
  await createElder(server.ctx, f.TREE.communityB1, { name: '赵别街', birthDate: `${year - 70}-01-20` });
  bureauName = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  // Outlines for the three communities (squares side by side) so the screen's map colours them.
  const square = (lng: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lng, 30.6],
        [lng + 0.01, 30.6],
        [lng + 0.01, 30.61],
        [lng, 30.61],
        [lng, 30.6],
      ],
    ],
  });
  for (const [i, code] of [f.TREE.communityA1, f.TREE.communityA2, f.TREE.communityB1].entries()) {
    const lng = 104 + i * 0.01;
    await server.ctx.db.execute(sql`INSERT INTO region_boundaries (region_code, geometry, vertex_count, min_lng, min_lat, max_lng, max_lat)
      VALUES (${code}, ${JSON.stringify(square(lng))}::jsonb, 5, ${lng}, 30.6, ${lng + 0.01}, 30.61)`);
  }
  // Orders in 甲一: one created long ago and served just now (a 本月完成工单 whatever the month's
  // booked time), one created now and still open; one in 乙一 served now (another street).
  const { queryRows } = await import(path.join(SERVER_SRC, 'lib/sql-rows.ts'));
  const [item] = (await queryRows(
    server.ctx.db,
    sql`INSERT INTO service_items (code, category, name, unit, duration_minutes, ref_price_fen, ceiling_price_fen, points)
      VALUES ('sv_e2e', 'daily_care', '助浴', 'visit', 60, 5000, 6000, 10) RETURNING id`,
  )) as Array<{ id: string }>;
  const longAgo = new Date(Date.now() - 62 * 86_400_000).toISOString();
  // "Just now" and "minutes ago" stay on today's China day (and month) when the file starts just after midnight.
  const justNow = earlierTodayCst(60_000).toISOString();
  for (const [no, region, status, createdAt, servedAt] of [
    ['FW-E2E-DONE', f.TREE.communityA1, 'confirmed', longAgo, justNow],
    ['FW-E2E-OPEN', f.TREE.communityA1, 'created', justNow, null],
    ['FW-E2E-B1', f.TREE.communityB1, 'served', justNow, justNow],
  ] as const) {
    await server.ctx.db.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, channel, status, scheduled_at, duration_minutes, payment, points, created_at, served_at)
      VALUES (${no}, ${a.id}, ${region}, ${item.id}, 'console', ${status}, ${createdAt}, 60, 'points', 10, ${createdAt}, ${servedAt})`);
  }
  // A volunteer of 甲一 redeemed 60 minutes for 王秀兰 this month, and 30 more that came back
  // when the task was cancelled.
  const volUser = await f.createAccount(server.ctx, 'volunteer', { regionCode: f.TREE.communityA1 });
  const [vol] = (await queryRows(
    server.ctx.db,
    sql`INSERT INTO volunteers (user_id, name, phone_enc, phone_index, phone_masked, region_code, status, source)
      VALUES (${volUser.id}, '刘志红', 'x', 'idx-e2e', '138****0000', ${f.TREE.communityA1}, 'approved', 'staff') RETURNING id`,
  )) as Array<{ id: string }>;
  for (const [minutes, returned] of [
    [60, null],
    [30, '00000000-0000-0000-0000-000000000001'],
  ] as const)
    await server.ctx.db.execute(sql`INSERT INTO timebank_redemptions (volunteer_id, elder_id, region_code, beneficiary, kind, minutes,
        service_minutes, scheduled_on, returned_tx_id)
      VALUES (${vol.id}, ${a.id}, ${f.TREE.communityA1}, 'self', 'visit', ${minutes}, ${minutes}, CURRENT_DATE, ${returned})`);
  const minutesAgo = (m: number) => earlierTodayCst(m * 60_000).toISOString();
  await server.ctx.db.execute(sql`INSERT INTO alarms (type, priority, raised_priority, status, open, merge_key, elder_id, region_code, raised_at, acknowledged_at)
    VALUES ('fall', 'P1', 'P1', 'acknowledged', true, 'e2e:sv1', ${a.id}, ${f.TREE.communityA1}, ${minutesAgo(10)}, ${minutesAgo(9.5)})`);
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

describe('supervision dashboard in the console', () => {
  it('a street worker reads her street’s figures and opens the list behind one', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    await settled(page);
    await page.getByRole('menuitem', { name: '监管看板' }).click();
    await settled(page);
    await expect.poll(() => page.locator('main, .ant-layout-content').first().textContent()).toContain('甲街道');

    const card = (key: string) => page.locator(`[data-figure="${key}"]`);
    expect(await card('elders.total').textContent()).toContain('2');
    expect(await card('elders.age.80-89').textContent()).toContain('1');
    expect(await card('elders.age.90+').textContent()).toContain('1');
    expect(await card('alarms.raised').textContent()).toContain('1');
    expect(await card('alarms.sla').textContent()).toContain('100%');
    // Figures with a history draw a sparkline; beds in service keep none and say so.
    expect(await card('elders.total').locator('canvas').count()).toBe(1);
    expect(await card('beds.total').textContent()).toContain('不保留历史');
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toContain('赵别街');
    const latin = (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => w !== username);
    expect(latin).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'supervision-dashboard.png'), fullPage: true });

    await card('elders.total').click();
    await page.waitForURL(/\/console\/elders\?/);
    await settled(page);
    await expect.poll(() => page.locator('tbody').first().textContent()).toContain('王秀兰');
    expect(await page.locator('tbody').first().textContent()).toContain('李建国');
    await page.screenshot({ path: path.join(shots, 'supervision-drill-elders.png') });

    // An age band opens the list already filtered to it, shown as a tag the user can clear.
    await page.goBack();
    await settled(page);
    await card('elders.age.90+').click();
    await page.waitForURL(/\/console\/elders\?.*ageBand=90%2B/);
    await settled(page);
    const tags = page.getByTestId('drill-tags');
    await expect.poll(() => tags.textContent()).toContain('年龄段：90岁及以上');
    await expect.poll(() => page.locator('tbody').first().textContent()).toContain('李建国');
    expect(await page.locator('tbody').first().textContent()).not.toContain('王秀兰');
    // The age filter shows the band in its own inputs too.
    expect(await page.locator('.ant-input-number input').first().inputValue()).toBe('90');
    await page.screenshot({ path: path.join(shots, 'supervision-drill-age-band.png') });
    await tags.locator('[data-drill="ageBand"] .ant-tag-close-icon').click();
    await expect.poll(() => page.locator('tbody').first().textContent()).toContain('王秀兰');
    expect(page.url()).not.toContain('ageBand');
    expect(await page.getByTestId('drill-tags').count()).toBe(0);

    // 本月完成工单 opens the order board's month view by the served time: the order booked two
    // months ago is there, the open one and the other street's are not.
    await page.goBack();
    await settled(page);
    expect(await card('orders.completed').textContent()).toContain('1');
    await card('orders.completed').click();
    await page.waitForURL(/\/console\/service-orders\?.*monthBy=served/);
    await settled(page);
    await expect.poll(() => page.getByTestId('drill-tags').textContent()).toContain('（按完成时间）');
    await expect.poll(() => page.locator('tbody').first().textContent()).toContain('FW-E2E-DONE');
    const board = await page.locator('tbody').first().textContent();
    expect(board).not.toContain('FW-E2E-OPEN');
    expect(board).not.toContain('FW-E2E-B1');
    await page.screenshot({ path: path.join(shots, 'supervision-drill-orders.png') });

    // 本月兑换时长 opens the time bank's 兑换记录 of the month in her street: the redemption given
    // back is listed as 已退回 and left out of the total, which is the figure.
    await page.goBack();
    await settled(page);
    expect(await card('timebank.redeemed').textContent()).toContain('1 小时');
    await card('timebank.redeemed').click();
    await page.waitForURL(/\/console\/volunteers\/timebank\?.*month=/);
    await settled(page);
    const redemptions = page.getByTestId('redemptions');
    await expect.poll(() => redemptions.getByTestId('drill-tags').textContent()).toContain('兑换月份：');
    await expect.poll(() => redemptions.locator('tbody tr').count()).toBe(2);
    const rows = await redemptions.locator('tbody').textContent();
    expect(rows).toContain('刘志红');
    expect(rows).toContain('王秀兰（本人）');
    expect(rows).toContain('已退回');
    expect(await redemptions.locator('.ant-statistic').first().textContent()).toContain('60 分钟');
    await page.screenshot({ path: path.join(shots, 'supervision-drill-redemptions.png'), fullPage: true });

    // 重新计算往月: a correction came in after a month was settled; she has that month computed
    // again from its rows. The month before last is chosen; the server replaces its snapshot and
    // the audit log says who did it.
    await page.goto(`${server.url}/console/supervision`);
    await settled(page);
    await page.getByRole('button', { name: '重新计算往月' }).click();
    const dialog = page.getByRole('dialog', { name: '重新计算往月数据' });
    await dialog.getByTestId('recompute-month').click();
    const twoBack = new Date(Date.now() + 8 * 3_600_000);
    twoBack.setUTCDate(1);
    twoBack.setUTCMonth(twoBack.getUTCMonth() - 2);
    const month = twoBack.toISOString().slice(0, 7);
    const label = `${month.slice(0, 4)}年${Number(month.slice(5))}月`;
    await chooseOption(page.locator('.ant-select-item-option', { hasText: label }));
    await page.screenshot({ path: path.join(shots, 'supervision-recompute.png') });
    await dialog.getByRole('button', { name: '重新计算' }).click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain(`已按原始记录重新计算甲街道${label}的`);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const { sql } = await import('drizzle-orm');
    const { queryRows } = await import(path.join(SERVER_SRC, 'lib/sql-rows.ts'));
    const audits = await queryRows(
      server.ctx.db,
      sql`SELECT detail->>'month' AS month, target_id FROM audit_log WHERE action = 'supervision.snapshot.recompute'`,
    );
    expect(audits).toEqual([{ month, target_id: streetA }]);
    await context.close();
  });

  it('the command-centre screen at 1920×1080 colours the communities by a chosen indicator and shows today', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: bureauName, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/screen`);
    const map = page.getByTestId('screen-map');
    await map.waitFor();
    await page.getByTestId('screen-today').waitFor();
    expect(await page.getByTestId('screen-today').textContent()).toContain('今日就餐人次');
    // 在册老人: 甲一 one, 甲二 one, 乙一 one — every outline filled with the strongest shade.
    await page.getByTestId('screen-indicators').getByRole('button', { name: '在册老人' }).click();
    await expect.poll(() => map.locator('path[fill="#13c2c2"]').count()).toBe(3);
    await expect.poll(() => page.getByTestId('screen-map-legend').textContent()).toContain('在册老人（人）');
    // 健康管理率: nobody is contracted, so the two communities with elders 65+ are red.
    await page.getByTestId('screen-indicators').getByRole('button', { name: '健康管理率' }).click();
    await expect.poll(() => map.locator('path[fill="#ff4d4f"]').count()).toBe(3);
    expect(await page.getByTestId('screen-map-legend').textContent()).toContain('≥80%');
    // The wall screen fits 1920×1080 without scrolling, in Chinese only.
    const size = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(size.w).toBeLessThanOrEqual(1920);
    expect(size.h).toBeLessThanOrEqual(1080);
    const text = await page.evaluate(() => document.body.innerText);
    // The alarm priorities are named P1–P3 by design (P1 危及生命), and the map's scale reads m / km.
    const latin = (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => !/^(P[123]|k?m)$/.test(w));
    expect(latin).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'supervision-command-centre.png') });
    await context.close();
  });
});
