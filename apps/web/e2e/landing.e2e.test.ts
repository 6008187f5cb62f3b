import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * Each role lands where it works (issue 12 §5): console roles on a landing page with their own
 * figures (compared here with the API they come from), menus without what the role cannot use,
 * phone roles sent from /console to their phone pages, and a pending provider approved from its row.
 */

let server: Server;
let browser: Browser;
let shots: string;
const users: Record<string, string> = {};
const apis: Record<string, Api> = {};
let providerId: string;
let providerName: string;
const PASSWORD = 'Test#Pass2026';
/** expect.poll waits 1 s by default; the figures load with several requests on a busy machine. */
const WAIT = { timeout: 10_000 };

describe('each role lands where it works', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const { raiseAlarm } = await import(path.join(SERVER_SRC, 'modules/alarms/raise.service.ts'));
    const { users: usersTable } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { eq } = await import('drizzle-orm');
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    const provider = await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA1],
      site: { lat: 30.612, lng: 104.012 },
      name: '安康居家服务中心',
    });
    providerId = provider.org.id;
    users.service_worker = provider.worker.username;
    const elder = await createElder(server.ctx, f.TREE.communityA1, { lat: 30.6101, lng: 104.0101, birthDate: '1938-06-01' });
    const account = async (role: string, opts: Record<string, string> = {}) => {
      const a = await f.createAccount(server.ctx, role, opts);
      await server.ctx.db
        .update(usersTable)
        .set({ displayName: `测试${a.username.slice(-4)}` })
        .where(eq(usersTable.id, a.id));
      users[role] = a.username;
      apis[role] = (await svc.apiFor(server.app, a.username)) as Api;
      return a;
    };
    await account('district_admin', { regionCode: f.TREE.district });
    await account('street_staff', { regionCode: f.TREE.streetA });
    await account('community_staff', { regionCode: f.TREE.communityA1 });
    await account('operator', { regionCode: f.TREE.district });
    await account('provider_admin', { orgId: providerId });
    await account('responder', { regionCode: f.TREE.communityA1 });
    await account('canteen_staff', { orgId: (await f.createOrg(server.ctx, 'canteen', f.TREE.streetA, '甲街道长寿食堂')).id });
    await account('institution_staff', {
      orgId: (await f.createOrg(server.ctx, 'institution', f.TREE.streetA, '甲街道养老院')).id,
    });
    const elderAccount = await account('elder');
    await server.ctx.db.update(usersTable).set({ elderId: elder.id }).where(eq(usersTable.id, elderAccount.id));
    await account('family');

    // Two providers awaiting approval (registered by the bureau), an order to accept, an open P1 alarm.
    const admin = apis.district_admin;
    providerName = '康乐助老服务社';
    for (const [name, code] of [
      [providerName, svc.makeCreditCode()],
      ['夕阳红家政服务部', svc.makeCreditCode()],
    ]) {
      const r = await admin.post('/api/v1/providers', { name, creditCode: code, regionCode: f.TREE.streetA });
      expect(r.statusCode, JSON.stringify(r.json())).toBe(201);
      // The bureau approves only a provider with a valid business licence.
      const licence = await admin.post(`/api/v1/providers/${r.json().id}/licences`, {
        kind: '营业执照',
        number: `L-${code}`,
        validUntil: `${new Date().getFullYear() + 3}-12-31`,
      });
      expect(licence.statusCode, JSON.stringify(licence.json())).toBe(201);
    }
    const credit = await admin.post(
      `/api/v1/wallets/${elder.id}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 300, reason: '武侯积分' },
      { 'idempotency-key': 'e2e-landing-credit-1' },
    );
    expect(credit.statusCode).toBe(201);
    const items = (await admin.get('/api/v1/service-items')).json().items as Array<{ id: string; code: string }>;
    const order = await apis.operator.post('/api/v1/service-orders', {
      elderId: elder.id,
      itemId: items.find((i) => i.code === 'cleaning')?.id,
      scheduledAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    });
    expect(order.statusCode, JSON.stringify(order.json())).toBe(201);
    await server.ctx.db.transaction((tx: unknown) =>
      raiseAlarm(server.ctx as never, tx as never, {
        type: 'fall',
        priority: 'P1',
        mergeKey: `elder:${elder.id}:fall`,
        elderId: elder.id,
        deviceId: null,
        regionCode: f.TREE.communityA1,
        data: {},
        at: new Date(),
      }),
    );
    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function desktop(role: string): Promise<{ page: Page; close(): Promise<void>; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: users[role], password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    return { page, errors, close: () => context.close() };
  }

  const figure = (page: Page, id: string) => page.getByTestId(id).locator('.ant-statistic-content');
  const menuText = (page: Page) => page.getByTestId('side-menu').innerText();

  it('the district admin lands on the district figures and to-do list, each figure the API answers', async () => {
    const { page, close, errors } = await desktop('district_admin');
    await page.goto(`${server.url}/console`);
    const pending = (await apis.district_admin.get('/api/v1/providers?approvalStatus=pending')).json().total;
    expect(pending).toBe(2);
    await expect.poll(() => figure(page, 'fig-pending-providers').innerText(), WAIT).toBe(String(pending));
    const openAlarms = (await apis.district_admin.get('/api/v1/alarms?status=open&kind=life&limit=1')).json().total;
    expect(openAlarms).toBe(1);
    await expect.poll(() => figure(page, 'fig-open-alarms').innerText(), WAIT).toBe(String(openAlarms));
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const today = (
      await apis.district_admin.get(`/api/v1/alarms?from=${encodeURIComponent(`${day}T00:00:00+08:00`)}&kind=life&limit=1`)
    ).json().total;
    expect(today).toBe(1);
    await expect.poll(() => figure(page, 'fig-alarms-today').innerText(), WAIT).toBe(String(today));
    const orders = (await apis.district_admin.get(`/api/v1/service-orders?date=${day}&limit=1`)).json().total;
    await expect.poll(() => figure(page, 'fig-orders-today').innerText(), WAIT).toBe(String(orders));
    await page.getByText(providerName).first().waitFor();
    expect(await page.getByTestId('scope').innerText()).toBe('测试区');
    expect(await menuText(page)).toContain('行政区划');
    await page.screenshot({ path: path.join(shots, 'landing-district.png'), fullPage: true });
    expect(errors).toEqual([]);
    await close();
  });

  it('the district admin approves a pending provider from its row, and rejects another with a reason', async () => {
    const { page, close } = await desktop('district_admin');
    await page.goto(`${server.url}/console/providers`);
    const row = page.locator('tr').filter({ hasText: providerName });
    await row.getByRole('button', { name: /^准\s?入$/ }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: `确认准入“${providerName}”` }).waitFor();
    await page.screenshot({ path: path.join(shots, 'landing-provider-approve.png') });
    await page
      .locator('.ant-modal-confirm-btns')
      .getByRole('button', { name: /^准\s?入$/ })
      .click();
    await expect
      .poll(async () => {
        const list = (await apis.district_admin.get('/api/v1/providers?limit=50')).json().items as Array<any>;
        return list.find((p) => p.name === providerName)?.approvalStatus;
      }, WAIT)
      .toBe('approved');
    await row.getByRole('button', { name: /^准\s?入$/ }).waitFor({ state: 'detached' });

    const other = page.locator('tr').filter({ hasText: '夕阳红家政服务部' });
    await other.getByRole('button', { name: '不予准入' }).click();
    await page.locator('.ant-modal-confirm').getByLabel('原因').fill('资质材料不全');
    await page.locator('.ant-modal-confirm-btns').getByRole('button', { name: '不予准入' }).click();
    await expect
      .poll(async () => {
        const list = (await apis.district_admin.get('/api/v1/providers?limit=50')).json().items as Array<any>;
        return list.find((p) => p.name === '夕阳红家政服务部')?.approvalStatus;
      }, WAIT)
      .toBe('rejected');
    await close();
  });

  for (const role of ['community_staff', 'street_staff'] as const) {
    it(`${role} lands on the elders due for assessment and the open alarms of the area; the menu has no system pages`, async () => {
      const { page, close, errors } = await desktop(role);
      await page.goto(`${server.url}/console`);
      const due = (await apis[role].get('/api/v1/assessments/due?withinDays=30&limit=1')).json().total;
      expect(due).toBeGreaterThan(0);
      await expect.poll(() => figure(page, 'fig-due').innerText(), WAIT).toBe(String(due));
      await expect.poll(() => figure(page, 'fig-open-alarms').innerText(), WAIT).toBe('1');
      await page.getByTestId('side-menu').waitFor();
      const menu = await menuText(page);
      expect(menu).not.toContain('行政区划');
      expect(menu).not.toContain('机构管理');
      expect(menu).not.toContain('审计日志');
      expect(await page.getByTestId('scope').innerText()).toBe(role === 'street_staff' ? '甲街道' : '甲一社区');
      await page.screenshot({ path: path.join(shots, `landing-${role}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await close();
    });
  }

  it('the provider admin lands on the orders to accept and the workers on duty, under its own name', async () => {
    const { page, close, errors } = await desktop('provider_admin');
    await page.goto(`${server.url}/console`);
    const toAccept = (await apis.provider_admin.get('/api/v1/service-orders?status=dispatched&limit=1')).json().total;
    expect(toAccept).toBe(1);
    await expect.poll(() => figure(page, 'fig-to-accept').innerText(), WAIT).toBe(String(toAccept));
    await expect.poll(() => figure(page, 'fig-on-duty').innerText(), WAIT).toBe('1');
    await page.getByTestId('welcome-card').getByText('安康居家服务中心').waitFor();
    expect(await page.getByTestId('scope').innerText()).toBe('本机构');
    const menu = await menuText(page);
    expect(menu).not.toContain('行政区划');
    expect(menu).not.toContain('告警中心');
    expect(menu).not.toContain('老人档案');
    await page.screenshot({ path: path.join(shots, 'landing-provider.png'), fullPage: true });
    expect(errors).toEqual([]);
    await close();
  });

  it('the operator lands on the alarm queue', async () => {
    const { page, close } = await desktop('operator');
    await page.goto(`${server.url}/console`);
    await page.waitForURL(/\/console\/alarms$/);
    expect(await menuText(page)).not.toContain('首页');
    await page.getByText('跌倒').first().waitFor();
    await page.screenshot({ path: path.join(shots, 'landing-operator.png'), fullPage: true });
    await close();
  });

  it('canteen_staff sees plainly what exists for them today', async () => {
    const { page, close } = await desktop('canteen_staff');
    await page.goto(`${server.url}/console`);
    await page.getByTestId('planned-home').waitFor();
    const text = await page.getByTestId('planned-home').innerText();
    // The canteen's pages and kiosk exist.
    expect(text).toContain('打开自助终端');
    expect(text).not.toContain('规划中');
    const menu = await menuText(page);
    expect(menu).not.toContain('行政区划');
    expect(menu).not.toContain('机构管理');
    await page.screenshot({ path: path.join(shots, 'landing-canteen_staff.png'), fullPage: true });
    await close();
  });

  it('institution_staff sees their beds and where to work, not a planned module', async () => {
    const { page, close } = await desktop('institution_staff');
    await page.goto(`${server.url}/console`);
    await page.getByTestId('institution-home').waitFor();
    await expect.poll(() => page.getByTestId('institution-home').innerText()).toContain('床位总数');
    const text = await page.getByTestId('institution-home').innerText();
    expect(text).not.toContain('规划中');
    expect(text).toContain('打开床位一览');
    const menu = await menuText(page);
    expect(menu).toContain('入住管理');
    expect(menu).not.toContain('行政区划');
    expect(menu).not.toContain('机构管理');
    await page.screenshot({ path: path.join(shots, 'landing-institution_staff.png'), fullPage: true });
    await close();
  });

  for (const [role, home] of [
    ['service_worker', /\/worker$/],
    ['elder', /\/elder$/],
    ['family', /\/family$/],
    ['responder', /\/worker\/respond$/],
  ] as const) {
    it(`a ${role} opening /console is sent to the phone page`, async () => {
      const { page, close } = await desktop(role);
      await page.goto(`${server.url}/console`);
      await page.waitForURL(home);
      await page.goto(`${server.url}/console/regions`);
      await page.waitForURL(home);
      await close();
    });
  }
});
