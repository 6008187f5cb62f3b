import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
 * The canteen's console pages in zh-CN: today's meals with the day's figures, a same-day refund
 * with its reason, and the week's menus set per meal period. Every page reads in Chinese.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let username = '';
let bureauName = '';
let workerName = '';
let communityName = '';
const PASSWORD = 'Test#Pass2026';
const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-meals-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const canteen = await f.createOrg(server.ctx, 'canteen', f.TREE.communityA1, '甲一社区长寿食堂');
  const kitchen = await f.clientAs(server.app, server.ctx, 'canteen_staff', { orgId: canteen.id });
  username = kitchen.account.username;
  const bureau = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
  bureauName = bureau.account.username;
  const policy = await bureau.api.post('/api/v1/policies', {
    name: '高龄助餐补贴',
    kind: 'purchase_credit',
    amount: 3000,
    period: 'month',
    regionCode: f.TREE.district,
    conditions: { minAge: 80 },
    validFrom: `${today.slice(0, 4)}-01-01`,
    prorate: false,
  });
  expect(policy.statusCode, policy.body).toBe(201);
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '周芳' WHERE id = ${kitchen.account.id}`);
  const k = kitchen.api as Api & { put: Api['post'] };
  expect(
    (
      await k.put(`/api/v1/canteens/${canteen.id}/profile`, {
        communities: [f.TREE.communityA1],
        deliveryCommunities: [f.TREE.communityA2],
      })
    ).statusCode,
  ).toBe(200);
  const dish = await k.post(`/api/v1/canteens/${canteen.id}/dishes`, {
    name: '清炒时蔬',
    category: 'vegetable',
    priceFen: 800,
    healthTags: ['low_salt'],
  });
  await k.post(`/api/v1/canteens/${canteen.id}/dishes`, { name: '南瓜小米粥', category: 'porridge', priceFen: 300 });
  expect(
    (await k.put(`/api/v1/canteens/${canteen.id}/menus/${today}/lunch`, { items: [{ dishId: dish.json().id }] })).statusCode,
  ).toBe(200);
  const elder = await createElder(server.ctx, f.TREE.communityA1, { name: '张秀英' });
  // A delivery booked by the call centre for today's lunch, to an elder at home in 甲二社区.
  const homeBound = await createElder(server.ctx, f.TREE.communityA2, {
    name: '孙淑芬',
    lat: 30.6,
    lng: 104.0,
    address: '甲二社区3栋',
  });
  const operator = await f.clientAs(server.app, server.ctx, 'operator', { regionCode: f.TREE.district });
  const booked = await operator.api.post(`/api/v1/canteens/${canteen.id}/deliveries`, {
    elderId: homeBound.id,
    day: today,
    period: 'lunch',
    items: [{ dishId: dish.json().id }],
    note: '腿脚不便，请敲门',
  });
  expect(booked.statusCode, booked.body).toBe(201);
  // 周德明 at home in 甲二社区, booked from the canteen's console; a provider serving 甲二 takes it.
  await createElder(server.ctx, f.TREE.communityA2, { name: '周德明', lat: 30.6, lng: 104.0, address: '甲二社区5栋2单元' });
  const { createServiceProvider } = await import(path.join(SERVER_SRC, 'testing/service.ts'));
  const provider = await createServiceProvider(server.ctx, {
    regionCode: f.TREE.streetA,
    communities: [f.TREE.communityA2],
    site: { lat: 30.6, lng: 104.0 },
    name: '安康居家服务社',
  });
  workerName = provider.worker.username;
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '王师傅' WHERE id = ${provider.worker.id}`);
  // A missed-meal signal for 张秀英 (a regular diner away for 4 days) on her community worker's list.
  const community = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  communityName = community.account.username;
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '社区李敏' WHERE id = ${community.account.id}`);
  await server.ctx.db.execute(
    sql`INSERT INTO meal_signals (elder_id, region_code, day, last_meal_day, days_absent, meals_in_window, canteen_id)
        VALUES (${elder.id}, ${f.TREE.communityA1}, ${today}::date, ${today}::date - 4, 4, 9, ${canteen.id})`,
  );
  const m = await kitchen.api.post(
    `/api/v1/canteens/${canteen.id}/meals`,
    { elderId: elder.id, period: 'lunch', items: [{ dishId: dish.json().id }], payMethod: 'cash' },
    { 'idempotency-key': 'e2e-meal-1' },
  );
  expect(m.statusCode, JSON.stringify(m.json())).toBe(201);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

async function signIn(name: string) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username: name, password: PASSWORD } });
  expect(login.ok()).toBe(true);
  return { context, page };
}

async function settled(page: Page) {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count()).toBe(0);
}

/** Latin words on the page other than the login name: English or a raw code slipped through. */
async function latin(page: Page) {
  const text = await page.evaluate(() => document.body.innerText);
  return (text.match(/[A-Za-z][A-Za-z0-9_-]*/g) ?? []).filter((w) => w !== username && w !== bureauName);
}

describe('the canteen in the console', () => {
  it('sees today’s meals, refunds one with a reason, and sets a menu', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);

    await page.goto(`${server.url}/console/meals/today`);
    await settled(page);
    const row = page.locator('tr', { hasText: '张秀英' });
    await expect.poll(() => row.textContent()).toContain('已就餐');
    expect(await row.textContent()).toContain('清炒时蔬');
    expect(await row.textContent()).toContain('8.00 元');
    expect(await row.textContent()).toContain('现金');
    expect(await latin(page)).toEqual([]);
    await row.getByRole('button', { name: /退\s*餐/ }).click();
    const dialog = page.locator('.ant-modal');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定|OK/ }), dialog.getByText('请填写退餐原因'));
    await dialog.locator('input').fill('老人临时有事');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定|OK/ }), async () =>
      (await row.textContent())?.includes('已退餐'),
    );
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-today.png') });

    await page.goto(`${server.url}/console/meals/menus`);
    await settled(page);
    const first = page.locator('tbody tr').first();
    await expect.poll(() => first.textContent()).toContain('清炒时蔬');
    expect(await first.textContent()).toContain('未设置');
    expect(await latin(page)).toEqual([]);
    // The dinner of today: the third meal column's 设置 button.
    await first.locator('td').nth(3).getByRole('button').click();
    const menuDialog = page.locator('.ant-modal').last();
    await menuDialog.locator('.ant-select').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '南瓜小米粥' }));
    // A multiple choice keeps its list open over the dialog's buttons: close it first.
    await menuDialog.locator('.ant-modal-title').click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await clickUntil(menuDialog.getByRole('button', { name: /确\s*定|OK/ }), async () =>
      (await first.locator('td').nth(3).textContent())?.includes('南瓜小米粥'),
    );
    await page.screenshot({ path: path.join(shots, 'meals-menus.png') });
    await context.close();
  });

  it('statements: the bureau draws up last month, the canteen confirms, the bureau approves and exports', async () => {
    const lastMonth = `${today.slice(0, 7)}-01`;
    const month = new Date(`${lastMonth}T00:00:00Z`);
    month.setUTCMonth(month.getUTCMonth() - 1);
    const period = month.toISOString().slice(0, 7);
    const district = await signIn(bureauName);
    const b = district.page;
    await b.goto(`${server.url}/console/meals/statements`);
    await settled(b);
    await b.locator('.ant-card-extra .ant-select').click();
    await chooseOption(b.locator('.ant-select-item-option', { hasText: '甲一社区长寿食堂' }));
    // Its closed list keeps the option values (ids) for screen readers until it is gone.
    await b.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    await b.getByRole('button', { name: '生成月结单' }).click();
    const row = (p: Page) => p.locator('tr', { hasText: period });
    await expect.poll(() => row(b).textContent()).toContain('草稿');
    expect(await row(b).textContent()).toContain('甲一社区长寿食堂');
    // The bureau does not confirm for the canteen.
    expect(
      await row(b)
        .getByRole('button', { name: /确\s*认/ })
        .count(),
    ).toBe(0);
    expect(await latin(b)).toEqual([]);

    const kitchen = await signIn(username);
    const k = kitchen.page;
    await k.goto(`${server.url}/console/meals/statements`);
    await settled(k);
    expect(await k.locator('.ant-card-extra').getByRole('button', { name: '生成月结单' }).count()).toBe(0);
    await row(k)
      .getByRole('button', { name: /确\s*认/ })
      .click();
    await expect.poll(() => row(k).textContent()).toContain('食堂已确认');
    expect(
      await row(k)
        .getByRole('button', { name: /审\s*批/ })
        .count(),
    ).toBe(0);
    await kitchen.context.close();

    await b.reload();
    await settled(b);
    await row(b)
      .getByRole('button', { name: /审\s*批/ })
      .click();
    await expect.poll(() => row(b).textContent()).toContain('民政局已审批');
    expect(await latin(b)).toEqual([]);
    const href = await row(b)
      .getByRole('link', { name: /导\s*出/ })
      .getAttribute('href');
    const xlsx = await b.request.get(new URL(href ?? '', server.url).toString());
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await b.screenshot({ path: path.join(shots, 'meals-statements.png') });
    await district.context.close();
  });

  it('subsidy rules: the bureau makes a policy a meal subsidy; the server’s limit shows on its field', async () => {
    const { context, page } = await signIn(bureauName);
    await page.goto(`${server.url}/console/meals/subsidy-rules`);
    await settled(page);
    expect(await page.locator('.ant-table').textContent()).toContain('暂无助餐补贴规则');
    await page.getByRole('button', { name: '设为助餐政策' }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.locator('.ant-select').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '高龄助餐补贴' }));
    await page.locator('.ant-select-dropdown').waitFor({ state: 'hidden' });
    const lunch = dialog.locator('.ant-form-item', { hasText: '午餐每餐补贴' });
    // 2000 yuan a meal is above the API's limit (100000 fen): the server says so, on 午餐.
    await lunch.locator('input').fill('2000');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定|OK/ }), lunch.getByText('不能大于 1000.00 元'));
    await lunch.locator('input').fill('3');
    await dialog.locator('.ant-form-item', { hasText: '每日补贴上限' }).locator('input').fill('5');
    const row = page.locator('tr', { hasText: '高龄助餐补贴' });
    await clickUntil(dialog.getByRole('button', { name: /确\s*定|OK/ }), async () =>
      (await row.textContent())?.includes('3.00 元'),
    );
    expect(await row.textContent()).toContain('5.00 元');
    expect(await row.textContent()).toContain('不补贴');
    expect(await row.textContent()).toContain('80 岁');
    await dialog.waitFor({ state: 'hidden' });
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-rules.png') });
    await context.close();
  });

  it('delivery round: the canteen checks off a meal at a door 2 km from the address and sees it flagged', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.62, longitude: 104.0 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console/meals/deliveries`);
    await settled(page);
    const row = page.locator('tr', { hasText: '孙淑芬' });
    await expect.poll(() => row.textContent()).toContain('待送餐');
    expect(await row.textContent()).toContain('甲二社区3栋');
    expect(await row.textContent()).toContain('清炒时蔬');
    expect(await row.textContent()).toContain('腿脚不便');
    expect(await page.getByText('待送 1 份').count()).toBe(1);
    await row.getByRole('button', { name: /送\s*达/ }).click();
    await expect.poll(() => row.textContent()).toContain('已送达');
    expect(await row.textContent()).toMatch(/距登记地址 2\d{3} 米/);
    expect(await page.getByText('待送 0 份').count()).toBe(1);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-deliveries.png') });
    await context.close();
  });

  it('statistics: the bureau sees the delivered meal counted, its dish on top and the chart drawn', async () => {
    const { context, page } = await signIn(bureauName);
    await page.goto(`${server.url}/console/meals/stats`);
    await settled(page);
    // The meal checked off at the door (the one refunded at the counter does not count).
    const figures = page.locator('.ant-statistic');
    await expect.poll(() => figures.nth(0).textContent()).toContain('就餐人次1');
    expect(await figures.nth(1).textContent()).toContain('服务老人1');
    expect(await page.locator('.ant-card', { hasText: '热门菜品' }).last().textContent()).toContain('清炒时蔬');
    expect(await page.locator('.ant-card', { hasText: '各食堂每日就餐人次' }).last().locator('canvas').count()).toBe(1);
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-stats.png') });
    await context.close();
  });

  it('送餐: the canteen books a delivery for an elder it finds by name, hands it to a provider, whose worker checks it off on the phone', async () => {
    const { context, page } = await signIn(username);
    await page.goto(`${server.url}/console/meals/deliveries`);
    await settled(page);
    await page.getByRole('button', { name: '预订送餐' }).click();
    const dialog = page.getByRole('dialog', { name: '预订送餐' });
    await dialog.getByLabel('老人').fill('周德明');
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '周德明' }));
    await dialog.getByRole('combobox', { name: '菜品' }).click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '清炒时蔬' }));
    await dialog.getByText('预订送餐', { exact: true }).click(); // closes the list over the buttons
    await dialog.getByLabel('备注（选填）').fill('老人独居，请送到门口');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), async () => !(await dialog.isVisible()));
    const row = page.locator('tr', { hasText: '周德明' });
    await expect.poll(() => row.textContent()).toContain('待送餐');
    expect(await row.textContent()).toContain('本食堂配送');
    await row.getByRole('button', { name: '交给服务商' }).click();
    const hand = page.getByRole('dialog', { name: /交给服务商送餐/ });
    await hand.getByRole('combobox', { name: '选择服务商' }).click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '安康居家服务社' }));
    await hand.getByRole('combobox', { name: '服务人员' }).click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '王师傅' }));
    await hand.getByText(/服务商的服务人员会在手机上/).click();
    await page.screenshot({ path: path.join(shots, 'meals-delivery-handover.png') });
    await clickUntil(hand.getByRole('button', { name: /确\s*定/ }), async () => !(await hand.isVisible()));
    await expect.poll(() => row.textContent()).toContain('安康居家服务社 · 王师傅');
    // Polled: while the closing dialog fades out its cleared selects may show a raw id for a moment.
    await expect.poll(() => latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-deliveries-booked.png') });

    // The provider's worker, at the door (about 30 m from the recorded address), on a phone.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.6002, longitude: 104.0002 },
      permissions: ['geolocation'],
    });
    const w = await phone.newPage();
    w.setDefaultTimeout(15_000);
    const login = await w.request.post(`${server.url}/api/v1/auth/login`, { data: { username: workerName, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    await w.goto(`${server.url}/worker`);
    const round = w.getByTestId('meal-round');
    await round.getByText('今日送餐').waitFor();
    // The round's list arrives after its title: wait for it.
    await expect.poll(() => round.textContent()).toContain('周德明');
    expect(await round.textContent()).toContain('甲二社区5栋2单元');
    expect(await round.textContent()).toContain('待送 1 份');
    await w.screenshot({ path: path.join(shots, 'worker-meal-round.png'), fullPage: true });
    await round.getByRole('button', { name: /已送达/ }).click();
    await w.getByText('已送达，餐费和补贴已结算').waitFor();
    await expect.poll(() => round.textContent()).toContain('待送 0 份');
    expect(await latin(w)).toEqual([]);
    await w.screenshot({ path: path.join(shots, 'worker-meal-delivered.png'), fullPage: true });
    await phone.close();

    // Settled as the canteen's own check-off: the canteen's page shows it delivered, not far.
    await page.getByRole('button', { name: /刷\s*新/ }).click();
    await expect.poll(() => row.textContent()).toContain('已送达');
    expect(await row.textContent()).not.toContain('距登记地址');
    await context.close();
  });

  it('未就餐提醒: the community worker records a call on a signal and it leaves the open list', async () => {
    const { context, page } = await signIn(communityName);
    await page.goto(`${server.url}/console/meals/signals`);
    await settled(page);
    const row = page.locator('tr', { hasText: '张秀英' });
    await expect.poll(() => row.textContent()).toContain('4 天');
    expect(await row.textContent()).toContain('甲一社区长寿食堂');
    expect(await row.textContent()).toContain('待处理');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-signals.png') });
    await row.getByRole('button', { name: '已联系' }).click();
    const dialog = page.getByRole('dialog', { name: /张秀英：已联系/ });
    // 确定 with no note is refused with a message in the dialog.
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), dialog.getByText('请填写处理情况（至少2个字）'));
    await dialog.getByLabel('处理情况').fill('女儿接去家里住几天，下周回来吃饭');
    await clickUntil(dialog.getByRole('button', { name: /确\s*定/ }), async () => !(await dialog.isVisible()));
    await expect.poll(() => row.count()).toBe(0);
    await page.getByText('已处理', { exact: true }).click();
    const handled = page.locator('tr', { hasText: '张秀英' });
    await expect.poll(() => handled.textContent()).toContain('已联系');
    expect(await handled.textContent()).toContain('女儿接去家里住几天');
    expect(await handled.textContent()).toContain('社区李敏');
    expect(await latin(page)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'meals-signals-handled.png') });
    await context.close();
  });
});
