import path from 'node:path';
import type { Browser } from 'playwright-core';
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

let server: Server;
let browser: Browser;
let shots: string;
let elderUsername: string;
let workerUsername: string;
let elderId: string;
let operator: Api;
let providerAdmin: Api;
let workerId: string;
let bureauUsername: string;
let providerId: string;
const HOME = { latitude: 30.6101, longitude: 104.0101 };
const PASSWORD = 'Test#Pass2026';
const ELDER_PHONE = '13912345678';

describe('service loop faces in a phone browser', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
    const { eq } = await import('drizzle-orm');
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    const provider = await svc.createServiceProvider(server.ctx, {
      regionCode: f.TREE.streetA,
      communities: [f.TREE.communityA1],
      site: { lat: 30.612, lng: 104.012 },
    });
    workerUsername = provider.worker.username;
    providerId = provider.org.id;
    workerId = provider.worker.id;
    const elder = await createElder(server.ctx, f.TREE.communityA1, {
      lat: HOME.latitude,
      lng: HOME.longitude,
      birthDate: '1938-06-01',
      phone: ELDER_PHONE,
    });
    elderId = elder.id;
    const admin = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    const credit = await admin.post(
      `/api/v1/wallets/${elder.id}/adjustments`,
      { currency: 'points', direction: 'credit', amount: 300, reason: '武侯积分' },
      { 'idempotency-key': 'e2e-credit-0001' },
    );
    expect(credit.statusCode).toBe(201);
    const account = await f.createAccount(server.ctx, 'elder');
    await server.ctx.db.update(users).set({ elderId: elder.id }).where(eq(users.id, account.id));
    elderUsername = account.username;
    bureauUsername = (await f.createAccount(server.ctx, 'district_admin', { regionCode: f.TREE.district })).username;
    operator = (await f.clientAs(server.app, server.ctx, 'operator', { regionCode: f.TREE.district })).api as Api;
    providerAdmin = (await f.clientAs(server.app, server.ctx, 'provider_admin', { orgId: provider.org.id })).api as Api;
    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(username: string) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: HOME,
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, { data: { username, password: PASSWORD } });
    expect(login.ok()).toBe(true);
    return { context, page };
  }

  it('an elder books a service in three taps, with large type and the balance in words', async () => {
    const { context, page } = await phone(elderUsername);
    await page.goto(`${server.url}/elder`);
    await expect.poll(() => page.getByText('您还有 300 积分').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(/够用 7 次助洁/).count()).toBeGreaterThan(0);
    const sizes = await page.evaluate(() => ({
      body: Number.parseFloat(getComputedStyle(document.querySelector('main') as Element).fontSize),
      action: Number.parseFloat(getComputedStyle(document.querySelector('main button:last-of-type') as Element).fontSize),
      height: (document.querySelector('main button:last-of-type') as HTMLElement).getBoundingClientRect().height,
    }));
    expect(sizes.body).toBeGreaterThanOrEqual(18);
    expect(sizes.action).toBeGreaterThanOrEqual(24);
    expect(sizes.height).toBeGreaterThanOrEqual(48);
    await page.screenshot({ path: path.join(shots, 'elder-home.png'), fullPage: true });
    await page.getByRole('button', { name: '预约服务' }).click(); // 1
    await page.getByRole('button', { name: /^理发/ }).click(); // 2
    await page.getByRole('button', { name: '确认预约' }).click(); // 3
    await expect.poll(() => page.getByText(/预约成功/).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'elder-booked.png'), fullPage: true });
    const orders = (await operator.get(`/api/v1/service-orders?elderId=${elderId}`)).json();
    expect(orders.items).toHaveLength(1);
    expect(orders.items[0]).toMatchObject({ channel: 'elder', status: 'dispatched', points: 20 });
    await context.close();
  });

  it("a worker checks in at the elder's door from today's task list", async () => {
    const items = (await operator.get('/api/v1/service-items')).json().items as Array<{ id: string; code: string }>;
    const cleaning = items.find((i) => i.code === 'cleaning')?.id;
    const o = (
      await operator.post('/api/v1/service-orders', {
        elderId,
        itemId: cleaning,
        scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
      })
    ).json();
    expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/accept`)).statusCode).toBe(200);
    expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId })).statusCode).toBe(200);
    const { context, page } = await phone(workerUsername);
    await page.goto(`${server.url}/worker`);
    await page
      .getByRole('button', { name: /签\s*到/ })
      .first()
      .click();
    await expect.poll(async () => (await operator.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('in_service');
    const visit = (await operator.get(`/api/v1/service-orders/${o.id}`)).json().visit;
    expect(visit).toMatchObject({ checkInMethod: 'gps', flags: [] });
    expect(visit.checkInDistanceM).toBeLessThan(50);
    await expect.poll(() => page.getByText('服务中').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'worker-checked-in.png'), fullPage: true });
    await context.close();
  });

  it('the bureau adds a catalogue item in yuan (stored in fen) and a wrong ceiling is refused in the form', async () => {
    const { context, page } = await phone(bureauUsername);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/console/service-items`);
    await page.getByRole('button', { name: '新增服务项目' }).click();
    const dialog = page.getByRole('dialog');
    // On a busy machine a click can land while the list is still opening: the form must show the choice.
    await expect
      .poll(async () => {
        if (!(await dialog.getByTitle('精神慰藉').count())) {
          await dialog.getByLabel('类别').click();
          await chooseOption(page.locator('.ant-select-item-option[title="精神慰藉"]'));
        }
        return dialog.getByTitle('精神慰藉').count();
      })
      .toBe(1);
    await dialog.getByLabel('服务项目').fill('读报陪伴');
    await dialog.getByText('小时', { exact: true }).click();
    await dialog.getByLabel('指导价（元）').fill('25.5');
    await dialog.getByLabel('最高限价（元）').fill('20');
    await dialog.getByLabel('积分').fill('25');
    await clickUntil(page.getByRole('button', { name: /确\s*定|OK/ }), dialog.getByText('最高限价不能低于指导价').first());
    await page.screenshot({ path: path.join(shots, 'catalogue-add-refused.png') });
    await dialog.getByLabel('最高限价（元）').fill('30');
    await clickUntil(page.getByRole('button', { name: /确\s*定|OK/ }), page.getByRole('cell', { name: '读报陪伴' }).first());
    await page.screenshot({ path: path.join(shots, 'catalogue-added.png'), fullPage: true });
    const items = (await operator.get('/api/v1/service-items')).json().items as Array<Record<string, unknown>>;
    expect(items.find((i) => i.name === '读报陪伴')).toMatchObject({
      category: 'comfort',
      unit: 'hour',
      refPriceFen: 2550,
      ceilingPriceFen: 3000,
      points: 25,
    });
    await context.close();
  });

  it('the bureau sees its notice of an expiring licence on the providers page (daily job)', async () => {
    const { providerLicences } = await import(path.join(SERVER_SRC, 'modules/providers/providers.schema.ts'));
    const { runServiceNotices } = await import(path.join(SERVER_SRC, 'modules/orders/notices.service.ts'));
    const soon = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    await server.ctx.db
      .insert(providerLicences)
      .values({ orgId: providerId, kind: '营业执照', number: 'E2E-1', validUntil: soon });
    expect((await runServiceNotices(server.ctx)).documents).toBeGreaterThan(0);
    const { context, page } = await phone(bureauUsername);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/console/providers`);
    const notices = page.getByTestId('service-notices-document');
    // Wait for the notice itself (the page fetches it after load), then check it is there once.
    await notices.getByText(/营业执照 E2E-1）将于 .* 到期/).waitFor();
    expect(await notices.getByText(/营业执照 E2E-1）将于 .* 到期/).count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'providers-notices.png') });
    // 知道了 marks it read: it leaves the list, and stays gone after a reload.
    await notices.getByRole('listitem').filter({ hasText: 'E2E-1' }).getByRole('button', { name: '知道了' }).click();
    await expect.poll(() => notices.getByText(/E2E-1/).count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('service-notices-document').getByText(/E2E-1/).count()).toBe(0);

    // The drawer sets the provider's capacity per time slot, used by dispatch.
    await page
      .getByRole('cell', { name: /服务商-/ })
      .first()
      .click();
    const capacity = page.getByLabel('时段容量');
    await capacity.fill('2');
    await capacity.blur();
    await expect.poll(async () => (await providerAdmin.get(`/api/v1/providers/${providerId}`)).json().slotCapacity).toBe(2);
    await page.screenshot({ path: path.join(shots, 'provider-slots.png') });
    await context.close();
  });

  /**
   * A wardrobe-tidy order `hours` from now (or at an ISO time), accepted and assigned, open on the
   * worker's phone. Within an hour of now a check-in needs no reason (the default rule).
   */
  async function workerWithTask(hours: number | string) {
    // These tests are about the visit, not the slot limit the provider test set (2 per slot):
    // several orders within the next hour must all reach the provider.
    const { providerProfiles } = await import(path.join(SERVER_SRC, 'modules/providers/providers.schema.ts'));
    const { eq } = await import('drizzle-orm');
    await server.ctx.db.update(providerProfiles).set({ slotCapacity: null }).where(eq(providerProfiles.orgId, providerId));
    const items = (await operator.get('/api/v1/service-items')).json().items as Array<{ id: string; code: string }>;
    const o = (
      await operator.post('/api/v1/service-orders', {
        elderId,
        itemId: items.find((i) => i.code === 'wardrobe_tidy')?.id,
        scheduledAt: typeof hours === 'string' ? hours : new Date(Date.now() + hours * 3600_000).toISOString(),
      })
    ).json();
    expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/accept`)).statusCode).toBe(200);
    expect((await providerAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId })).statusCode).toBe(200);
    const { context, page } = await phone(workerUsername);
    await page.goto(`${server.url}/worker`);
    const card = page.locator('.ant-card', { has: page.getByTestId(`photo-${o.id}`) });
    return { o, context, page, card };
  }

  it("the worker sees tomorrow's order, can call the elder, and must give a reason to check in hours early", async () => {
    // Tomorrow 10:00 China time: in the week list under 明天, and far from now for a check-in.
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
    const { o, context, page, card } = await workerWithTask(`${tomorrow}T10:00:00+08:00`);
    const day = page.getByTestId(`day-${tomorrow}`);
    await expect.poll(() => day.getByText('明天').count()).toBeGreaterThan(0);
    expect(await day.getByTestId(`address-${o.id}`).count()).toBe(1);
    // The call button dials the elder; navigation opens a map at the home.
    const call = page.getByTestId(`call-${o.id}`);
    expect(await call.getAttribute('href')).toBe(`tel:${ELDER_PHONE}`);
    expect(await card.getByRole('link', { name: /导\s*航/ }).getAttribute('href')).toMatch(/^geo:30\.61/);
    // 18 px text and 48 px targets.
    const box = await call.boundingBox();
    expect(box?.height).toBeGreaterThanOrEqual(48);
    expect(await page.getByTestId(`address-${o.id}`).evaluate((e) => getComputedStyle(e).fontSize)).toBe('18px');
    await page.screenshot({ path: path.join(shots, 'worker-week.png'), fullPage: true });

    // Checking in now, hours before the booking: the phone says it is an anomaly and asks why.
    await card.getByRole('button', { name: /签\s*到/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('签到时间与预约相差较大').waitFor();
    expect(await dialog.getByText(/记为异常/).count()).toBe(1);
    const ok = dialog.getByRole('button', { name: '填写原因并签到' });
    expect(await ok.isDisabled()).toBe(true);
    await page.getByTestId(`reason-${o.id}`).fill('老人来电请求提前上门');
    // The dialog has finished opening (no zoom animation left) when the picture is taken.
    await expect.poll(() => page.locator('.ant-zoom-appear, .ant-zoom-enter').count()).toBe(0);
    expect(await ok.isEnabled()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'worker-far-checkin.png') });
    await ok.click();
    await expect.poll(async () => (await operator.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('in_service');
    const visit = (await operator.get(`/api/v1/service-orders/${o.id}`)).json().visit;
    expect(visit.checkInReason).toBe('老人来电请求提前上门');
    expect(visit.flags).toContain('off_schedule');
    await context.close();

    // The bureau finds the visit among the anomalies and reads the reason in the order drawer.
    const desk = await phone(bureauUsername);
    await desk.page.setViewportSize({ width: 1440, height: 900 });
    await desk.page.goto(`${server.url}/console/service-anomalies`);
    await desk.page.getByText(o.no).first().click();
    await expect.poll(() => desk.page.getByTestId('check-in-reason').textContent()).toBe('老人来电请求提前上门');
    await desk.page.screenshot({ path: path.join(shots, 'order-drawer-check-in-reason.png') });
    await desk.context.close();
  });

  it('a worker offline checks out with a photo; after reconnect both arrive with their original times', async () => {
    const { o, context, page, card } = await workerWithTask(0.5);
    // Real JPEGs drawn by the browser, so the console can show them.
    const drawn = await page.evaluate(async () => {
      const out: string[] = [];
      for (const colour of ['#2a7', '#c52']) {
        const c = document.createElement('canvas');
        c.width = 64;
        c.height = 48;
        const g = c.getContext('2d') as CanvasRenderingContext2D;
        g.fillStyle = colour;
        g.fillRect(0, 0, 64, 48);
        const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b as Blob), 'image/jpeg', 0.9));
        const bytes = new Uint8Array(await blob.arrayBuffer());
        out.push(btoa(String.fromCharCode(...bytes)));
      }
      return out;
    });
    const jpeg = (tag: string) => ({
      name: `${tag}.jpg`,
      mimeType: 'image/jpeg',
      buffer: Buffer.from(drawn[tag === 'in' ? 0 : 1], 'base64'),
    });
    // Online: check in with a photo of the door.
    await page.getByTestId(`photo-${o.id}`).setInputFiles(jpeg('in'));
    // The picked picture shows as a thumbnail with a remove button before it is sent.
    await expect.poll(() => page.getByTestId(`thumbs-${o.id}`).locator('img').count()).toBe(1);
    expect(await card.getByRole('button', { name: '删除这张照片' }).count()).toBe(1);
    await card.screenshot({ path: path.join(shots, 'worker-photo-picked.png') });
    await card.getByRole('button', { name: /签\s*到/ }).click();
    await expect.poll(async () => (await operator.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('in_service');

    // The phone shows the check-out form once it has the new state (it refetches after the
    // check-in); only then does the network drop, as it would for a worker inside the home.
    await card.getByPlaceholder('做了什么、老人情况如何').waitFor({ state: 'visible' });
    // Offline: the record and a photo wait on the phone (the picture in IndexedDB).
    await context.setOffline(true);
    await card.getByPlaceholder('做了什么、老人情况如何').fill('整理衣橱，老人满意');
    await page.getByTestId(`photo-${o.id}`).setInputFiles(jpeg('out'));
    const before = Date.now();
    await card.getByRole('button', { name: '提交签退' }).click();
    await expect.poll(() => page.getByText(/网络不通/).count()).toBeGreaterThan(0);
    const stored = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('zhiyang.worker.queue') ?? '[]').map((q: { path: string }) => q.path),
    );
    expect(stored).toEqual(['photo', 'check-out']);
    await page.screenshot({ path: path.join(shots, 'worker-offline-queued.png'), fullPage: true });
    await new Promise((r) => setTimeout(r, 2500));
    expect((await operator.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('in_service');

    // Back online: the queue sends the photo, then the check-out, with the times they were taken.
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect
      .poll(async () => (await operator.get(`/api/v1/service-orders/${o.id}`)).json().status, { timeout: 15_000 })
      .toBe('served');
    const detail = (await operator.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(Math.abs(new Date(detail.visit.checkOutAt).getTime() - before)).toBeLessThan(2000);
    const photos = (await operator.get(`/api/v1/service-orders/${o.id}/photos`)).json().items;
    expect(photos.map((p: { stage: string }) => p.stage)).toEqual(['check-in', 'check-out']);
    expect(Math.abs(new Date(photos[1].takenAt).getTime() - before)).toBeLessThan(2000);
    // The phone drops the item once the server's answer arrives, which can be just after the
    // server has committed the check-out that the poll above saw.
    await expect.poll(() => page.evaluate(() => localStorage.getItem('zhiyang.worker.queue'))).toBe('[]');
    await context.close();

    // The bureau opens the order in the console and sees both photos (scoped, audited reads).
    const desk = await phone(bureauUsername);
    await desk.page.setViewportSize({ width: 1280, height: 900 });
    // The board shows one China day: the order's own (half an hour ahead is tomorrow after 23:30).
    const day = new Date(new Date(o.scheduledAt).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    await desk.page.goto(`${server.url}/console/service-orders?date=${day}`);
    await desk.page.getByText(o.no).first().click();
    const imgs = desk.page.getByTestId('visit-photos').locator('img');
    await expect.poll(() => imgs.count()).toBe(2);
    await expect.poll(() => imgs.evaluateAll((els) => els.every((e) => (e as HTMLImageElement).naturalWidth === 64))).toBe(true);
    await desk.page.screenshot({ path: path.join(shots, 'order-drawer-photos.png') });
    await desk.context.close();
  });

  it('a worker with no network at all checks in and then out; both arrive in order with their times', async () => {
    const { o, context, page, card } = await workerWithTask(0.6);
    await card.getByRole('button', { name: /签\s*到/ }).waitFor({ state: 'visible' });

    // Inside the home there is no signal: the check-in is queued, and the card moves on to the
    // check-out form anyway, so the worker can finish the visit.
    await context.setOffline(true);
    const checkedIn = Date.now();
    await card.getByRole('button', { name: /签\s*到/ }).click();
    await card.getByPlaceholder('做了什么、老人情况如何').fill('陪老人整理衣物');
    const checkedOut = Date.now();
    await card.getByRole('button', { name: '提交签退' }).click();
    await expect
      .poll(() =>
        page.evaluate(() =>
          JSON.parse(localStorage.getItem('zhiyang.worker.queue') ?? '[]').map((q: { path: string }) => q.path),
        ),
      )
      .toEqual(['check-in', 'check-out']);
    expect((await operator.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('assigned');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect
      .poll(async () => (await operator.get(`/api/v1/service-orders/${o.id}`)).json().status, { timeout: 15_000 })
      .toBe('served');
    const visit = (await operator.get(`/api/v1/service-orders/${o.id}`)).json().visit;
    expect(Math.abs(new Date(visit.checkInAt).getTime() - checkedIn)).toBeLessThan(2000);
    expect(Math.abs(new Date(visit.checkOutAt).getTime() - checkedOut)).toBeLessThan(2000);
    await context.close();
  });

  it('the bureau edits an active policy: only name and end date are open, the rules are greyed out', async () => {
    const year = new Date().getFullYear();
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const b = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    const p = (
      await b.post('/api/v1/policies', {
        name: '高龄积分（测试）',
        kind: 'points_grant',
        amount: 300,
        period: 'year',
        regionCode: f.TREE.district,
        conditions: { minAge: 80 },
        validFrom: `${year}-01-01`,
      })
    ).json();
    expect((await b.post(`/api/v1/policies/${p.id}/activate`)).statusCode).toBe(200);
    const { context, page } = await phone(bureauUsername);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/console/policies`);
    await page
      .getByRole('row', { name: /高龄积分（测试）/ })
      .getByRole('button', { name: /编\s*辑/ })
      .click();
    await expect.poll(() => page.getByText(/已启用的政策只能修改名称和截止日期/).count()).toBe(1);
    await expect.poll(() => page.getByLabel('额度').isDisabled()).toBe(true);
    await page.getByLabel('政策名称').fill('高龄积分（改名）');
    await page.screenshot({ path: path.join(shots, 'policy-edit-active.png'), fullPage: true });
    await page.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(async () => (await b.get(`/api/v1/policies/${p.id}`)).json().name).toBe('高龄积分（改名）');
    expect((await b.get(`/api/v1/policies/${p.id}`)).json()).toMatchObject({ amount: 300, status: 'active' });
    await context.close();
  });
});
