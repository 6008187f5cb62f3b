import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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
 * 检查评级 in the browser at 1440×900, in zh-CN: the institution has handed in its self-assessment
 * and the assessor (the bureau) has scored all but one item through the API; in the console the
 * assessor opens the inspection, sees both scores side by side, scores the last item, finishes,
 * and the grade (四级) appears; the operating status page shows it too, and the institution's
 * own staff see their inspection with its result.
 */
type FullApi = Api & { put: Api['post'] };
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let adminUsername = '';
let staffUsername = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-inspections-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const org = await f.createOrg(server.ctx, 'institution', f.TREE.communityA1, '福寿养老院');
  await f.createOrg(server.ctx, 'community_centre', f.TREE.communityA1, '幸福社区服务中心');
  const admin = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  const staff = await f.clientAs(server.app, server.ctx, 'institution_staff', { orgId: org.id });
  adminUsername = admin.account.username;
  const { sql } = await import('drizzle-orm');
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '陈敏' WHERE id = ${admin.account.id}`);
  staffUsername = staff.account.username;
  const a = admin.api as FullApi;
  const templates = (await a.get('/api/v1/inspection-templates')).json().items;
  const gbt = templates.find((t: { code: string }) => t.code === 'gbt37276');
  const dueOn = new Date(Date.now() + 8 * 3600_000 + 20 * 86400_000).toISOString().slice(0, 10);
  const round = await a.post('/api/v1/inspection-rounds', {
    kind: 'quarterly',
    periodCode: '2026Q4',
    name: '2026年第四季度检查',
    dueOn,
    institutionTemplateId: gbt.id,
    centreTemplateId: null,
  });
  expect(round.statusCode).toBe(201);
  const [inspection] = (await a.get('/api/v1/inspections')).json().items;
  const items: Array<{ code: string; max: number }> = gbt.items;
  const self = await (staff.api as FullApi).put(`/api/v1/inspections/${inspection.id}/self-assessment`, {
    scores: items.map((i) => ({ itemCode: i.code, score: i.max })),
    submit: true,
  });
  expect(self.statusCode).toBe(200);
  // The assessor's scores for all items but the last (居家上门服务, 30): 1000 − 30 − 100 − 100 − 10 = 760 with 0 for it.
  const scores = items
    .filter((i) => i.code !== 'svc_home')
    .map((i) => ({ itemCode: i.code, score: i.code === 'svc_daily' || i.code === 'svc_medical' ? 0 : i.max }));
  const mealsLine = scores.find((s) => s.itemCode === 'svc_meals');
  if (mealsLine) mealsLine.score = 50;
  expect((await a.put(`/api/v1/inspections/${inspection.id}/scores`, { scores })).statusCode).toBe(200);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

/** Latin words on a Chinese screen (none expected but the names of national standards, GB and GB/T, and the period code). */
const foreign = (text: string | null) =>
  (text ?? '')
    .replace(/\bGB(\/T)?\b/g, '')
    .replace(/\d{4}Q\d/g, '')
    .match(/[A-Za-z]{2,}/g) ?? [];
const button = (within: Page | Locator, label: string) =>
  within.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

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
  return { context, page };
}

describe('检查评级 on the console', () => {
  it('the assessor scores the last item side by side with the self-assessment, finishes, and the grade appears', async () => {
    const { context, page } = await loggedIn(adminUsername);
    await page.goto(`${server.url}/console/institutions/inspections`);
    const row = page.locator('.ant-table-row', { hasText: '福寿养老院' });
    await expect.poll(() => row.textContent()).toContain('评审中');
    expect(await row.textContent()).toContain('1000');
    await button(row, '打开').click();
    const item = page.locator('.ant-table-row', { hasText: '居家上门服务' });
    // The institution's own score (30) beside the assessor's input.
    await expect.poll(() => item.textContent()).toContain('30');
    await item.getByRole('spinbutton', { name: 'svc_home' }).fill('10');
    expect(foreign((await page.locator('.ant-card').allTextContents()).join(' '))).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'inspection-scoring.png') });
    await button(page, '完成评级').click();
    await clickUntil(
      button(page.locator('.ant-popover'), '确 定').or(button(page.locator('.ant-popover'), '确定')),
      async () => (await page.getByTestId('inspection-result').textContent()) === '已完成评级：总分 770，四级',
    );
    await expect.poll(() => row.textContent()).toContain('四级');
    expect((await row.textContent()) ?? '').toContain('770 / 1000');
    await page.screenshot({ path: path.join(shots, 'inspection-graded.png'), fullPage: true });

    // The operating status lists the institution with its last inspection and grade, and the centre.
    await page.getByRole('menuitem', { name: '运营状态' }).click();
    await page.waitForURL(/\/console\/institutions\/status$/);
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(2);
    const status = page.locator('.ant-table-row', { hasText: '福寿养老院' });
    await expect.poll(() => status.textContent()).toContain('四级');
    expect(await status.textContent()).toContain('2026Q4 · 770');
    expect(await page.locator('.ant-table-row', { hasText: '幸福社区服务中心' }).textContent()).toContain('社区服务中心');
    await page.screenshot({ path: path.join(shots, 'operating-status.png') });
    expect(foreign((await page.locator('.ant-card').allTextContents()).join(' '))).toEqual([]);
    await context.close();
  });

  it('the institution’s own staff see only their inspection with the result', async () => {
    const { context, page } = await loggedIn(staffUsername);
    await page.goto(`${server.url}/console/institutions/inspections`);
    const rows = page.locator('.ant-table-row');
    await expect.poll(() => rows.first().textContent()).toContain('四级');
    expect(await rows.count()).toBe(1);
    await button(rows.first(), '打开').click();
    await expect.poll(() => page.getByTestId('inspection-result').textContent()).toContain('四级');
    await page.screenshot({ path: path.join(shots, 'inspection-institution.png') });
    await context.close();
  });
});
