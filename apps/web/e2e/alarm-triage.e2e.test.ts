import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, screenshotDir, WEB_DIR, WEB_DIST } from './support.ts';

// The server's test helpers, imported by path at run time (tsc -p apps/web does not check the server).
const SERVER_SRC = path.join(WEB_DIR, '../server/src');
interface Intake {
  device(id: string, opts?: { urgent?: boolean }): Promise<unknown>;
  submit(ev: Record<string, unknown>, dev: unknown): Promise<unknown>;
}
interface SafetyServer {
  url: string;
  ctx: { db: { execute(q: unknown): Promise<unknown> } };
  intake: Intake;
  close(): Promise<void>;
}

const WAIT = 30_000;
const FALL_ELDER = '王桂芳';
const SOS_ELDER = '赵德明';
const OFFLINE = 12;

let server: SafetyServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let operatorUsername: string;
let sosDevice: string;
const pageErrors: string[] = [];

const queue = () => page.getByTestId('alarm-queue');
const rows = () => queue().locator('.zy-alarm-row');

async function send(deviceId: string, type: string, msgId: string) {
  const dev = await server.intake.device(deviceId, { urgent: true });
  await server.intake.submit(
    { deviceId, msgId, type, data: {}, deviceTs: new Date(), receivedAt: new Date(), transport: 'internal' },
    dev,
  );
}

describe('alarm centre triage: a fall is never buried under device-offline alarms', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startSafetyServer, createDevice } = await import(path.join(SERVER_SRC, 'testing/safety.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { checkOffline } = await import(path.join(SERVER_SRC, 'modules/alarms/alarms.jobs.ts'));
    const { sql } = await import('drizzle-orm');
    server = await startSafetyServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    // A pile of P3 device-offline alarms, raised first so they are the oldest in the queue.
    const offlineElder = await createElder(server.ctx, f.TREE.communityA2, { name: '孙建国', livingSituation: 'with_family' });
    const ids: string[] = [];
    for (let i = 0; i < OFFLINE; i++) ids.push((await createDevice(server.ctx, { elderId: offlineElder.id, type: 'smoke' })).id);
    await server.ctx.db.execute(
      sql`UPDATE devices SET online = true, last_seen_at = now() - interval '13 hours' WHERE id IN ${ids}`,
    );
    await checkOffline(server.ctx);
    // A fall two minutes old that nobody took: the elder is on 低保 and has no phone on record.
    const fallElder = await createElder(server.ctx, f.TREE.communityA1, {
      name: FALL_ELDER,
      livingSituation: 'alone',
      categories: ['dibao'],
      lat: 30.61,
      lng: 104.01,
    });
    const radar = (await createDevice(server.ctx, { elderId: fallElder.id, type: 'fall_radar' })).id;
    await send(radar, 'fall', 'triage-fall');
    await server.ctx.db.execute(
      sql`UPDATE alarms SET raised_at = now() - interval '2 minutes', last_event_at = now() - interval '2 minutes' WHERE device_id = ${radar}`,
    );
    const sosElder = await createElder(server.ctx, f.TREE.communityB1, { name: SOS_ELDER, livingSituation: 'alone' });
    sosDevice = (await createDevice(server.ctx, { elderId: sosElder.id, type: 'pendant' })).id;
    operatorUsername = (await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district })).username;

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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

  it('the overdue P1 fall heads the life-safety queue; the device-offline pile is in its own tab', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(operatorUsername);
    await page.getByLabel('密码').fill('Test#Pass2026');
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL(/\/console$/, { timeout: WAIT });
    await page.goto(`${server.url}/console/alarms`);
    await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();

    await rows().first().waitFor();
    const first = rows().first();
    expect(await first.textContent()).toContain(FALL_ELDER);
    expect(await first.textContent()).toContain('超时未接警');
    expect(await first.getAttribute('data-overdue')).toBe('true');
    expect(await queue().getByText('设备离线').count()).toBe(0);
    await page.getByTestId('sla-by-priority').waitFor();
    await page.screenshot({ path: path.join(shots, 'triage-overdue-1440.png') });

    await page.getByTestId('tab-technical').click();
    await expect.poll(() => rows().filter({ hasText: '设备离线' }).count()).toBe(OFFLINE);
    expect(await rows().filter({ hasText: FALL_ELDER }).count()).toBe(0);
    expect(await page.getByTestId('tab-technical').textContent()).toContain(String(OFFLINE));
    await page.getByTestId('tab-life').click();
    await rows().filter({ hasText: FALL_ELDER }).waitFor();
  }, 180_000);

  it('after a fresh load the page says plainly when the browser blocks sound, and one click allows it', async () => {
    await page.reload();
    await rows().first().waitFor();
    // Whether this browser blocks audio without a click decides what the page must say.
    const blocked = await page.evaluate(() => {
      const c = new AudioContext();
      const s = c.state;
      void c.close();
      return s !== 'running';
    });
    if (blocked) {
      await page.getByTestId('sound-blocked').waitFor();
      await page.getByTestId('sound-blocked').getByRole('button', { name: '允许提示音' }).click();
      await page.getByTestId('sound-blocked').waitFor({ state: 'detached' });
    } else {
      expect(await page.getByTestId('sound-blocked').count()).toBe(0);
    }
    expect(await page.getByTestId('sound-toggle').textContent()).toContain('提示音开');
  }, 120_000);

  it('a new P1 SOS flashes the tab title and a banner; the priority filter narrows the list on the server', async () => {
    const title = await page.title();
    await send(sosDevice, 'sos', 'triage-sos');
    await page.getByTestId('new-alarm-banner').getByText(`新 P1 告警：一键呼救 · ${SOS_ELDER}`).waitFor();
    await expect.poll(() => page.title()).toMatch(/【新 P1 告警】一键呼救/);
    await rows().filter({ hasText: SOS_ELDER }).waitFor();

    const filtered = page.waitForResponse((r) => /\/alarms\?.*priority=P1/.test(r.url()));
    await page.getByTestId('filter-priority').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('P1 危及生命').click();
    expect((await filtered).status()).toBe(200);
    const texts = await rows().allTextContents();
    expect(texts.length).toBe(2);
    expect(texts.every((x) => x.includes('P1'))).toBe(true);
    await page.mouse.click(5, 5);
    await expect.poll(() => page.title()).toBe(title);
  }, 120_000);

  it('the fall card names the category in Chinese, shows no raw data, and says the elder has no phone', async () => {
    const row = rows().filter({ hasText: FALL_ELDER });
    await row.click();
    const card = page.locator('.ant-card').filter({ hasText: '紧急联系人（按呼叫顺序）' });
    await card.getByText('低保', { exact: true }).waitFor();
    expect(await card.textContent()).not.toMatch(/dibao|\{\}/);
    await row.getByRole('button', { name: /^接\s?警$/ }).click();
    await page.getByTestId('no-elder-phone').waitFor();
    expect(await page.getByRole('button', { name: '致电老人' }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'triage-alarm-centre-1440.png') });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('the big screen: gauge, map, separate technical panel, clock (1920×1080 screenshot)', async () => {
    const big = await context.newPage();
    await big.setViewportSize({ width: 1920, height: 1080 });
    await big.goto(`${server.url}/screen`);
    await big
      .getByTestId('screen-updated')
      .getByText(/数据更新/)
      .waitFor({ timeout: WAIT });
    await big.getByTestId('screen-clock').waitFor();
    await expect.poll(() => big.getByTestId('open-technical').textContent()).toContain(String(OFFLINE));
    await big.getByTestId('screen-map').locator('.leaflet-tooltip').first().waitFor();
    await big.screenshot({ path: path.join(shots, 'screen-1920.png') });
    await big.close();
  }, 120_000);

  it('with many open alarms the first screen comes first and the rest is drawn as the operator scrolls', async () => {
    const { sql } = await import('drizzle-orm');
    const MANY = 150;
    await server.ctx.db.execute(
      sql`INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, region_code, raised_at)
          SELECT 'inactivity_warning', 'P3', 'P3', 'e2e-many:' || g, e.id, e.region_code, now() - g * interval '1 second'
          FROM generate_series(1, ${MANY}::int) g, (SELECT id, region_code FROM elders WHERE name = ${SOS_ELDER}) e`,
    );
    await page.reload();
    await rows().first().waitFor();
    // Triage order: the untaken P1 SOS, then the P1 fall already in hand, then the P3s.
    await expect.poll(() => rows().count()).toBe(50);
    expect(await rows().nth(0).textContent()).toContain(SOS_ELDER);
    expect(await rows().nth(1).textContent()).toContain(FALL_ELDER);
    const total = MANY + 2;
    await expect.poll(() => page.getByTestId('alarm-queue-more').textContent()).toContain(`已显示 50 / ${total} 条`);
    expect(await page.getByTestId('tab-life').textContent()).toContain(String(total));
    // Scrolling to the end draws the next rows, until the whole queue is there.
    await expect
      .poll(
        async () => {
          await queue().evaluate((q) => q.scrollTo(0, q.scrollHeight));
          return rows().count();
        },
        { timeout: WAIT },
      )
      .toBe(total);
    expect(await page.getByTestId('alarm-queue-more').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'triage-many-1440.png') });
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
