import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * Latin-alphabet words a Chinese console may show, each for a reason. Anything else in the visible
 * text of a zh-CN page is English that slipped past the i18n layer (or a raw code) and fails the test.
 */
const ALLOWED = new Set([
  'ID', // 身份证号 / 对象 ID: the usual Chinese term
  'SOS', // the pendant's button, printed on it
  'P1',
  'P2',
  'P3', // alarm priorities, as the alarm-centre standard names them
  'WGS-84',
  'GCJ-02', // coordinate systems, named as the standards (and 天地图) name them
  'API', // 终端/接口 channel, the platform's interface
  'Excel', // the spreadsheet people import and export
  'xlsx',
  'csv', // the file types the user picks for an import
  'JSON', // the data exchange's third export format, as the provincial systems name it
  'IP', // 来源 IP in the audit log
  'QR', // the elder's QR card (签到方式)
  'English', // the language switcher offers English by its own name
  'A',
  'B',
  'C',
  'D', // credit levels A–D (信用等级), as the issue and the credit rating rules name them
  'kg',
  'km',
  'm',
  'cm',
  'mmHg',
  'bpm',
  '℃', // units
]);

/** Latin tokens on the page that are neither allowed words, numbers nor data the test seeded (user names). */
function foreignWords(text: string, data: Set<string>): string[] {
  // GB/T: the prefix of national standard numbers (GB/T 42195). P1/P2 splits at the slash.
  const tokens = text.replaceAll('GB/T', '').match(/[A-Za-z0-9][A-Za-z0-9._:-]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
  return [
    ...new Set(
      tokens.filter((w) => {
        if (!/[A-Za-z]/.test(w)) return false; // numbers, dates, times
        if (ALLOWED.has(w) || data.has(w)) return false;
        // Codes the records carry (order numbers, device serials, credit codes): letters with
        // at least four digits, e.g. SO202611250001; not a duration like 10m55s.
        if (/\d{4}/.test(w) && !/^\d+[hms]\d/.test(w)) return false;
        return true;
      }),
    ),
  ];
}

let server: Server;
let browser: Browser;
let shots: string;
const data = new Set<string>();
/** Every role that works at the desktop console (phone roles are sent to their phone pages). */
const CONSOLE_ROLES = [
  'district_admin',
  'street_staff',
  'community_staff',
  'operator',
  'provider_admin',
  'canteen_staff',
  'institution_staff',
] as const;
type Role = (typeof CONSOLE_ROLES)[number];
/** The district admin's menu pages: street and community staff walk only the pages it lacks. */
let districtMenu: Set<string>;
const accounts = Object.fromEntries(CONSOLE_ROLES.map((r) => [r, ''])) as Record<(typeof CONSOLE_ROLES)[number], string>;
let orderNo: string;
/** The order's day in China (the board shows one day). */
let orderDay: string;
let elderId: string;
let webDist: string;
const PASSWORD = 'Test#Pass2026';

describe('every console screen is Chinese', () => {
  beforeAll(async () => {
    ensureWebBuild();
    // A copy of the bundle: this test opens many pages, and another test run rebuilding
    // apps/web/dist meanwhile would answer them with 404s.
    webDist = mkdtempSync(path.join(tmpdir(), 'zy-zh-console-dist-'));
    cpSync(WEB_DIST, webDist, { recursive: true });
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const { sql } = await import('drizzle-orm');
    server = await startTestServer({ listen: true, config: { webDist } });
    await f.seedTree(server.ctx);
    // Test data in Chinese, as a district's would be: names, providers, sites.
    const near = await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA1],
      site: { lat: 30.612, lng: 104.012 },
      name: '安康居家养老服务中心',
    });
    await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA1],
      site: { lat: 30.65, lng: 104.06 },
      name: '福寿家政服务站',
    });
    const elder = await createElder(server.ctx, f.TREE.communityA1, { name: '王秀兰', lat: 30.6101, lng: 104.0101 });
    elderId = elder.id;
    const district = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
    const operator = await f.clientAs(server.app, server.ctx, 'operator', { regionCode: f.TREE.district });
    const provider = await f.clientAs(server.app, server.ctx, 'provider_admin', { orgId: near.org.id });
    const street = await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA });
    const community = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
    const canteenOrg = await f.createOrg(server.ctx, 'canteen', f.TREE.communityA1, '甲一社区长寿食堂');
    const homeOrg = await f.createOrg(server.ctx, 'institution', f.TREE.streetA, '甲街道敬老院');
    const canteen = await f.clientAs(server.app, server.ctx, 'canteen_staff', {
      orgId: canteenOrg.id,
      regionCode: f.TREE.communityA1,
    });
    const home = await f.clientAs(server.app, server.ctx, 'institution_staff', { orgId: homeOrg.id, regionCode: f.TREE.streetA });
    accounts.district_admin = district.account.username;
    accounts.operator = operator.account.username;
    accounts.provider_admin = provider.account.username;
    accounts.street_staff = street.account.username;
    accounts.community_staff = community.account.username;
    accounts.canteen_staff = canteen.account.username;
    accounts.institution_staff = home.account.username;
    await server.ctx.db.execute(sql`UPDATE users SET display_name = '测试人员' WHERE display_name ~ '[A-Za-z]'`);
    await server.ctx.db.execute(sql`UPDATE users SET display_name = '李主任' WHERE id = ${district.account.id}`);
    await server.ctx.db.execute(sql`UPDATE users SET display_name = '张坐席' WHERE id = ${operator.account.id}`);
    await server.ctx.db.execute(sql`UPDATE users SET display_name = '赵经理' WHERE id = ${provider.account.id}`);
    await server.ctx.db.execute(sql`UPDATE users SET display_name = '刘师傅' WHERE id = ${near.worker.id}`);
    await server.ctx.db.execute(sql`UPDATE provider_staff SET name = '刘师傅' WHERE user_id = ${near.worker.id}`);
    await server.ctx.db.execute(sql`UPDATE organizations SET name = '测试机构' WHERE name ~ '[A-Za-z]'`);
    // Login names are names the users chose; they may appear (user list, user menu).
    const users = (await server.ctx.db.execute(sql`SELECT username FROM users`)) as { rows: Array<{ username: string }> };
    for (const u of users.rows) data.add(u.username);
    // Service item codes (服务项目编码) are typed by the bureau in the catalogue form.
    const codes = (await server.ctx.db.execute(sql`SELECT code FROM service_items`)) as { rows: Array<{ code: string }> };
    for (const c of codes.rows) data.add(c.code);

    const credit = await (district.api as Api).post(
      `/api/v1/wallets/${elder.id}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 300, reason: '居家养老积分' },
      { 'idempotency-key': 'zh-console-credit-1' },
    );
    expect(credit.statusCode).toBe(201);
    // An order dispatched automatically, accepted and assigned: a dispatch explanation and a history.
    const api = operator.api as Api;
    const items = (await api.get('/api/v1/service-items')).json().items as Array<{ id: string; code: string }>;
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setUTCHours(2, 0, 0, 0); // 10:00 in China
    const o = await api.post('/api/v1/service-orders', {
      elderId: elder.id,
      itemId: items.find((i) => i.code === 'cleaning')?.id,
      scheduledAt: tomorrow.toISOString(),
    });
    expect(o.statusCode, o.json().detail).toBe(201);
    orderNo = o.json().no;
    orderDay = new Date(tomorrow.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const pApi = provider.api as Api;
    expect((await pApi.post(`/api/v1/service-orders/${o.json().id}/accept`)).statusCode).toBe(200);
    expect((await pApi.post(`/api/v1/service-orders/${o.json().id}/assign`, { workerId: near.worker.id })).statusCode).toBe(200);
    // A change whose audit detail the log shows as named fields: the service centre hotline.
    expect(
      (await (district.api as Api & { put: Api['post'] }).put('/api/v1/service-hotline', { hotline: '028-85551234' })).statusCode,
    ).toBe(200);
    // A care-call campaign: the campaign page says whom it calls and its retries in words.
    const campaign = await (district.api as Api).post('/api/v1/care-call-campaigns', {
      name: '独居老人每周关爱',
      regionCode: f.TREE.district,
      target: { livingSituations: ['alone', 'empty_nest'], minAge: 80 },
      frequency: 'weekly',
      script: [{ key: 'health', text: '最近身体怎么样？', kind: 'choice', options: ['good', 'fair', 'poor'] }],
      workStart: '09:00',
      workEnd: '17:30',
    });
    expect(campaign.statusCode, campaign.json().detail).toBe(201);
    // Reads that the audit log names: a search and a record read.
    await api.get('/api/v1/elders?q=王');
    await (district.api as Api).get(`/api/v1/elders/${elder.id}`);

    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
    const { context, page } = await consoleAs(accounts.district_admin);
    await page.goto(`${server.url}/console`);
    await page.locator('.ant-menu').first().waitFor();
    districtMenu = new Set(await menuPaths(page));
    await context.close();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  });

  async function consoleAs(username: string) {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    // Several roles walk their menus at once, beside the other browser tests: on a loaded machine a
    // page has taken longer than 15 s to load. This test is about language, not speed.
    page.setDefaultTimeout(45_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    return { context, page, network: watchRequests(page) };
  }

  /**
   * The page's requests in flight. Moving between menu pages inside the app (as a user does) fires
   * no load event, so Playwright's `networkidle` does not apply: the test counts requests itself.
   */
  function watchRequests(page: Page) {
    let inFlight = 0;
    let lastChange = Date.now();
    page.on('request', () => {
      inFlight++;
      lastChange = Date.now();
    });
    const done = () => {
      inFlight--;
      lastChange = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    /** No request in flight for half a second, as `networkidle` means. */
    return { idle: () => inFlight === 0 && Date.now() - lastChange >= 500 };
  }
  type Network = ReturnType<typeof watchRequests>;

  /** Wait until the page has settled: no loading spinner, no skeleton. A concurrent test passes its own `expect`. */
  async function settled(page: Page, ex: typeof expect = expect, network?: Network) {
    if (network) await ex.poll(() => network.idle(), { timeout: 45_000, interval: 100 }).toBe(true);
    else await page.waitForLoadState('networkidle');
    await ex.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 45_000 }).toBe(0);
  }

  /**
   * Open a menu page the way the menu does: a route change inside the loaded app, not a reload of
   * the whole bundle (which, for some 130 pages on a loaded machine, was most of this test's time).
   */
  async function openInApp(page: Page, to: string, network: Network, ex: typeof expect) {
    if (new URL(page.url()).pathname !== to) {
      await page.evaluate((p) => {
        window.history.pushState(null, '', p);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }, to);
      // The menu marks the page once the router has it (menu ids end in "-" and the path); the
      // item may sit in a closed submenu.
      await page.locator(`.ant-menu-item-selected[data-menu-id$="-${to}"]`).first().waitFor({ state: 'attached' });
    }
    await settled(page, ex, network);
  }

  async function visibleForeignWords(page: Page): Promise<string[]> {
    return foreignWords(await page.evaluate(() => document.body.innerText), data);
  }

  /** The menu's routes, read from the side menu the user sees. */
  async function menuPaths(page: Page): Promise<string[]> {
    const ids = await page
      .locator('.ant-menu [data-menu-id]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-menu-id') ?? ''));
    return [...new Set(ids.map((id) => id.slice(id.indexOf('/console'))).filter((p) => p.startsWith('/console')))];
  }

  /**
   * Which menu pages a role walks. The district admin walks every page of its menu, in three
   * parts at once (one walk was 191 s of this file's 226 s on a loaded CI machine). Street and
   * community staff see the district's pages for a smaller region: they walk their home page and
   * any page the district admin's menu lacks, not the same screens a second and third time. The
   * roles that work inside one organisation (call centre, provider, canteen, care home) see their
   * own versions of the pages and walk all of theirs; the call centre's in two parts.
   */
  const SAME_SCREENS_AS_DISTRICT = new Set<string>(['street_staff', 'community_staff']);
  const PARTS: Partial<Record<Role, number>> = { district_admin: 3, operator: 2 };
  // Longest walks first: the file runs at most five at a time.
  const WALKS = (
    [
      'provider_admin',
      'district_admin',
      'operator',
      'street_staff',
      'community_staff',
      'canteen_staff',
      'institution_staff',
    ] as const
  ).flatMap((role) => Array.from({ length: PARTS[role] ?? 1 }, (_, part) => ({ role, part, parts: PARTS[role] ?? 1 })));

  /** A screenshot of each page only when asked (ZY_E2E_SHOTS=1) or when the page has foreign words. */
  const ALL_SHOTS = process.env.ZY_E2E_SHOTS === '1';

  // The walks run at the same time, each in its own browser context: the pages wait on the network
  // more than they compute, and one after another they took minutes.
  describe.concurrent('every menu page, role by role', () => {
    for (const { role, part, parts } of WALKS) {
      const name = parts > 1 ? `${role} (${part + 1}/${parts})` : role;
      it(`${name}: every menu page reads in Chinese`, async ({ expect }) => {
        const { context, page, network } = await consoleAs(accounts[role]);
        await page.goto(`${server.url}/console`);
        await page.waitForLoadState('networkidle');
        if (part === 0) await page.screenshot({ path: path.join(shots, `${role}-home.png`) });
        await page.locator('.ant-menu').first().waitFor();
        const menu = await menuPaths(page);
        // Canteen and care-home staff have one page (their modules are planned); the rest a menu.
        expect(menu.length).toBeGreaterThan(role === 'canteen_staff' || role === 'institution_staff' ? 0 : 1);
        let paths = menu;
        if (SAME_SCREENS_AS_DISTRICT.has(role)) paths = menu.filter((p) => p === '/console' || !districtMenu.has(p));
        paths = paths.filter((_, i) => i % parts === part);
        const found: Record<string, string[]> = {};
        for (const p of paths) {
          await openInApp(page, p, network, expect);
          const words = await visibleForeignWords(page);
          if (words.length) found[p] = words;
          if (words.length || ALL_SHOTS)
            await page.screenshot({ path: path.join(shots, `${role}${p.replaceAll('/', '-')}.png`) });
          if (p === '/console/calls/campaigns') {
            // The campaign's rule in words, its form and the day's task list (the second tab).
            expect(await page.locator('.ant-table').first().innerText()).toMatch(/独居或空巢，80 岁及以上/);
            await page.locator('tr', { hasText: '独居老人每周关爱' }).getByRole('button').first().click();
            await page.locator('.ant-drawer-body').getByText('回访问卷').waitFor();
            const form = foreignWords(await page.locator('.ant-drawer-body').innerText(), data);
            if (form.length) found[`${p} (form)`] = form;
            await page.screenshot({ path: path.join(shots, `${role}-campaign-form.png`) });
            await page.goto(`${server.url}${p}?tab=tasks`);
            await settled(page, expect);
            const tasks = await visibleForeignWords(page);
            if (tasks.length) found[`${p}?tab=tasks`] = tasks;
          }
          if (p === '/console/service-orders') {
            // One record per list where it is cheap: the order drawer, with its dispatch reason and
            // history. The order is for tomorrow: the board opens on its day from the address.
            await page.goto(`${server.url}${p}?date=${orderDay}`);
            await settled(page, expect);
            await page.getByText(orderNo).first().click();
            await page.locator('.ant-drawer-body').getByText('工单流转').waitFor();
            await settled(page, expect);
            const drawer = await page.locator('.ant-drawer-body').innerText();
            const inDrawer = foreignWords(drawer, data);
            if (inDrawer.length) found[`${p} (drawer)`] = inDrawer;
            await page.screenshot({ path: path.join(shots, `${role}-order-drawer.png`) });
            if (role !== 'provider_admin') {
              expect(drawer).toMatch(/在 2 家候选服务商中综合得分最高/);
              expect(drawer).toMatch(/最近的服务站“安康居家养老服务中心站”/);
            }
            expect(drawer).toMatch(/服务商接单 · 赵经理/);
            // Back to the page as the menu opens it, without the drawer, for the next route change.
            await page.goto(`${server.url}${p}`);
            await settled(page, expect);
          }
        }
        if (paths.includes('/console/elders')) {
          // One record page: the elder's archive (in the part of the walk that has the list).
          await page.goto(`${server.url}/console/elders/${elderId}`);
          await page.getByText('王秀兰').first().waitFor();
          await settled(page, expect);
          const words = await visibleForeignWords(page);
          if (words.length) found['/console/elders/:id'] = words;
          await page.screenshot({ path: path.join(shots, `${role}-elder.png`) });
        }
        expect(found).toEqual({});
        await context.close();
        // Each page has its own 45 s limit; a walk of some 30 pages on a loaded CI machine has
        // taken over 100 s.
      }, 600_000);
    }
  });

  it('the district admin sets the service rules and the hotline, with Chinese validation messages', async () => {
    const { context, page } = await consoleAs(accounts.district_admin);
    await page.goto(`${server.url}/console/service-settings`);
    await settled(page);
    const reason = page.getByTestId('setting-checkInReasonMinutes');
    await expect.poll(() => reason.inputValue()).toBe('60');
    // Out of range: said in Chinese, nothing saved.
    await reason.fill('2');
    await page.getByTestId('save-rules').click();
    await page.getByText('请输入 5 到 1440 之间的整数').waitFor();
    await reason.fill('90');
    await page.getByTestId('save-rules').click();
    await page.getByText('已保存').first().waitFor();
    const settings = await page.request.get(`${server.url}/api/v1/service-settings`);
    expect((await settings.json()).checkInReasonMinutes).toBe(90);
    // The hotline: letters are refused in Chinese; a number with an area code is saved.
    const hotline = page.getByTestId('setting-hotline');
    await hotline.fill('call us');
    await page.getByTestId('save-hotline').click();
    await page.getByText('请输入正确的电话号码').waitFor();
    await hotline.fill('028-85550000');
    await page.getByTestId('save-hotline').click();
    await expect
      .poll(async () => (await (await page.request.get(`${server.url}/api/v1/service-hotline`)).json()).hotline)
      .toBe('028-85550000');
    await page.screenshot({ path: path.join(shots, 'service-settings.png'), fullPage: true });
    await context.close();
  });

  it('the audit log names actions and objects in Chinese', async () => {
    const { context, page } = await consoleAs(accounts.district_admin);
    await page.goto(`${server.url}/console/audit-log`);
    await settled(page);
    // The rows arrive after the page's first paint (暂无数据 until then): wait for them, not for the network.
    await expect.poll(() => page.locator('.ant-table').innerText(), { timeout: 30_000 }).toMatch(/查询老人/);
    const text = await page.locator('.ant-table').innerText();
    expect(text).toMatch(/服务商接单/);
    expect(text).not.toMatch(/elder\.search|service_order/);
    // A row's detail reads as named fields, not as the stored JSON.
    await page.locator('tr', { hasText: '修改服务中心电话' }).first().locator('.ant-table-row-expand-icon').click();
    const detail = await page.getByTestId('audit-detail').first().innerText();
    expect(detail).toMatch(/服务中心电话\s*[\d-]+ → 028-8555\d{4}/);
    expect(detail).not.toMatch(/[{}"]/);
    await page.screenshot({ path: path.join(shots, 'audit-log.png') });
    expect(foreignWords(await page.evaluate(() => document.body.innerText), data)).toEqual([]);
    await context.close();
  });
});
