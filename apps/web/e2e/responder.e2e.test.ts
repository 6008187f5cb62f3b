import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, screenshotDir, WEB_DIST } from './support.ts';

interface Intake {
  device(id: string, opts?: { urgent?: boolean }): Promise<unknown>;
  submit(ev: Record<string, unknown>, dev: unknown): Promise<unknown>;
}
interface SafetyServer {
  url: string;
  app: unknown;
  ctx: { db: { execute(q: unknown): Promise<{ rows: Array<Record<string, unknown>> }> } };
  intake: Intake;
  close(): Promise<void>;
}

const WAIT = 30_000;
const ELDER = '钱桂英';
const ADDRESS = '甲一社区 5 栋 1 单元 302';

let server: SafetyServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let responder: { username: string; id: string };
let operator: Api;
let alarmId: string;
const pageErrors: string[] = [];

/** The dispatch's status as the server holds it. */
async function dispatchStatus(): Promise<string | undefined> {
  const { sql } = await import('drizzle-orm');
  const r = await server.ctx.db.execute(
    sql`SELECT status FROM alarm_dispatches WHERE alarm_id = ${alarmId} AND responder_id = ${responder.id}`,
  );
  return r.rows[0]?.status as string | undefined;
}

describe("the responder's phone page (390×844): on duty, an assigned alarm, accept → en route → on site → done", () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startSafetyServer, createDevice } = await import(path.join(SERVER_SRC, 'testing/safety.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    server = await startSafetyServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    const elder = await createElder(server.ctx, f.TREE.communityA1, {
      name: ELDER,
      livingSituation: 'alone',
      address: ADDRESS,
      lat: 30.61,
      lng: 104.01,
    });
    const pendant = (await createDevice(server.ctx, { elderId: elder.id, type: 'pendant' })).id;
    const dev = await server.intake.device(pendant, { urgent: true });
    await server.intake.submit(
      {
        deviceId: pendant,
        msgId: 'responder-sos',
        type: 'sos',
        data: {},
        deviceTs: new Date(),
        receivedAt: new Date(),
        transport: 'internal',
      },
      dev,
    );
    const { sql } = await import('drizzle-orm');
    alarmId = (await server.ctx.db.execute(sql`SELECT id FROM alarms WHERE device_id = ${pendant} AND open`)).rows[0]
      .id as string;
    const acc = await f.createAccount(server.ctx, 'responder', { regionCode: f.TREE.communityA1 });
    responder = { username: acc.username, id: acc.id };
    operator = (await f.clientAs(server.app, server.ctx, 'operator', { regionCode: f.TREE.district })).api as Api;

    browser = await launchBrowser();
    // A phone: 390×844, touch, with its position shared (the page reports it when going on duty).
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 30.612, longitude: 104.011 },
      permissions: ['geolocation'],
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 300_000);

  it('logs in, goes on duty with its position, and an alarm the operator assigns appears live', async () => {
    await page.goto(`${server.url}/worker/respond`);
    await page.getByLabel('用户名').fill(responder.username);
    await page.getByLabel('密码').fill('Test#Pass2026');
    await page.locator('form button[type="submit"]').click();
    await page.getByText('我的任务').waitFor();
    await page.getByText('暂无任务').waitFor();

    // The label is the switch's 48 px target: a tap on it goes on duty and shares the position.
    await page.getByText('离岗', { exact: true }).click();
    await page.getByText('在岗', { exact: true }).waitFor();
    await expect
      .poll(async () =>
        (await operator.get(`/api/v1/responders?alarmId=${alarmId}`)).json().items.map((r: { userId: string }) => r.userId),
      )
      .toContain(responder.id);

    // The operator takes the SOS and sends this responder: the task arrives over the WebSocket.
    expect((await operator.post(`/api/v1/alarms/${alarmId}/acknowledge`)).statusCode).toBe(200);
    const d = await operator.post(`/api/v1/alarms/${alarmId}/dispatch`, { responderId: responder.id });
    expect(d.statusCode, JSON.stringify(d.json())).toBe(201);
    const card = page.locator('.ant-card').filter({ hasText: ELDER });
    await card.waitFor();
    expect(await card.textContent()).toContain('一键呼救');
    expect(await card.textContent()).toContain(ADDRESS);
    expect(await card.textContent()).toContain('P1');
    await page.screenshot({ path: path.join(shots, 'responder-task-390.png'), fullPage: true });
  }, 180_000);

  it('accepts, sets out, arrives and finishes; each step reaches the server; targets stay 48 px and nothing overflows', async () => {
    const card = page.locator('.ant-card').filter({ hasText: ELDER });
    for (const [button, status] of [
      // Ant Design spaces out a two-character label (接 单), so the names allow a space.
      [/^接\s?单$/, 'accepted'],
      [/^出\s?发$/, 'en_route'],
      [/^已到场$/, 'on_site'],
      [/^完\s?成$/, 'done'],
    ] as const) {
      const b = card.getByRole('button', { name: button });
      const box = await b.boundingBox();
      expect(box?.height).toBeGreaterThanOrEqual(48);
      await b.click();
      await expect.poll(dispatchStatus).toBe(status);
      if (status === 'on_site') await page.screenshot({ path: path.join(shots, 'responder-on-site-390.png'), fullPage: true });
    }
    // Done: the task leaves the list; the alarm's history names each step.
    await page.getByText('暂无任务').waitFor();
    const card2 = (await operator.get(`/api/v1/alarms/${alarmId}`)).json();
    const kinds = card2.actions.map((a: { kind: string }) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['responder_accepted', 'responder_en_route']));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(shots, 'responder-done-390.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
