import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * Remote survival verification 生存认证 in Debian Chromium with a fake camera. A family member on a
 * phone-size page (390×844) opens 刷脸认证 under 高龄津贴, reads the two actions, taps 我准备好了; the
 * page takes frames on its fixed schedule (SurvivalCheck.tsx CAPTURE_SCHEDULE) and shows 认证成功.
 * Community staff then see the verification (手机刷脸 · 通过) in the application drawer, and the visit
 * task of another elder whose three attempts failed, in the console at 1440×900.
 *
 * The camera is Chromium's fake device playing a .y4m the test writes once the page shows the
 * challenge (Chromium opens the file when the page opens the camera): a package-shipped sample
 * face, neutral, then the first action, neutral, the second (faces.liveness-samples.ts), timed to
 * the page's schedule. The fake device plays it in a loop; the capture ends before the loop
 * comes round.
 */

const PASSWORD = 'Test#Pass2026';
type Rgb = { width: number; height: number; data: Uint8Array };
// biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely, as in the other browser tests
type Res = { statusCode: number; body: string; json(): any };
type Api = { post(url: string, body?: unknown): Promise<Res>; put(url: string, body?: unknown): Promise<Res> };
let server: Server & { close(): Promise<void> };
let browser: Browser;
let shots: string;
let video: string;
let familyUsername = '';
let staffUsername = '';
let face: unknown;
let samples: typeof import('../../server/src/modules/faces/faces.samples.ts');
let liveness: typeof import('../../server/src/modules/faces/faces.liveness-samples.ts');
let closePool: () => Promise<void>;

/** RGB frames as a YUV4MPEG2 video (4:2:0, full range) at `fps`, the format Chromium's fake camera reads. */
function toY4m(frames: Rgb[], fps: number): Buffer {
  const { width, height } = frames[0];
  const w = width & ~1;
  const h = height & ~1;
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
  for (const img of frames) {
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
        y[j * w + i] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
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
        u[j * (w / 2) + i] = clamp(-0.1687 * r - 0.3313 * g + 0.5 * b + 128);
        v[j * (w / 2) + i] = clamp(0.5 * r - 0.4187 * g - 0.0813 * b + 128);
      }
    parts.push(Buffer.from('FRAME\n'), y, u, v);
  }
  return Buffer.concat(parts);
}

/**
 * The camera's video for a challenge, at 10 frames a second, against the page's schedule
 * (frames at 0.4–0.8 s, 2.0–3.0 s after the first prompt at 1.0 s, 4.4–5.4 s after the second at
 * 3.4 s): neutral until 1.5 s, the first action to 3.3 s, neutral to 3.9 s, the second to 5.9 s,
 * neutral to 7 s — half a second of slack on each side of every capture.
 */
async function challengeVideo(actions: string[]) {
  const f = face as Parameters<typeof samples.faceCrop>[0];
  const neutral = samples.faceCrop(f, 0.3);
  const lm = await liveness.landmarks(neutral);
  const first = liveness.actionFrame(neutral, lm, actions[0] as 'blink');
  const second = liveness.actionFrame(neutral, lm, actions[1] as 'blink');
  const frames: Rgb[] = [];
  for (let k = 0; k < 70; k++) {
    const t = k / 10;
    frames.push(t >= 1.5 && t < 3.3 ? first : t >= 3.9 && t < 5.9 ? second : neutral);
  }
  return toY4m(frames, 10);
}

async function phonePage() {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    permissions: ['camera'],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
    data: { username: familyUsername, password: PASSWORD },
  });
  expect(login.ok()).toBe(true);
  return { context, page };
}

describe('生存认证 with a fake camera', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { dailyUpkeep } = await import(path.join(SERVER_SRC, 'modules/allowances/tiers.service.ts'));
    const { cstDate } = await import(path.join(SERVER_SRC, 'lib/dates.ts'));
    const { sql } = await import('drizzle-orm');
    samples = await import(path.join(SERVER_SRC, 'modules/faces/faces.samples.ts'));
    liveness = await import(path.join(SERVER_SRC, 'modules/faces/faces.liveness-samples.ts'));
    ({ closeFacePool: closePool } = await import(path.join(SERVER_SRC, 'modules/faces/faces.tasks.ts')));
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    const ctx = server.ctx;
    await f.seedTree(ctx);
    const district = (await f.clientAs(server.app, ctx, 'district_admin', { regionCode: f.TREE.district })).api as Api;
    const street = (await f.clientAs(server.app, ctx, 'street_staff', { regionCode: f.TREE.streetA })).api as Api;
    const staff = await f.clientAs(server.app, ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
    const community = staff.api as Api;
    staffUsername = staff.account.username;
    await ctx.db.execute(sql`UPDATE users SET display_name = '锦华社区王老师' WHERE id = ${staff.account.id}`);
    const year = Number(cstDate().slice(0, 4));
    for (const [minAge, maxAge, monthlyFen] of [
      [80, 89, 10000],
      [90, null, 20000],
    ] as const)
      expect(
        (
          await district.post('/api/v1/allowance-tiers', {
            regionCode: f.TREE.district,
            year,
            minAge,
            maxAge,
            monthlyFen,
            effectiveFrom: `${year}-01-01`,
            effectiveTo: `${year}-12-31`,
          })
        ).statusCode,
      ).toBe(201);
    // Two elders paid the allowance, both enrolled with the same sample face's cut-outs.
    const { faces } = await samples.sampleFaces();
    face = faces.find((x) => x.id === 'sample5#3');
    expect(face).toBeTruthy();
    const elders: string[] = [];
    for (const name of ['赵秀珍', '钱玉兰']) {
      const e = await createElder(ctx, f.TREE.communityA1, { name, birthDate: `${year - 86}-01-15` });
      const a = await community.post('/api/v1/allowance-applications', {
        elderId: e.id,
        bankName: '测试银行',
        bankAccount: '6222020000001234',
        accountHolder: name,
      });
      expect(a.statusCode, a.body).toBe(201);
      for (const api of [community, street, district])
        expect(
          (await api.post(`/api/v1/allowance-applications/${a.json().id}/decisions`, { decision: 'approve' })).statusCode,
        ).toBe(200);
      const enrol = await community.put(`/api/v1/elders/${e.id}/face`, {
        consent: { signedBy: `本人（${name}）`, signedAt: new Date().toISOString(), documentRef: `锦华-同意-${name}` },
        photos: samples.variants(face as never).enrol.map((img: Rgb) => samples.toJpeg(img).toString('base64')),
      });
      expect(enrol.statusCode, enrol.body).toBe(200);
      elders.push(e.id);
    }
    await ctx.db.execute(sql`UPDATE allowance_applications SET notice_ends_on = '2000-01-01' WHERE status = 'notice'`);
    await dailyUpkeep(ctx);
    const fam = await f.clientAs(server.app, ctx, 'family');
    familyUsername = fam.account.username;
    // Names show in the attempts' 操作人 column: a Chinese one, as a real account has.
    await ctx.db.execute(
      sql`UPDATE users SET elder_id = ${elders[0]}, display_name = '赵秀珍的女儿' WHERE id = ${fam.account.id}`,
    );
    // The second elder's family tried three times with a still photo: the community has a visit task.
    const other = await f.clientAs(server.app, ctx, 'family');
    await ctx.db.execute(
      sql`UPDATE users SET elder_id = ${elders[1]}, display_name = '钱玉兰的儿子' WHERE id = ${other.account.id}`,
    );
    const still = samples.toJpeg(samples.faceCrop(face as never, 0.3)).toString('base64');
    for (let k = 0; k < 3; k++) {
      const c = (await (other.api as Api).post('/api/v1/allowance/mine/survival-challenges')).json();
      const r = await (other.api as Api).post(`/api/v1/allowance-survival-challenges/${c.id}/answer`, {
        nonce: c.nonce,
        frames: Array(6).fill(still),
      });
      expect(r.json().reason).toBe('no-motion');
    }

    shots = screenshotDir();
    video = path.join(shots, 'survival-camera.y4m');
    // Until the page shows a challenge, the camera shows the face at rest.
    writeFileSync(video, toY4m([samples.faceCrop(face as never, 0.3)], 10));
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
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await closePool?.();
    await server?.close();
  });

  it('a family member verifies on the phone page; staff see it in the console, and the visit task', async () => {
    const { context, page } = await phonePage();
    await page.goto(`${server.url}/family`);
    const card = page.getByTestId('my-survival');
    await expect.poll(() => card.textContent(), { timeout: 30_000 }).toContain('还没有做生存认证');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'survival-phone-card.png'), fullPage: true });

    const started = page.waitForResponse((r) => r.url().endsWith('/allowance/mine/survival-challenges') && r.status() === 201);
    await page.getByRole('button', { name: '刷脸认证' }).click();
    const challenge = await (await started).json();
    const texts: Record<string, string> = {
      turn_left: '请向左转头',
      turn_right: '请向右转头',
      open_mouth: '请张嘴',
      blink: '请眨眼',
    };
    const intro = page.getByTestId('survival-page');
    await expect.poll(() => intro.textContent()).toContain(texts[challenge.actions[1]]);
    expect(await intro.textContent()).toContain(texts[challenge.actions[0]]);
    await page.screenshot({ path: path.join(shots, 'survival-phone-intro.png') });
    // The camera will show this challenge's actions in order.
    writeFileSync(video, await challengeVideo(challenge.actions));

    const answered = page.waitForResponse((r) => r.url().includes('/answer'), { timeout: 60_000 });
    await page.getByRole('button', { name: '我准备好了' }).click();
    const prompt = page.getByTestId('survival-prompt');
    await expect.poll(() => prompt.textContent(), { timeout: 15_000 }).toBe(texts[challenge.actions[0]]);
    await page.screenshot({ path: path.join(shots, 'survival-phone-camera.png') });
    await expect.poll(() => prompt.textContent(), { timeout: 15_000 }).toBe(texts[challenge.actions[1]]);
    const body = JSON.parse((await answered).request().postData() ?? '{}');
    expect(body.frames.length).toBe(8);
    const result = page.getByTestId('survival-result');
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toContain('认证成功');
    await page.screenshot({ path: path.join(shots, 'survival-phone-result.png') });
    await page.getByRole('button', { name: '完成' }).click();
    await expect.poll(() => card.textContent()).toContain('已完成生存认证');
    await context.close();

    // Staff: the drawer's history and the visit tasks page, in Chinese.
    const staff = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['camera'],
    });
    const console_ = await staff.newPage();
    console_.setDefaultTimeout(30_000);
    const login = await console_.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: staffUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await console_.goto(`${server.url}/console/allowances/applications`);
    const row = console_.locator('.ant-table-row', { hasText: '赵秀珍' });
    await row.getByRole('button', { name: /查\s*看/ }).click();
    const history = console_.getByTestId('survival-history');
    await expect.poll(() => history.textContent()).toContain('手机刷脸');
    expect(await history.textContent()).toContain('通过');
    expect(await history.textContent()).toContain('本期已认证');
    await history.scrollIntoViewIfNeeded();
    await console_.screenshot({ path: path.join(shots, 'survival-console-drawer.png') });
    expect(((await history.textContent()) ?? '').match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);

    // The same check run by staff with the console's camera (a kiosk or a home visit): channel 社区刷脸.
    const kioskStarted = console_.waitForResponse((r) => r.url().endsWith('/survival-challenges') && r.status() === 201);
    await history.getByRole('button', { name: '社区刷脸认证' }).click();
    const kiosk = await (await kioskStarted).json();
    const kioskIntro = console_.getByTestId('kiosk-survival-intro');
    await expect.poll(() => kioskIntro.textContent()).toContain(texts[kiosk.actions[1]]);
    writeFileSync(video, await challengeVideo(kiosk.actions));
    await console_.getByRole('button', { name: /我准备好了/ }).click();
    const kioskResult = console_.getByTestId('kiosk-survival-result');
    await expect.poll(() => kioskResult.textContent(), { timeout: 60_000 }).toContain('认证成功');
    await console_.screenshot({ path: path.join(shots, 'survival-console-kiosk.png') });
    await kioskResult.getByRole('button', { name: /完\s*成/ }).click();
    await expect.poll(() => history.textContent()).toContain('社区刷脸');

    await console_.goto(`${server.url}/console/allowances/visit-tasks`);
    const task = console_.locator('.ant-table-row', { hasText: '钱玉兰' });
    await expect.poll(() => task.textContent()).toContain('待上门');
    expect(await task.textContent()).toContain('3');
    await console_.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    await console_.screenshot({ path: path.join(shots, 'survival-console-visit-tasks.png') });
    await staff.close();
  }, 240_000);
});
