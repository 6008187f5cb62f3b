import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, screenshotDir, WEB_DIR, WEB_DIST } from './support.ts';

// The server's test helpers, imported by path at run time (tsc -p apps/web does not check the server).
const SERVER_SRC = path.join(WEB_DIR, '../server/src');
interface Res {
  statusCode: number;
  body: string;
  json(): any;
}
interface Api {
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  patch(url: string, body?: unknown): Promise<Res>;
}
interface SafetyServer {
  url: string;
  app: unknown;
  ctx: { db: any };
  boss: { createQueue(name: string): Promise<unknown> };
  intake: {
    device(id: string, opts?: { urgent?: boolean }): Promise<unknown>;
    submit(ev: unknown, dev: unknown): Promise<unknown>;
  };
  close(): Promise<void>;
}

const WAIT = 30_000;
const PASSWORD = 'Test#Pass2026';

// Each payload calls zyXss(<field>) if it ever runs: the test exposes that function to the page,
// so a payload that executes names the field it came from. `alert()` ones would open a dialog.
const img = (tag: string) => `<img src=x onerror=zyXss('${tag}')>`;
const svg = (tag: string) => `"><svg onload=zyXss('${tag}')>`;
const script = (tag: string) => `<script>zyXss('${tag}')</script>`;
const JS_URL = 'javascript:alert(1)';

const T = {
  community: `甲一社区${svg('community')}`,
  street: `甲街道${img('street')}`,
  elderName: `王${img('elder')}`,
  address: `${svg('address')} ${JS_URL} 5栋`,
  elderNotes: `${script('notes')}${JS_URL}`,
  condition: img('condition'),
  contactName: script('contact'),
  relationship: '<svg onload=alert()>',
  contactNotes: img('contactNotes'),
  provider: `服务商${svg('provider')}`,
  worker: `工${img('worker')}`,
  deviceVendor: img('vendor'),
  deviceLocation: `${svg('location')}卧室`,
  item: `保洁${img('item')}`,
  policy: `${script('policy')}高龄积分`,
  walletReason: img('wallet'),
  orderNote: `${svg('order')}${JS_URL}`,
  visitRecord: img('record'),
  complaint: `${script('complaint')}态度差`,
  alarmNote: `${img('alarmNote')} ${JS_URL}`,
};

let server: SafetyServer;
let tiles: HttpServer;
let tileRequests = 0;
/** When the test's service order is booked for (ISO): the order board opens on that China day. */
let orderScheduledAt = '';
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let adminUsername: string;
let elderId: string;
let providerId: string;
/** Everything that shows a payload ran or was about to run (and was stopped by the CSP). */
const ran: string[] = [];
const violations: string[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];

// A 1×1 PNG: the map tiles, from another origin than the app, as MAP_TILE_URL would be.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

describe('user text is shown as text everywhere an operator or the bureau reads it', () => {
  beforeAll(async () => {
    ensureWebBuild();
    tiles = createServer((_req, res) => {
      tileRequests++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
    const tilePort = (tiles.address() as AddressInfo).port;

    const { startSafetyServer, createDevice } = await import(path.join(SERVER_SRC, 'testing/safety.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { makeIdNumber } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { eq } = await import('drizzle-orm');
    server = await startSafetyServer({
      listen: true,
      // localhost, not 127.0.0.1: another origin, which only the CSP's img-src lets in.
      config: { webDist: WEB_DIST, mapTileUrl: `http://localhost:${tilePort}/{z}/{x}/{y}.png` },
    });
    // The job queue the orders module would have created had the job system been up when its routes
    // registered (main.ts starts it first); without it the order's offer-timeout job waits on PGlite.
    await server.boss.createQueue('service-orders.offer-timeout');
    await f.seedTree(server.ctx);
    const admin = await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district });
    adminUsername = admin.account.username;
    const api = admin.api as Api;
    const ok = async (res: Promise<Res>, what: string) => {
      const r = await res;
      expect(r.statusCode, `${what}: ${r.body}`).toBeLessThan(300);
      return r.json();
    };

    // Every free-text field planted through the API, as a user with write access would.
    await ok(api.patch(`/api/v1/regions/${f.TREE.communityA1}`, { name: T.community }), 'community');
    await ok(api.patch(`/api/v1/regions/${f.TREE.streetA}`, { name: T.street }), 'street');
    const elder = await ok(
      api.post('/api/v1/elders', {
        name: T.elderName,
        idNumber: makeIdNumber('1938-06-01', 77),
        regionCode: f.TREE.communityA1,
        address: T.address,
        lat: 30.6101,
        lng: 104.0101,
        livingSituation: 'alone',
        chronicConditions: [T.condition],
        notes: T.elderNotes,
      }),
      'elder',
    );
    elderId = elder.id;
    await ok(
      api.post(`/api/v1/elders/${elderId}/contacts`, {
        name: T.contactName,
        relationship: T.relationship,
        phone: '13800000011',
        callOrder: 1,
        notes: T.contactNotes,
      }),
      'contact',
    );
    const provider = await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA1],
      site: { lat: 30.612, lng: 104.012 },
    });
    providerId = provider.org.id;
    await ok(api.patch(`/api/v1/organizations/${providerId}`, { name: T.provider }), 'provider');
    const providerAdmin = (await f.clientAs(server.app, server.ctx, 'provider_admin', { orgId: providerId })).api as Api;
    // The provider's staff list keeps its own name; orders show the account's display name.
    await ok(providerAdmin.patch(`/api/v1/providers/${providerId}/staff/${provider.worker.id}`, { name: T.worker }), 'staff');
    await ok(api.patch(`/api/v1/users/${provider.worker.id}`, { displayName: T.worker }), 'worker');
    const cleaning = await svc.itemByCode(server.ctx, 'cleaning');
    await ok(api.patch(`/api/v1/service-items/${cleaning.id}`, { name: T.item }), 'item');
    const year = new Date().getUTCFullYear();
    await ok(
      api.post('/api/v1/policies', {
        name: T.policy,
        kind: 'points_grant',
        amount: 300,
        period: 'year',
        regionCode: f.TREE.district,
        conditions: { minAge: 80 },
        validFrom: `${year}-01-01`,
      }),
      'policy',
    );

    // An order, visited and rated 1: the rating comment becomes a complaint.
    await ok(
      api.post(
        `/api/v1/wallets/${elderId}/adjustments`,
        { currency: 'points', direction: 'credit', amount: 300, reason: T.walletReason },
        { 'idempotency-key': 'xss-e2e-credit' },
      ),
      'wallet',
    );
    orderScheduledAt = svc.hoursFromNow(3);
    const order = await ok(
      api.post('/api/v1/service-orders', {
        elderId,
        itemId: cleaning.id,
        scheduledAt: orderScheduledAt,
        quantity: 1,
        note: T.orderNote,
      }),
      'order',
    );
    await ok(providerAdmin.post(`/api/v1/service-orders/${order.id}/accept`), 'accept');
    await ok(providerAdmin.post(`/api/v1/service-orders/${order.id}/assign`, { workerId: provider.worker.id }), 'assign');
    const worker = await svc.apiFor(server.app, provider.worker.username);
    const at = new Date(Date.now() - 3 * 3600_000).toISOString();
    await ok(
      worker.post(`/api/v1/service-orders/${order.id}/check-in`, { at, lat: 30.61, lng: 104.01, reason: '补录' }),
      'check-in',
    );
    await ok(
      worker.post(`/api/v1/service-orders/${order.id}/check-out`, { lat: 30.61, lng: 104.01, record: T.visitRecord }),
      'check-out',
    );
    const elderAccount = await f.createAccount(server.ctx, 'elder');
    await server.ctx.db.update(users).set({ elderId }).where(eq(users.id, elderAccount.id));
    const elderApi = await svc.apiFor(server.app, elderAccount.username);
    const rating = await ok(elderApi.post(`/api/v1/service-orders/${order.id}/rate`, { score: 1, comment: T.complaint }), 'rate');
    expect(rating.complaintId).toBeTruthy();

    // A device and an open SOS alarm for the elder, with a handling note.
    const pendant = await createDevice(server.ctx, { elderId, type: 'pendant' });
    await ok(api.patch(`/api/v1/devices/${pendant.id}`, { vendor: T.deviceVendor, locationNote: T.deviceLocation }), 'device');
    const dev = await server.intake.device(pendant.id, { urgent: true });
    const now = new Date();
    await server.intake.submit(
      { deviceId: pendant.id, msgId: 'xss-sos', type: 'sos', data: {}, deviceTs: now, receivedAt: now, transport: 'internal' },
      dev,
    );
    const alarms = await ok(api.get('/api/v1/alarms?status=open'), 'alarms');
    const alarm = alarms.items.find((a: { elderId: string }) => a.elderId === elderId);
    expect(alarm).toBeTruthy();
    await ok(api.post(`/api/v1/alarms/${alarm.id}/acknowledge`), 'acknowledge');
    await ok(api.post(`/api/v1/alarms/${alarm.id}/actions`, { kind: 'note', note: T.alarmNote }), 'alarm note');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    // A payload that runs calls this and names its field; it survives navigations.
    await context.exposeFunction('zyXss', (tag: string) => ran.push(String(tag)));
    await context.exposeFunction('zyCspViolation', (v: string) => violations.push(v));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { zyCspViolation(v: string): void }).zyCspViolation(
          `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.documentURI} (${e.sample})`,
        );
      });
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    tiles?.closeAllConnections();
    await new Promise((r) => tiles?.close(r));
  }, 300_000);

  /** Nothing ran, nothing was blocked, and no payload became an element or a link. */
  async function expectInert(where: string) {
    const live = await page.evaluate(() => ({
      elements: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], body script:not([src])').length,
      links: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
    }));
    expect(live, where).toEqual({ elements: 0, links: 0 });
    expect(ran, where).toEqual([]);
    expect(dialogs, where).toEqual([]);
    expect(violations, where).toEqual([]);
    expect(pageErrors, where).toEqual([]);
  }

  /** `text` is on the page, as the characters the user typed. */
  async function seen(text: string, scope = page.locator('body')) {
    await scope.getByText(text, { exact: false }).first().waitFor();
  }

  it('alarm centre, elder record and list, orders, providers, complaints, policies, catalogue, devices and the big screen', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(adminUsername);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL(/\/console$/);

    // The alarm card and its map: the tooltip that used to run the elder's name as HTML.
    await page.goto(`${server.url}/console/alarms`);
    await page.getByTestId('alarm-queue').locator('.zy-alarm-row').filter({ hasText: T.elderName }).click();
    const card = page.locator('.ant-card').filter({ hasText: '紧急联系人（按呼叫顺序）' });
    await seen(T.elderName, card);
    await seen(T.address, card);
    await seen(T.contactName, card);
    await seen(T.relationship, card);
    const tooltip = card.locator('.leaflet-tooltip');
    await expect.poll(() => tooltip.textContent()).toBe(T.elderName);
    expect(await tooltip.locator('img').count()).toBe(0);
    // Tiles come from the MAP_TILE_URL host (another origin), which the CSP lets in.
    await card.locator('.leaflet-tile-loaded').first().waitFor();
    expect(tileRequests).toBeGreaterThan(0);
    await seen(T.alarmNote);
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: path.join(shots, 'xss-alarm-card.png') });
    await expectInert('alarm centre');

    await page.goto(`${server.url}/console/elders`);
    await seen(T.elderName);
    await expectInert('elder list');

    await page.goto(`${server.url}/console/elders/${elderId}`);
    await seen(T.elderName);
    await seen(T.address);
    await seen(T.elderNotes);
    await seen(T.condition);
    await page.screenshot({ path: path.join(shots, 'xss-elder-record.png'), fullPage: true });
    await expectInert('elder record');

    // The board opens on one China day: the order's (3 h from now is tomorrow late in the evening).
    const orderDay = new Date(Date.parse(orderScheduledAt) + 8 * 3_600_000).toISOString().slice(0, 10);
    await page.goto(`${server.url}/console/service-orders?date=${orderDay}`);
    await seen(T.elderName);
    await seen(T.item);
    await seen(T.worker);
    await page.locator('.ant-table-row').filter({ hasText: T.elderName }).first().click();
    const drawer = page.getByRole('dialog');
    await seen(T.visitRecord, drawer);
    await seen(T.complaint, drawer);
    await page.screenshot({ path: path.join(shots, 'xss-order-drawer.png') });
    await expectInert('orders');

    await page.goto(`${server.url}/console/providers`);
    await seen(T.provider);
    await expectInert('providers');

    await page.goto(`${server.url}/console/service-complaints`);
    await seen(T.complaint);
    await expectInert('complaints');

    await page.goto(`${server.url}/console/policies`);
    await seen(T.policy);
    await expectInert('policies');

    await page.goto(`${server.url}/console/service-items`);
    await seen(T.item);
    await expectInert('catalogue');

    await page.goto(`${server.url}/console/devices`);
    await seen(T.deviceVendor);
    await expectInert('devices');

    // The big screen draws street names on a canvas; it must still load and run nothing.
    await page.goto(`${server.url}/screen`);
    await expect.poll(() => page.getByTestId('open-P1').textContent()).toBe('1');
    await page.locator('canvas').first().waitFor();
    await expectInert('big screen');
  }, 300_000);

  it('Swagger UI at /api/docs works under its Content-Security-Policy', async () => {
    await page.goto(`${server.url}/api/docs/`);
    await page.locator('.swagger-ui .information-container').getByText('Zhiyang').first().waitFor();
    await page.locator('.opblock').first().waitFor();
    await expectInert('api docs');
  }, 120_000);
});
