import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Api,
  chooseOption,
  clickUntil,
  ensureWebBuild,
  launchBrowser,
  SERVER_SRC,
  type Server,
  screenshotDir,
  WEB_DIST,
} from './support.ts';

/**
 * The 老年人优待证 in the browser, in zh-CN: the elder shows the electronic card on a phone-size page
 * (name, number, validity, QR code), and anyone opening the code's address sees 有效 with the name
 * masked; a tampered code is refused. The QR image is not decoded here (no decoder ships); the test
 * opens the address the page encodes, read from the same API answer the page uses.
 *
 * Then the console page 优待证管理 at 1440×900: a district staff member imports the external data
 * check result file (each row's outcome shown), approves the application in the drawer (the card
 * number and the timeline), reissues and revokes a card with reasons (the codes verify as
 * superseded / revoked), and renews an expired card (a new card, the old one kept as 已换证).
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let elderUsername = '';
let elderApi: Api;
let districtUsername = '';
let staffApi: Api;
/** A walk-in application under check, the result file that answers it, and an expired card. */
let checking: { name: string; idNumber: string };
let expiredCardNo = '';
let resultFile = '';
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
  // Staff names show on the card's timeline: Chinese ones, as on a real desk (the accounts' own are Latin).
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '社区工作人员' WHERE id = ${community.account.id}`);
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '区民政局审批员' WHERE id = ${district.account.id}`);
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
  districtUsername = district.account.username;
  staffApi = district.api as Api;
  // For the console: an application under check, and its answers from 人社 / 公安 / 卫健 as a file.
  const { writeXlsx } = await import(path.join(SERVER_SRC, 'lib/spreadsheet.ts'));
  const c = await createElder(server.ctx, f.TREE.communityA1, { name: '李桂兰', birthDate: `${year - 68}-05-20` });
  expect((await (community.api as Api).post('/api/v1/privilege-cards', { elderId: c.id })).statusCode).toBe(201);
  checking = { name: '李桂兰', idNumber: c.idNumber };
  resultFile = path.join(mkdtempSync(path.join(tmpdir(), 'zy-card-checks-')), '核验结果.xlsx');
  writeFileSync(
    resultFile,
    await writeXlsx(
      '核验结果',
      ['身份证号', '人社', '公安', '卫健', '原因'],
      [
        [c.idNumber, '通过', '通过', '通过', null],
        ['12345', '通过', '通过', '通过', null],
      ],
    ),
  );
  // An issued card that ran out (its expiry moved back: the only way to age a card in a test).
  const old = await createElder(server.ctx, f.TREE.communityA1, { name: '王建国', birthDate: `${year - 75}-01-15` });
  const oa = await (community.api as Api).post('/api/v1/privilege-cards', { elderId: old.id });
  await server.ctx.db.execute(sql`UPDATE privilege_cards SET status = 'passed' WHERE id = ${oa.json().id}`);
  const od = await (district.api as Api).post(`/api/v1/privilege-cards/${oa.json().id}/decisions`, { decision: 'approve' });
  expect(od.statusCode).toBe(200);
  expiredCardNo = od.json().cardNo;
  // An elder of 66 with no card yet, for the walk-in form.
  await createElder(server.ctx, f.TREE.communityA1, { name: '周淑芬', birthDate: `${year - 66}-09-09` });
  await server.ctx.db.execute(sql`UPDATE privilege_cards SET expires_on = '2024-06-30' WHERE id = ${oa.json().id}`);
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

    // When the card comes due (its expiry moved to 30 days ahead, inside the default 90-day window),
    // the elder's page offers 续期; one tap shows the new card, and the old code says it was replaced.
    const { sql } = await import('drizzle-orm');
    await server.ctx.db.execute(sql`UPDATE privilege_cards SET expires_on = CURRENT_DATE + 30 WHERE id = ${mine.card.id}`);
    const again = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const p2 = await again.newPage();
    p2.setDefaultTimeout(15_000);
    expect(
      (await p2.request.post(`${server.url}/api/v1/auth/login`, { data: { username: elderUsername, password: PASSWORD } })).ok(),
    ).toBe(true);
    await p2.goto(`${server.url}/elder`);
    const renew = p2.getByTestId('privilege-card').getByRole('button', { name: '续期' });
    await renew.scrollIntoViewIfNeeded();
    await p2.screenshot({ path: path.join(shots, 'privilege-card-phone-due.png') });
    await renew.click();
    await expect.poll(() => p2.getByTestId('privilege-card-renewed').textContent()).toMatch(/已续期，新证号 \d{16}/);
    const renewed = (await elderApi.get('/api/v1/privilege-card/mine')).json();
    expect(renewed.card.cardNo).not.toBe(mine.card.cardNo);
    await expect.poll(() => p2.getByTestId('privilege-card-no').textContent()).toBe(renewed.card.cardNo);
    expect(await p2.getByTestId('privilege-card').getByRole('button', { name: '续期' }).count()).toBe(0);
    await p2.getByTestId('privilege-card').scrollIntoViewIfNeeded();
    await p2.screenshot({ path: path.join(shots, 'privilege-card-phone-renewed.png') });
    const oldCode = await p2.request.get(`${server.url}/api/v1/verify/card/${encodeURIComponent(mine.qrToken)}`);
    expect((await oldCode.json()).verdict).toBe('replaced');
    await again.close();
  });
});

/** Latin words on a zh-CN page: English or raw codes, except the file types a user picks (as zh-console allows). */
const foreign = (text: string | null) => (text ?? '').replace(/\b(xlsx|csv)\b/g, '').match(/[A-Za-z]{2,}/g) ?? [];

/** An antd button by its label (antd puts a space between two Chinese characters). */
const button = (within: Page | Locator, label: string) =>
  within.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

describe('优待证管理 on the console', () => {
  it('district staff import the check results, approve, reissue, revoke and renew, all in Chinese', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: districtUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    // The menu leads to the page.
    await page.getByRole('menuitem', { name: '优待证管理' }).click();
    await page.waitForURL(/\/console\/privilege-cards$/);
    const main = page.locator('.ant-card').first();
    const row = (name: string) => main.locator('.ant-table-row', { hasText: name });
    await expect.poll(() => row(checking.name).textContent()).toContain('核验中');
    // The ID number is masked in the list; no English or raw codes on the page.
    const listText = await main.textContent();
    expect(listText).not.toContain(checking.idNumber);
    expect(listText).toContain(checking.idNumber.slice(-4));
    expect(foreign(listText)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-applications.png') });

    // A walk-in application: the elder found in the archive by name, then under check in the list.
    await button(main, '代办申请').click();
    const form = page.locator('.ant-modal', { hasText: '代办申请' });
    await form.locator('.ant-select input').fill('周淑芬');
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '周淑芬' }));
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-walk-in.png') });
    await clickUntil(button(form, '确定'), async () => (await row('周淑芬').textContent())?.includes('核验中'));
    expect(await row('周淑芬').textContent()).toContain('社区代办');

    // The external data check: the file the bureaus sent back, each row's outcome.
    await page.getByRole('tab', { name: '核验结果导入' }).click();
    await main.locator('input[type=file]').setInputFiles(resultFile);
    await button(page, '导入').click();
    const summary = page.getByTestId('check-import-summary');
    await expect.poll(() => summary.textContent()).toContain('核验通过 1 人');
    expect(await summary.textContent()).toContain('未处理 1 行');
    const rows = page.getByTestId('check-import-rows');
    expect(await rows.locator('.ant-table-row', { hasText: checking.name }).textContent()).toContain('核验通过');
    expect(await rows.locator('.ant-table-row').nth(1).textContent()).toContain('身份证号格式不对');
    expect(foreign(await main.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-import.png') });

    // Approve in the drawer: the card number appears, the timeline has every step.
    await page.getByRole('tab', { name: '申请审核' }).click();
    await expect.poll(() => row(checking.name).textContent()).toContain('核验通过');
    await row(checking.name)
      .getByRole('button', { name: /查\s*看/ })
      .click();
    const drawer = page.getByRole('dialog', { name: /优待证详情/ });
    await button(drawer, '通过并发证').click();
    await expect.poll(() => page.getByTestId('drawer-card-no').textContent()).toMatch(/^\d{16}$/);
    const cardNo = await page.getByTestId('drawer-card-no').textContent();
    const timeline = page.getByTestId('card-timeline');
    await expect.poll(() => timeline.textContent()).toContain('区民政局审批通过，发证');
    expect(await timeline.textContent()).toContain('录入外部数据核验结果');
    expect(await timeline.textContent()).toContain('社区代办申请');
    expect(await drawer.textContent()).toContain('已发证');
    expect(foreign(await drawer.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-approved.png') });
    const issued = (await staffApi.get(`/api/v1/privilege-cards?status=issued&limit=100`))
      .json()
      .items.find((x: { cardNo: string }) => x.cardNo === cardNo);
    expect(issued).toMatchObject({ elderName: checking.name, version: 1 });
    const verdict = async (version: number) => {
      const { signCardToken } = await import(path.join(SERVER_SRC, 'modules/privilege-cards/privilege-cards.token.ts'));
      const r = await page.request.get(
        `${server.url}/api/v1/verify/card/${signCardToken((server.ctx as unknown as { config: { secretKey: Buffer } }).config.secretKey, cardNo, version)}`,
      );
      return (await r.json()).verdict as string;
    };
    expect(await verdict(1)).toBe('valid');

    // Reissue with a reason: the old code is void, the new one valid.
    await button(drawer, '补发').click();
    const modal = page.locator('.ant-modal');
    await modal.locator('textarea').fill('手机丢失');
    await clickUntil(button(modal, '确定'), async () => (await timeline.textContent())?.includes('补发（旧二维码作废） · '));
    expect(await timeline.textContent()).toContain('手机丢失');
    expect(await verdict(1)).toBe('superseded');
    expect(await verdict(2)).toBe('valid');

    // Revoke with a reason: refused without one, then the code verifies as revoked.
    await button(drawer, '注销').click();
    await clickUntil(button(modal, '确定'), async () => (await modal.locator('.ant-form-item-explain-error').count()) === 1);
    await modal.locator('textarea').fill('冒用他人证件');
    await clickUntil(button(modal, '确定'), async () =>
      (await drawer.locator('.ant-descriptions').textContent())?.includes('已注销'),
    );
    expect(await drawer.textContent()).toContain('冒用他人证件');
    expect(await verdict(2)).toBe('revoked');
    // No action is left on a revoked card.
    expect(await button(drawer, '补发').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-revoked.png') });
    await page.locator('.ant-drawer-close').click();

    // Renewal: the issued cards due for renewal; the expired one is renewed as a new card.
    await page.getByRole('tab', { name: '已发证' }).click();
    await main.getByRole('checkbox', { name: '只看可续期' }).check();
    // The unfiltered list already shows 王建国 as 已过期: wait for the filtered one, a single row.
    await expect.poll(() => main.locator('.ant-table-row').count()).toBe(1);
    expect(await row('王建国').textContent()).toContain('已过期');
    await row('王建国')
      .getByRole('button', { name: /查\s*看/ })
      .click();
    await button(drawer, '续期').click();
    expect(await modal.textContent()).toContain(expiredCardNo);
    // The drawer now shows the new card; the history lists the old one as replaced.
    await clickUntil(button(modal, '确定'), async () => {
      const no = await page.getByTestId('drawer-card-no').textContent();
      return !!no && no !== expiredCardNo;
    });
    const renewedNo = await page.getByTestId('drawer-card-no').textContent();
    expect(renewedNo).toMatch(/^\d{16}$/);
    const history = drawer.locator('.ant-table');
    await expect.poll(() => history.textContent()).toContain(expiredCardNo);
    expect(await history.locator('.ant-table-row', { hasText: expiredCardNo }).textContent()).toContain('已换证');
    expect(await timeline.textContent()).toContain('续期换发新证');
    expect(foreign(await drawer.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'privilege-cards-console-renewed.png') });
    await context.close();
  });
});
