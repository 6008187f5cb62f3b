import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

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
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-supervision-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  username = (await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA })).account.username;
  const year = new Date().getFullYear();
  const a = await createElder(server.ctx, f.TREE.communityA1, { name: '王秀兰', birthDate: `${year - 82}-03-02` });
  await createElder(server.ctx, f.TREE.communityA2, { name: '李建国', birthDate: `${year - 91}-01-20` });
  await createElder(server.ctx, f.TREE.communityB1, { name: '赵别街', birthDate: `${year - 70}-01-20` });
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
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
    await context.close();
  });
});
