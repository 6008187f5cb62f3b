import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * The 老年人优待证 in the browser, in zh-CN: the elder shows the electronic card on a phone-size page
 * (name, number, validity, QR code), and anyone opening the code's address sees 有效 with the name
 * masked; a tampered code is refused. The QR image is not decoded here (no decoder ships); the test
 * opens the address the page encodes, read from the same API answer the page uses.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let elderUsername = '';
let elderApi: Api;
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-privilege-cards-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  const community = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  const year = new Date().getUTCFullYear();
  const e = await createElder(server.ctx, f.TREE.communityA1, { name: '张秀英', birthDate: `${year - 72}-03-08` });
  const a = await (community.api as Api).post('/api/v1/privilege-cards', { elderId: e.id });
  expect(a.statusCode).toBe(201);
  // The three sources' answers as the import records them (the import itself is tested on the server).
  await server.ctx.db.execute(sql`UPDATE privilege_cards SET status = 'passed' WHERE id = ${a.json().id}`);
  const d = await (district.api as Api).post(`/api/v1/privilege-cards/${a.json().id}/decisions`, { decision: 'approve' });
  expect(d.statusCode).toBe(200);
  const self = await f.clientAs(server.app, server.ctx, 'elder');
  await server.ctx.db.execute(sql`UPDATE users SET elder_id = ${e.id} WHERE id = ${self.account.id}`);
  elderUsername = self.account.username;
  elderApi = self.api as Api;
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

describe('老年人优待证 on the phone', () => {
  it('the elder shows the card with its QR code; anyone verifies it; a tampered code is refused', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: elderUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/elder`);
    const card = page.getByTestId('privilege-card');
    await expect.poll(() => card.textContent()).toContain('张秀英');
    const mine = (await elderApi.get('/api/v1/privilege-card/mine')).json();
    expect(await page.getByTestId('privilege-card-no').textContent()).toBe(mine.card.cardNo);
    expect(await card.textContent()).toContain('有效期');
    // The QR code is drawn (antd's QRCode renders a canvas) and fits the phone's width.
    const qr = card.locator('canvas');
    await expect.poll(() => qr.count()).toBe(1);
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(150);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(390);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'privilege-card-phone.png'), fullPage: true });
    await context.close();

    // Anyone, not logged in, opens the address of the code.
    const anyone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const v = await anyone.newPage();
    v.setDefaultTimeout(15_000);
    await v.goto(`${server.url}/verify/card/${encodeURIComponent(mine.qrToken)}`);
    await expect.poll(() => v.getByTestId('verify-verdict').textContent()).toBe('有效');
    expect(await v.getByTestId('verify-holder').textContent()).toBe('张*英');
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the user sees.
    const text = await v.evaluate(() => document.body.innerText);
    expect(text).toContain(mine.card.cardNo);
    expect(text).not.toContain('张秀英');
    await v.screenshot({ path: path.join(shots, 'privilege-card-verify.png'), fullPage: true });
    const [no, ver, sig] = (mine.qrToken as string).split('.');
    await v.goto(`${server.url}/verify/card/${no}.${Number(ver) + 1}.${sig}`);
    await expect.poll(() => v.getByTestId('verify-error').textContent()).toContain('不是有效的优待证二维码');
    await anyone.close();
  });
});
