import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

// The canteen kiosk (/kiosk) in Debian Chromium with a fake camera: the video is a .y4m file the
// test writes from a face cut out of @vladmandic/face-api's sample photos (the elder was enrolled
// from other cut-outs of the same photo). The elder is recognised, sees the subsidy, the balance
// and the recommendations, orders and gets a ticket; then the network drops mid-service and two
// meals wait on the device and arrive once each when it returns.

const PASSWORD = 'Test#Pass2026';
const WAIT = { timeout: 30_000 };
type Res = { statusCode: number; body: string; json(): any };
type Client = {
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
  put(url: string, body?: unknown): Promise<Res>;
};
interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

let server: Server & { close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let shots: string;
let username: string;
let kitchen: Client;
let canteenId: string;
let zhang: string;
let zhangIdTail: string;
let enrolPhotos: string[];
let community: Client;
let li: string;
let liCard: string;
let closePool: () => Promise<void>;

/** An RGB image as one frame of a YUV4MPEG2 (4:2:0, full range) video, the format Chromium's fake camera reads. */
function toY4m(img: Rgb): Buffer {
  const w = img.width & ~1;
  const h = img.height & ~1;
  const px = (x: number, y: number) => {
    const i = (y * img.width + x) * 3;
    return [img.data[i], img.data[i + 1], img.data[i + 2]];
  };
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  for (let j = 0; j < h; j++)
    for (let i = 0; i < w; i++) {
      const [r, g, b] = px(i, j);
      y[j * w + i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  for (let j = 0; j < h / 2; j++)
    for (let i = 0; i < w / 2; i++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ]) {
        const [pr, pg, pb] = px(2 * i + dx, 2 * j + dy);
        r += pr / 4;
        g += pg / 4;
        b += pb / 4;
      }
      const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
      u[j * (w / 2) + i] = clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128);
      v[j * (w / 2) + i] = clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128);
    }
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, u, v]);
}

/**
 * A QR code of `text` as one grey frame (white paper, 8 px modules, a quiet zone), in YUV4MPEG2:
 * the elder card held up to the tablet. Encoded with the QR generator antd's QRCode ships.
 */
function qrY4m(text: string): Buffer {
  const req = createRequire(import.meta.url);
  const { QrCode, Ecc } = req(path.join(SERVER_SRC, '../../../node_modules/@rc-component/qrcode/lib/libs/qrcodegen.js'));
  const qr = QrCode.encodeText(text, Ecc.MEDIUM);
  const w = 640;
  const h = 480;
  const cell = 8;
  const size = qr.size * cell;
  const x0 = Math.floor((w - size) / 2);
  const y0 = Math.floor((h - size) / 2);
  const y = Buffer.alloc(w * h, 235);
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) if (qr.getModule(Math.floor(i / cell), Math.floor(j / cell))) y[(y0 + j) * w + x0 + i] = 16;
  const uv = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), y, uv]);
}

async function openKiosk(on: BrowserContext = context): Promise<Page> {
  const page = await on.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${server.url}/kiosk`);
  const start = page.getByRole('button', { name: '开始刷脸' });
  await page.getByLabel('工作人员账号').or(start).waitFor(WAIT);
  if (await page.getByLabel('工作人员账号').isVisible()) {
    await page.getByLabel('工作人员账号').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
  }
  await start.waitFor(WAIT);
  return page;
}

const mealsOf = async (elderId: string) =>
  (await kitchen.get(`/api/v1/meals?canteenId=${canteenId}&elderId=${elderId}`)).json().items as Array<{
    ticketNo: string;
    eatenAt: string;
    subsidyFen: number;
  }>;

describe('canteen kiosk', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { runGrant } = await import(path.join(SERVER_SRC, 'modules/policies/policies.service.ts'));
    const { cstDate } = await import(path.join(SERVER_SRC, 'lib/dates.ts'));
    const { elderQrToken } = await import(path.join(SERVER_SRC, 'modules/orders/visits.service.ts'));
    const samples = await import(path.join(SERVER_SRC, 'modules/faces/faces.samples.ts'));
    ({ closeFacePool: closePool } = await import(path.join(SERVER_SRC, 'modules/faces/faces.tasks.ts')));
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    const ctx = server.ctx;
    await f.seedTree(ctx);
    canteenId = (await f.createOrg(ctx, 'canteen', f.TREE.communityA1, '锦华路社区长寿食堂')).id;
    username = (await f.createAccount(ctx, 'canteen_staff', { orgId: canteenId })).username;
    kitchen = (await f.clientAs(server.app, ctx, 'canteen_staff', { orgId: canteenId })).api as Client;
    const bureau = (await f.clientAs(server.app, ctx, 'district_admin', { regionCode: f.TREE.district })).api as Client;
    community = (await f.clientAs(server.app, ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).api as Client;
    const year = Number(cstDate().slice(0, 4));
    const zhangRow = await createElder(ctx, f.TREE.communityA1, {
      name: '张秀英',
      birthDate: `${year - 85}-03-01`,
      chronicConditions: ['高血压'],
      allergies: ['海鲜'],
    });
    zhang = zhangRow.id;
    zhangIdTail = zhangRow.idNumber.slice(-4);
    li = (await createElder(ctx, f.TREE.communityA1, { name: '李国华', birthDate: `${year - 82}-06-01`, phone: '13812345678' }))
      .id;
    liCard = elderQrToken(ctx, li);
    // The phone's last-4 index of rows written before it existed is filled by the backfill job.
    const { backfillPhoneTails } = await import(path.join(SERVER_SRC, 'modules/elders/phone-tail.ts'));
    await backfillPhoneTails(ctx);
    expect((await kitchen.put(`/api/v1/canteens/${canteenId}/profile`, { communities: [f.TREE.communityA1] })).statusCode).toBe(
      200,
    );
    const dishes: Array<{ id: string }> = [];
    for (const d of [
      { name: '清蒸鲈鱼', category: 'meat', priceFen: 1200, healthTags: ['low_salt', 'low_fat'], allergens: ['fish'] },
      { name: '红烧肉', category: 'meat', priceFen: 1000 },
      { name: '清炒时蔬', category: 'vegetable', priceFen: 600, healthTags: ['low_salt', 'low_fat', 'vegetarian'] },
      { name: '米饭', category: 'staple', priceFen: 100 },
    ]) {
      const res = await kitchen.post(`/api/v1/canteens/${canteenId}/dishes`, d);
      expect(res.statusCode, res.body).toBe(201);
      dishes.push(res.json());
    }
    // The same menu at every meal period, so the test does not depend on the hour it runs at.
    for (const period of ['breakfast', 'lunch', 'dinner'])
      expect(
        (
          await kitchen.put(`/api/v1/canteens/${canteenId}/menus/${cstDate()}/${period}`, {
            items: dishes.map((d) => ({ dishId: d.id })),
          })
        ).statusCode,
      ).toBe(200);
    const policy = await bureau.post('/api/v1/policies', {
      kind: 'purchase_credit',
      period: 'month',
      regionCode: f.TREE.district,
      validFrom: `${year - 1}-01-01`,
      prorate: false,
      name: '80岁以上老人助餐补贴',
      amount: 6000,
      conditions: { minAge: 80 },
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await bureau.post(`/api/v1/policies/${policy.json().id}/activate`)).statusCode).toBe(200);
    const rule = await bureau.put(`/api/v1/meal-subsidy-rules/${policy.json().id}`, {
      perMealFen: { breakfast: 500, lunch: 500, dinner: 500 },
    });
    expect(rule.statusCode, rule.body).toBe(200);
    await runGrant(ctx, policy.json().id);

    // Enrol 张秀英 from three cut-outs of sample face 0; the camera shows a fourth, different one.
    const { faces } = await samples.sampleFaces();
    enrolPhotos = samples.variants(faces[0]).enrol.map((img: Rgb) => samples.toJpeg(img).toString('base64'));
    const enrol = await community.put(`/api/v1/elders/${zhang}/face`, {
      consent: { signedBy: '本人（张秀英）', signedAt: new Date().toISOString(), documentRef: '锦华-同意-0001' },
      photos: enrolPhotos,
      canteenOrgIds: [canteenId],
    });
    expect(enrol.statusCode, enrol.body).toBe(200);
    shots = screenshotDir();
    const video = path.join(shots, 'kiosk-camera.y4m');
    writeFileSync(video, toY4m(samples.brightness(samples.faceCrop(faces[0], 0.45, 0.04, 0.02), 0.9)));

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['camera'],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await closePool?.();
    await server?.close();
  });

  it('recognises the elder by face, shows the subsidy, balance and recommendations, and gives a ticket', async () => {
    const page = await openKiosk();
    await page.getByText('锦华路社区长寿食堂').waitFor(WAIT);
    await expect.poll(() => page.getByRole('button', { name: '开始刷脸' }).isEnabled(), WAIT).toBe(true);
    await page.screenshot({ path: path.join(shots, 'kiosk-camera.png') });
    await page.getByRole('button', { name: '开始刷脸' }).click();
    await page.getByRole('heading', { name: '张秀英 您好' }).waitFor(WAIT);
    await page.getByText('本餐补贴').first().waitFor(WAIT);
    await expect
      .poll(() => page.locator('.kiosk-order > div').first().innerText())
      .toMatch(/本餐补贴\s*5\.00 元[\s\S]*补贴余额\s*60\.00 元/);
    // Recommended first, with the reason; the fish dish carries the allergy warning and is not recommended.
    const cards = page.locator('.kiosk-dish');
    await expect.poll(() => cards.count()).toBe(4);
    const first = await cards.first().innerText();
    expect(first).toContain('推荐');
    expect(first).toMatch(/高血压/);
    const fish = cards.filter({ hasText: '清蒸鲈鱼' });
    expect(await fish.innerText()).toMatch(/注意：.*海鲜|注意：.*鱼/);
    expect(await fish.locator('.kiosk-tag').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'kiosk-order.png') });

    await page.getByRole('button', { name: '加一份 清炒时蔬' }).click();
    await page.getByRole('button', { name: '加一份 米饭' }).click();
    await expect.poll(() => page.locator('.kiosk-bar').innerText()).toMatch(/合计\s*7\.00 元.*补贴\s*5\.00 元.*自付\s*2\.00 元/s);
    await page.getByRole('radio', { name: /现\s?金/ }).click();
    await page.getByRole('button', { name: '确认点餐' }).click();
    const ticket = page.locator('.kiosk-ticket');
    await ticket.waitFor(WAIT);
    const no = (await ticket.innerText()).trim();
    expect(no).toMatch(/^[BLD]\d{3}$/);
    await page.getByText('补贴 5.00 元，自付 2.00 元').waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'kiosk-ticket.png') });

    const recorded = await mealsOf(zhang);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ ticketNo: no, subsidyFen: 500 });
    expect(await page.getByText(/[a-z]+-[a-z]+|secondFactorRequired|identified/).count()).toBe(0);
    await page.getByRole('button', { name: '下一位' }).click();
    await page.getByRole('button', { name: '开始刷脸' }).waitFor(WAIT);
    await page.close();
  });

  it('keeps two meals on the device while the network is down and sends each once when it returns', async () => {
    const before = { zhang: (await mealsOf(zhang)).length, li: (await mealsOf(li)).length };
    // Two kiosk windows of the canteen on this device: one recognises 张秀英, the other finds 李国华 by name.
    const a = await openKiosk();
    await a.getByRole('button', { name: '开始刷脸' }).click();
    await a.getByRole('heading', { name: '张秀英 您好' }).waitFor(WAIT);
    const b = await openKiosk();
    await b.getByRole('button', { name: '工作人员按姓名查找' }).click();
    await b.getByLabel('老人姓名或拼音首字母').fill('李国华');
    await b.getByRole('button', { name: /查\s?找/ }).click();
    await b.getByRole('button', { name: /李国华/ }).click();
    await b.getByRole('heading', { name: '李国华 您好' }).waitFor(WAIT);

    await context.setOffline(true);
    const offlineAt = Date.now();
    await a.getByText('网络已断开，点餐会暂存在本机').waitFor(WAIT);
    await a.getByRole('button', { name: '加一份 红烧肉' }).click();
    await a.getByRole('button', { name: '确认点餐' }).click();
    await a.getByText('网络已断开，本餐已暂存').waitFor(WAIT);
    await b.getByRole('button', { name: '加一份 清炒时蔬' }).click();
    await b.getByRole('button', { name: '确认点餐' }).click();
    await b.getByText('网络已断开，本餐已暂存').waitFor(WAIT);
    await b.getByRole('status').filter({ hasText: '待提交 2 份' }).waitFor(WAIT);
    await a.getByRole('status').filter({ hasText: '待提交 2 份' }).waitFor(WAIT);
    await b.screenshot({ path: path.join(shots, 'kiosk-offline.png') });
    expect((await mealsOf(zhang)).length).toBe(before.zhang);
    expect((await mealsOf(li)).length).toBe(before.li);

    // Both windows send the queue when the network returns: each meal is still recorded once.
    const backAt = Date.now();
    await context.setOffline(false);
    await a.getByRole('status').filter({ hasText: '待提交' }).waitFor({ state: 'detached', timeout: 30_000 });
    await b.getByRole('status').filter({ hasText: '待提交' }).waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(async () => (await mealsOf(zhang)).length, WAIT).toBe(before.zhang + 1);
    await expect.poll(async () => (await mealsOf(li)).length, WAIT).toBe(before.li + 1);
    const [zMeal] = await mealsOf(zhang);
    const [lMeal] = await mealsOf(li);
    for (const m of [zMeal, lMeal]) {
      const at = new Date(m.eatenAt).getTime();
      expect(at).toBeGreaterThanOrEqual(offlineAt - 1000);
      expect(at).toBeLessThan(backAt);
    }
    // Each window now shows its elder's ticket (or, when the other window sent it, that it was sent).
    for (const [p, m] of [
      [a, zMeal],
      [b, lMeal],
    ] as const) {
      const ticket = p.locator('.kiosk-ticket');
      await ticket.or(p.getByText('本餐已提交，取餐号请看就餐记录')).waitFor(WAIT);
      if (await ticket.count()) expect((await ticket.innerText()).trim()).toBe(m.ticketNo);
    }
    await a.screenshot({ path: path.join(shots, 'kiosk-back-online.png') });
    // Nothing more arrives later (the windows' retries find nothing waiting).
    // The window empties its queue once the server's answer is in, which may be just after the
    // ticket shows.
    await expect.poll(() => a.evaluate(() => localStorage.getItem('zhiyang.kiosk.meals')), WAIT).toBe('[]');
    expect((await mealsOf(zhang)).length).toBe(before.zhang + 1);
    expect((await mealsOf(li)).length).toBe(before.li + 1);
  });
  it('asks a second factor when the canteen cannot place the face, and verifies the chosen elder 1:1; fits a portrait tablet', async () => {
    // Enrolled, but no longer for this canteen: identification here finds nobody.
    const again = await community.put(`/api/v1/elders/${zhang}/face`, {
      consent: { signedBy: '本人（张秀英）', signedAt: new Date().toISOString(), documentRef: '锦华-同意-0002' },
      photos: enrolPhotos,
      canteenOrgIds: [],
    });
    expect(again.statusCode, again.body).toBe(200);
    const page = await openKiosk();
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.getByRole('button', { name: '开始刷脸' }).click();
    await page.getByText('未能确认是哪位老人，请输入身份证或手机号后4位').waitFor(WAIT);
    // On the kiosk's own keypad (the last character may be an X).
    for (const k of zhangIdTail) await page.getByRole('button', { name: k, exact: true }).click();
    await expect.poll(() => page.getByLabel('身份证后4位或手机号').inputValue()).toBe(zhangIdTail);
    await page.getByRole('button', { name: /查\s?找/ }).click();
    await page.getByRole('button', { name: /张秀英/ }).waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'kiosk-second-factor-portrait.png') });
    await page.getByRole('button', { name: /张秀英/ }).click();
    await page.getByRole('heading', { name: '张秀英 您好' }).waitFor(WAIT);
    await page.locator('.kiosk-dish').first().waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'kiosk-order-portrait.png') });
    // Every button of the kiosk is a target of at least 56 px; no text under 22 px.
    const small = await page.evaluate(
      () =>
        [...document.querySelectorAll('.zy-kiosk button')]
          .map((b) => b.getBoundingClientRect())
          .filter((r) => r.width > 0 && (r.height < 56 || r.width < 56)).length,
    );
    expect(small).toBe(0);
    const tiny = await page.evaluate(() =>
      [...document.querySelectorAll('.zy-kiosk *')]
        .filter((e) => e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
        .filter((e) => Number.parseFloat(getComputedStyle(e).fontSize) < 22)
        .map((e) => e.textContent),
    );
    expect(tiny).toEqual([]);
    await page.close();
  });

  it('finds the elder by the last 4 of the phone, and reads the elder card with the camera', async () => {
    const page = await openKiosk();
    await page.getByRole('button', { name: '身份证 / 手机后4位' }).click();
    await page.getByRole('button', { name: '手机后4位', exact: true }).click();
    for (const k of '5678') await page.getByRole('button', { name: k, exact: true }).click();
    await expect.poll(() => page.getByLabel('手机号后4位').inputValue()).toBe('5678');
    await page.getByRole('button', { name: /查\s?找/ }).click();
    await page.getByRole('button', { name: /李国华/ }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: /张秀英/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'kiosk-phone-tail.png') });
    await page.close();

    // Another tablet whose camera sees 李国华's card (its QR code) instead of a face.
    const video = path.join(shots, 'kiosk-card.y4m');
    writeFileSync(video, qrY4m(liCard));
    const cardBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const cardContext = await cardBrowser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        permissions: ['camera'],
      });
      const tablet = await openKiosk(cardContext);
      await tablet.getByRole('button', { name: '老人卡 / 身份证号' }).click();
      await tablet.getByRole('button', { name: '用摄像头扫老人卡' }).click();
      await tablet.getByRole('button', { name: /李国华/ }).waitFor(WAIT);
      // The code read is in the field, as a scanner would have typed it.
      expect(await tablet.getByLabel('扫老人卡，或输入身份证号').inputValue()).toBe(liCard);
      await tablet.screenshot({ path: path.join(shots, 'kiosk-card-camera.png') });
      await tablet.getByRole('button', { name: /李国华/ }).click();
      await tablet.getByRole('heading', { name: '李国华 您好' }).waitFor(WAIT);
    } finally {
      await cardBrowser.close();
    }
  });
});
