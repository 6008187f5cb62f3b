import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 智慧安防 in the browser, in zh-CN: an institution's staff member walks a patrol on the phone page
 * at 390×844 — types a checkpoint's code (正常), types a wrong code (refused, said in Chinese),
 * reports a hazard at the next point with a note and a photo — and the hazard then waits for its
 * 整改 on the console's 安防巡查 page, which colours the area on the 风险地图.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let staffUsername = '';
let bureauUsername = '';
let codes: string[] = [];
const PASSWORD = 'Test#Pass2026';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-patrols-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const org = await f.createOrg(server.ctx, 'institution', f.TREE.communityA1, '福寿养老院');
  const staff = await f.clientAs(server.app, server.ctx, 'institution_staff', { orgId: org.id });
  staffUsername = staff.account.username;
  bureauUsername = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).account.username;
  const r = await (staff.api as Api).post(`/api/v1/institutions/${org.id}/patrol-routes`, {
    name: '夜间安全巡查',
    shifts: [
      { name: '白班', start: '08:00', windowMinutes: 720 },
      { name: '夜班', start: '20:00', windowMinutes: 720 },
    ],
    graceMinutes: 30,
    checkpoints: [
      { name: '东侧消防通道', area: '1号楼一层', kind: 'fire_exit' },
      { name: '厨房燃气总阀', area: '厨房', kind: 'gas' },
      { name: '配电室', area: '配电室', kind: 'electrical' },
    ],
  });
  expect(r.statusCode).toBe(201);
  codes = r.json().checkpoints.map((c: { code: string }) => c.code);
  // One run open now (the server's clock decides; the shift times above only make sure runs exist).
  const first = (
    await server.ctx.db.execute(sql`SELECT id FROM patrol_runs WHERE route_id = ${r.json().id} ORDER BY starts_at LIMIT 1`)
  ).rows[0] as { id: string };
  await server.ctx.db.execute(sql`UPDATE patrol_runs SET starts_at = now() - interval '5 minutes',
      due_at = now() + interval '55 minutes', closes_at = now() + interval '85 minutes' WHERE id = ${first.id}`);
  // Only that run: whatever the time, another shift's run may be open too (just after 08:00 or
  // 20:00 China time a new one has started), and the page would offer both.
  await server.ctx.db.execute(sql`DELETE FROM patrol_runs WHERE route_id = ${r.json().id} AND id <> ${first.id}`);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

/** Latin words on a Chinese screen (none expected but the tag codes ZYP-…). */
const foreign = (text: string | null) => (text ?? '').replace(/ZYP-[A-Z2-9]+/g, '').match(/[A-Za-z]{2,}/g) ?? [];
const button = (within: Page, label: string) => within.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

async function loggedIn(username: string, viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
  expect(login.ok()).toBe(true);
  return [context, page];
}

describe('安防巡查 on the phone', () => {
  it('a patrol types the codes: a pass, a wrong code refused, a hazard with note and photo', async () => {
    const [context, page] = await loggedIn(staffUsername, { width: 390, height: 844 });
    await page.goto(`${server.url}/worker/patrol`);
    await button(page, '开始巡查').click();
    const points = page.getByTestId('patrol-points');
    await expect.poll(() => points.textContent()).toContain('东侧消防通道');
    const code = page.getByRole('textbox', { name: '点位编码' });
    // Type a code and wait until the page has taken it (the buttons on). A refused code stays in the
    // field, so the next one replaces it.
    const enter = async (value: string) => {
      await code.fill(value);
      await expect.poll(() => button(page, '发现隐患').isEnabled()).toBe(true);
    };

    await code.fill(codes[0].toLowerCase());
    await button(page, '正常').click();
    await expect.poll(() => page.getByText('已巡 1/3').count()).toBe(1);
    // The next code only once the page has taken the answer and emptied the field. 正常 is found
    // by its name again below: a spinner left in the button after the answer (antd's default one
    // did that when the answer came within a frame) would fail it.
    await expect.poll(() => code.inputValue()).toBe('');

    await enter('ZYP-AAAAAAAAAAAAAAAA');
    await button(page, '正常').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('这不是本路线的巡查点');

    await enter(codes[1]);
    await button(page, '发现隐患').click();
    await page.getByRole('textbox', { name: '隐患描述（必填）' }).fill('燃气软管老化开裂');
    await page.getByLabel('拍照').setInputFiles({ name: 'hazard.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByRole('img', { name: '拍照' }).count()).toBe(1);
    await button(page, '提交隐患').click();
    await expect.poll(() => page.getByText('已巡 2/3').count()).toBe(1);
    const kitchen = points
      .locator('div')
      .filter({ hasText: /^2\. 厨房燃气总阀/ })
      .first();
    await expect.poll(() => kitchen.textContent()).toContain('隐患');
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the user sees.
    expect(foreign(await page.evaluate(() => document.body.innerText))).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'patrol-phone.png'), fullPage: true });
    await context.close();

    // The server has the hazard as a rectification task of the kitchen, with its photo.
    const { sql } = await import('drizzle-orm');
    const rows = await server.ctx.db.execute(
      sql`SELECT h.area, h.status, (SELECT count(*)::int FROM patrol_photos p WHERE p.hazard_id = h.id) AS photos
          FROM patrol_hazards h`,
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ area: '厨房', status: 'open', photos: 1 }]);
  });
});

describe('安防巡查 on the console', () => {
  it('routes with the QR sheet, hazards waiting for 整改, the risk map and the district map', async () => {
    const [context, page] = await loggedIn(staffUsername, { width: 1440, height: 900 });
    await page.goto(`${server.url}/console/institution/patrols`);
    await expect.poll(() => page.getByText('东侧消防通道').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'patrol-routes.png'), fullPage: true });
    await page
      .getByRole('button', { name: /打印点位二维码/ })
      .first()
      .click();
    await expect.poll(() => page.getByTestId('qr-sheet').locator('svg').count()).toBe(3);
    await page.screenshot({ path: path.join(shots, 'patrol-qr-sheet.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: '隐患整改' }).click();
    await expect.poll(() => page.getByText('燃气软管老化开裂').count()).toBe(1);
    await expect.poll(() => page.getByText('待整改').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'patrol-hazards.png'), fullPage: true });
    await page.getByRole('tab', { name: '巡查记录' }).click();
    await page.screenshot({ path: path.join(shots, 'patrol-runs.png'), fullPage: true });
    await page.getByRole('tab', { name: '月度报表' }).click();
    await page.screenshot({ path: path.join(shots, 'patrol-report.png'), fullPage: true });

    await page.goto(`${server.url}/console/institution/risk-map`);
    const kitchen = page.getByTestId('area-tiles').locator('div').filter({ hasText: /^厨房/ }).first();
    await expect.poll(() => kitchen.textContent()).toContain('未整改隐患 1 项，5 分');
    await page.screenshot({ path: path.join(shots, 'patrol-risk-map.png'), fullPage: true });
    await context.close();

    const [bureau, district] = await loggedIn(bureauUsername, { width: 1440, height: 900 });
    await district.goto(`${server.url}/console/institutions/risk-map`);
    await expect.poll(() => district.getByTestId('risk-counts').textContent()).toContain('蓝 1 家');
    await district.screenshot({ path: path.join(shots, 'patrol-district-map.png'), fullPage: true });
    await bureau.close();
  });
});
