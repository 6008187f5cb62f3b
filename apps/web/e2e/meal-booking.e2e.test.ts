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

// 预订送餐 on the phone pages (390×844, zh-CN): the family books tomorrow's lunch delivered from
// the canteen — day, meal, dish with its subsidised price, confirm — sees it under 我的送餐 and
// cancels it; the elder sees the card on her own page. Then the call centre's agent books one for
// the same elder from a hand-logged call (1440×900). Server helpers are imported by path.

let server: Server;
let browser: Browser;
let shots: string;
let familyUsername: string;
let elderUsername: string;
let operatorUsername: string;
/** The server test client (support.ts's Api has no put). */
type Client = Api & { put(url: string, body?: unknown): Promise<{ statusCode: number; json(): any }> };
let kitchen: Client;
let tomorrow: string;
let today: string;
let canteenId: string;
let elderId: string;
let softId: string;
let providerId: string;
let workerUsername: string;
const PASSWORD = 'Test#Pass2026';

async function context(username: string, viewport: { width: number; height: number }, extra: object = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
  expect(login.ok()).toBe(true);
  return { ctx, page };
}

/** 适老化 inside the card: no visible text under 22 px, no button under 56 px tall. */
async function checkSizes(page: Page) {
  const bad = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('[data-testid="meal-delivery"] *')) as HTMLElement[]) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent?.trim());
      if (own && Number.parseFloat(getComputedStyle(el).fontSize) < 22) out.push(`text ${el.textContent?.slice(0, 20)}`);
      if (el.tagName === 'BUTTON' && el.getBoundingClientRect().height < 56) out.push(`target ${el.textContent?.slice(0, 20)}`);
    }
    return out;
  });
  expect(bad).toEqual([]);
}

const deliveries = async () =>
  (await kitchen.get(`/api/v1/meal-deliveries?day=${tomorrow}`)).json().items as Array<{
    status: string;
    bookedVia: string;
    note: string | null;
  }>;

describe('预订送餐 on the phone pages and in the call centre', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { runGrant } = await import(path.join(SERVER_SRC, 'modules/policies/policies.service.ts'));
    const { addDays, cstDate } = await import(path.join(SERVER_SRC, 'lib/dates.ts'));
    const { eq } = await import('drizzle-orm');
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    today = cstDate();
    tomorrow = addDays(today, 1);
    const year = Number(today.slice(0, 4));
    const canteen = await f.createOrg(server.ctx, 'canteen', f.TREE.communityA1, '甲一社区长寿食堂');
    canteenId = canteen.id;
    kitchen = (await f.clientAs(server.app, server.ctx, 'canteen_staff', { orgId: canteen.id })).api as Client;
    expect(
      (
        await kitchen.put(`/api/v1/canteens/${canteen.id}/profile`, {
          address: '甲一社区活动中心一楼',
          communities: [f.TREE.communityA1],
          deliveryCommunities: [f.TREE.communityA2],
        })
      ).statusCode,
    ).toBe(200);
    const soft = await kitchen.post(`/api/v1/canteens/${canteen.id}/dishes`, {
      name: '软烂午餐',
      category: 'set_meal',
      priceFen: 1200,
      healthTags: ['soft', 'low_salt'],
    });
    const porridge = await kitchen.post(`/api/v1/canteens/${canteen.id}/dishes`, {
      name: '南瓜小米粥',
      category: 'porridge',
      priceFen: 300,
    });
    softId = soft.json().id;
    for (const [day, period, ids] of [
      [tomorrow, 'lunch', [soft.json().id, porridge.json().id]],
      [tomorrow, 'dinner', [soft.json().id]],
      [addDays(today, 2), 'lunch', [soft.json().id]],
    ] as const)
      expect(
        (
          await kitchen.put(`/api/v1/canteens/${canteen.id}/menus/${day}/${period}`, {
            items: ids.map((dishId) => ({ dishId })),
          })
        ).statusCode,
      ).toBe(200);
    const elder = await createElder(server.ctx, f.TREE.communityA2, {
      name: '孙淑芬',
      birthDate: `${year - 88}-04-01`,
      address: '甲二社区3栋2单元101',
    });
    elderId = elder.id;
    for (const role of ['elder', 'family'] as const) {
      const account = await f.createAccount(server.ctx, role);
      await server.ctx.db.update(users).set({ elderId: elder.id }).where(eq(users.id, account.id));
      if (role === 'elder') elderUsername = account.username;
      else familyUsername = account.username;
    }
    // 80+: 5 yuan per lunch, 3 per dinner.
    const bureau = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Client;
    const p = await bureau.post('/api/v1/policies', {
      name: '高龄助餐补贴',
      kind: 'purchase_credit',
      amount: 3000,
      period: 'month',
      regionCode: f.TREE.district,
      conditions: { minAge: 80 },
      validFrom: `${year - 1}-01-01`,
      prorate: false,
    });
    await bureau.post(`/api/v1/policies/${p.json().id}/activate`);
    await bureau.put(`/api/v1/meal-subsidy-rules/${p.json().id}`, { perMealFen: { lunch: 500, dinner: 300 } });
    await runGrant(server.ctx, p.json().id);
    // The call centre's agent (坐席).
    const operator = await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district });
    operatorUsername = operator.username;
    const agent = await bureau.post('/api/v1/call-agents', { userId: operator.id, extension: '8101' });
    expect(agent.statusCode, JSON.stringify(agent.json())).toBe(201);
    // A provider serving 甲二社区, whose worker takes the canteen's deliveries there.
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const provider = await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA2],
      site: { lat: 30.6, lng: 104.0 },
      name: '安康居家服务社',
    });
    providerId = provider.org.id;
    workerUsername = provider.worker.username;
    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the family books tomorrow’s lunch delivered, sees it under 我的送餐 and cancels it', async () => {
    const { ctx, page } = await context(familyUsername, { width: 390, height: 844 });
    await page.goto(`${server.url}/family`);
    const card = page.getByTestId('meal-delivery');
    await card.scrollIntoViewIfNeeded();
    await expect.poll(() => card.getByText('还没有预订送餐。').count()).toBe(1);
    await checkSizes(page);
    await card.screenshot({ path: path.join(shots, 'family-meal-delivery.png') });

    await card.getByTestId('delivery-start').click();
    // Tomorrow and the day after have menus; today has none.
    await expect.poll(() => card.getByTestId('delivery-day').count()).toBe(2);
    await card.getByTestId('delivery-day').filter({ hasText: '明天' }).click();
    await expect
      .poll(() => card.getByTestId('delivery-meal').allTextContents())
      .toEqual([expect.stringMatching(/^午餐10:30 前预订$/), expect.stringMatching(/^晚餐16:30 前预订$/)]);
    await card.getByTestId('delivery-meal').filter({ hasText: '午餐' }).click();
    // The dishes with their price and what the family pays after the 5 yuan lunch subsidy. On a
    // month's last day tomorrow is next month, whose lot is granted on the 1st: no subsidy is
    // promised for it yet (as delivery-options.test.ts checks), so the prices are shown whole.
    const sameMonth = tomorrow.slice(0, 7) === today.slice(0, 7);
    await expect
      .poll(() => card.getByTestId('delivery-dish').allTextContents())
      .toEqual(
        sameMonth
          ? ['软烂午餐12.00 元，补贴后 7.00 元', '南瓜小米粥3.00 元，补贴后 0.00 元']
          : ['软烂午餐12.00 元', '南瓜小米粥3.00 元'],
      );
    expect(await card.getByText('这一餐补贴约 5.00 元，送到时结算。').count()).toBe(sameMonth ? 1 : 0);
    await checkSizes(page);
    await page.screenshot({ path: path.join(shots, 'family-meal-delivery-dishes.png'), fullPage: false });
    await card.getByTestId('delivery-dish').filter({ hasText: '软烂午餐' }).click();
    expect(await card.getByTestId('delivery-confirm-line').textContent()).toMatch(
      /^明天 \d+月\d+日周. 午餐：甲一社区长寿食堂送软烂午餐到家$/,
    );
    await card.screenshot({ path: path.join(shots, 'family-meal-delivery-confirm.png') });
    await card.getByRole('button', { name: '确认预订' }).click();
    await expect.poll(() => card.getByTestId('delivery-booked').textContent()).toContain('已预订：明天');
    const mine = card.getByTestId('my-delivery');
    await expect.poll(() => mine.count()).toBe(1);
    expect(await mine.textContent()).toContain('软烂午餐');
    expect(await mine.getAttribute('data-status')).toBe('booked');
    expect(await mine.textContent()).toContain('待送餐');
    await card.screenshot({ path: path.join(shots, 'family-meal-delivery-booked.png') });
    // The canteen has it on its round for tomorrow, booked by the family.
    expect(await deliveries()).toEqual([expect.objectContaining({ status: 'booked', bookedVia: 'family' })]);

    // The elder sees the same booking on her page.
    const elder = await context(elderUsername, { width: 390, height: 844 });
    await elder.page.goto(`${server.url}/elder`);
    const elderCard = elder.page.getByTestId('meal-delivery');
    await expect.poll(() => elderCard.getByTestId('my-delivery').count()).toBe(1);
    await checkSizes(elder.page);
    await elderCard.scrollIntoViewIfNeeded();
    await elder.page.screenshot({ path: path.join(shots, 'elder-meal-delivery.png'), fullPage: true });
    await elder.ctx.close();

    await mine.getByRole('button', { name: '取消送餐' }).click();
    await mine.getByRole('button', { name: '是的，取消' }).click();
    await expect.poll(() => mine.getAttribute('data-status')).toBe('cancelled');
    expect(await mine.textContent()).toContain('已取消');
    expect(await mine.getByRole('button').count()).toBe(0);
    await card.screenshot({ path: path.join(shots, 'family-meal-delivery-cancelled.png') });
    expect(await deliveries()).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    await ctx.close();
  });

  it('the call centre books a delivery for the caller’s elder from the call form', async () => {
    const { ctx, page } = await context(operatorUsername, { width: 1440, height: 900 });
    await page.goto(`${server.url}/console/calls/console`);
    await page.getByTestId('manual-log').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('manual-elder').locator('input').fill('孙淑芬');
    await chooseOption(page.locator('.ant-select-item-option').filter({ hasText: '孙淑芬' }).first());
    await clickUntil(dialog.getByRole('button', { name: /确\s?定/ }), page.getByTestId('call-meal-delivery'));
    await page.getByTestId('call-meal-delivery').click();
    const modal = page.getByRole('dialog').filter({ hasText: '为 孙淑芬 预订送餐' });
    await modal.getByTestId('call-meal-day').click();
    await chooseOption(page.locator('.ant-select-item-option').filter({ hasText: '明天' }));
    await modal.getByText(/^晚餐/).click();
    await modal.getByTestId('call-meal-dish').click();
    await chooseOption(page.locator('.ant-select-item-option').filter({ hasText: '软烂午餐' }));
    await modal.getByLabel('备注（送餐员看得到）').fill('老人来电，腿脚不便请敲门');
    await page.screenshot({ path: path.join(shots, 'call-centre-meal-delivery.png') });
    await modal.getByRole('button', { name: /预\s?订/ }).click();
    await expect.poll(() => modal.getByTestId('call-meal-bookings').textContent()).toContain('待送餐');
    await page.screenshot({ path: path.join(shots, 'call-centre-meal-delivery-booked.png') });
    const list = await deliveries();
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'booked', bookedVia: 'operator', note: '老人来电，腿脚不便请敲门' }),
      ]),
    );
    await ctx.close();
  });
  it('the worker checks a delivery off with no network: it waits on the phone and is settled once when back online', async () => {
    // Today's lunch, booked by the canteen itself (after the cutoff too) and handed to the provider.
    expect(
      (await kitchen.put(`/api/v1/canteens/${canteenId}/menus/${today}/lunch`, { items: [{ dishId: softId }] })).statusCode,
    ).toBe(200);
    const booked = await kitchen.post(`/api/v1/canteens/${canteenId}/deliveries`, {
      elderId,
      day: today,
      period: 'lunch',
      items: [{ dishId: softId }],
      providerId,
    });
    expect(booked.statusCode, JSON.stringify(booked.json())).toBe(201);
    const todays = async () =>
      (
        (await kitchen.get(`/api/v1/meal-deliveries?day=${today}`)).json().items as Array<{
          id: string;
          status: string;
          mealId: string | null;
          deliveredAt: string | null;
        }>
      ).find((d) => d.id === booked.json().id);
    const { ctx, page } = await context(
      workerUsername,
      { width: 390, height: 844 },
      { geolocation: { latitude: 30.6, longitude: 104.0 }, permissions: ['geolocation'] },
    );
    await page.goto(`${server.url}/worker`);
    const round = page.getByTestId('meal-round');
    await round.getByText('孙淑芬').waitFor();
    // In a lift: no network. The check-off is kept with the time at the door.
    await ctx.setOffline(true);
    const pressedAt = Date.now();
    await round.getByRole('button', { name: /已送达/ }).click();
    await page.getByText('网络不通：送达时间和位置已记在手机上，联网后自动提交').waitFor();
    await expect.poll(() => round.getByTestId('meal-round-waiting').textContent()).toBe('待提交 1 份');
    expect(await round.getByRole('button', { name: /已送达/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'worker-meal-offline.png'), fullPage: true });
    expect((await todays())?.status).toBe('booked');
    // Back online: it is sent by itself, settled once, at the time it was handed over.
    await ctx.setOffline(false);
    await expect.poll(async () => (await todays())?.status, { timeout: 30_000 }).toBe('delivered');
    const done = await todays();
    expect(Date.parse(done?.deliveredAt ?? '')).toBeGreaterThanOrEqual(pressedAt - 1000);
    expect(Date.parse(done?.deliveredAt ?? '')).toBeLessThan(pressedAt + 10_000);
    await expect.poll(() => round.getByTestId('meal-round-waiting').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => round.textContent()).toContain('已送达');
    const meals = (await kitchen.get(`/api/v1/meals?day=${today}`)).json().items as Array<{ elderId: string }>;
    expect(meals.filter((m) => m.elderId === elderId)).toHaveLength(1);
    await page.screenshot({ path: path.join(shots, 'worker-meal-sent.png'), fullPage: true });
    await ctx.close();
  });
});
