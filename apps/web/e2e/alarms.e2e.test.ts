import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickUntil, ensureWebBuild, launchBrowser, screenshotDir, WEB_DIR, WEB_DIST } from './support.ts';

// The server's test helpers, imported by path at run time (tsc -p apps/web does not check the server).
const SERVER_SRC = path.join(WEB_DIR, '../server/src');
interface Intake {
  device(id: string, opts?: { urgent?: boolean }): Promise<unknown>;
  submit(ev: Record<string, unknown>, dev: unknown): Promise<unknown>;
}
interface SafetyServer {
  url: string;
  app: unknown;
  ctx: unknown;
  intake: Intake;
  close(): Promise<void>;
}

const WAIT = 30_000;
const ELDER_NAME = '李秀兰';
const FIRST = { name: '李一', relationship: '女儿', phone: '13800000011' };
const SECOND = { name: '李二', relationship: '儿子', phone: '13800000022' };
const ELDER_PHONE = '13900000033';
/** How the card shows a phone to someone who does not hold the open alarm. */
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

let server: SafetyServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let operatorUsername: string;
let pendantId: string;
let alarmId: string;
let elderId: string;
let staffUsername: string;
const pageErrors: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

/** The alarm card on the right (the one with the elder and the contacts). */
const elderCard = () => page.locator('.ant-card').filter({ hasText: '紧急联系人（按呼叫顺序）' });
const queue = () => page.getByTestId('alarm-queue');
const queueRow = () => queue().locator('.zy-alarm-row').filter({ hasText: ELDER_NAME });

describe('alarm centre: an operator on duty handles an SOS in the browser', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startSafetyServer, createDevice } = await import(path.join(SERVER_SRC, 'testing/safety.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder, addContact } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    server = await startSafetyServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    const elder = await createElder(server.ctx, f.TREE.communityA1, {
      name: ELDER_NAME,
      livingSituation: 'alone',
      lat: 30.6101,
      lng: 104.0101,
      address: '甲一社区 5 栋 1 单元 302',
      birthDate: '1939-03-08',
      phone: ELDER_PHONE,
    });
    // Inserted second-first, so the card's order comes from callOrder, not from insertion.
    await addContact(server.ctx, elder.id, { ...SECOND, callOrder: 2 });
    await addContact(server.ctx, elder.id, { ...FIRST, callOrder: 1, holdsKey: true });
    elderId = elder.id;
    pendantId = (await createDevice(server.ctx, { elderId: elder.id, type: 'pendant' })).id;
    staffUsername = (await f.createAccount(server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).username;
    operatorUsername = (await f.createAccount(server.ctx, 'operator', { regionCode: f.TREE.district })).username;

    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
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

  it('logs in as an operator and opens an empty, live alarm queue', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(operatorUsername);
    await page.getByLabel('密码').fill('Test#Pass2026');
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL(/\/console$/, { timeout: WAIT });
    await page.getByTestId('side-menu').getByText('告警中心').click();
    await page.waitForURL(/\/console\/alarms$/, { timeout: WAIT });
    await page.getByRole('heading', { name: /待处理队列/ }).waitFor();
    await queue().getByText('暂无未关闭告警').waitFor();
    await page.getByText('实时', { exact: true }).waitFor();
    await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
    await shot('01-empty-queue');
  }, 180_000);

  it('an SOS from the pendant appears in the open queue over the WebSocket, without a reload', async () => {
    // A marker on the window: it survives only if the page is not reloaded.
    await page.evaluate(() => {
      (window as unknown as { zyMarker: string }).zyMarker = 'still-here';
    });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });

    const dev = await server.intake.device(pendantId, { urgent: true });
    expect(dev).toBeTruthy();
    const sentAt = Date.now();
    await server.intake.submit(
      {
        deviceId: pendantId,
        msgId: 'e2e-sos-1',
        type: 'sos',
        data: {},
        deviceTs: new Date(),
        receivedAt: new Date(),
        transport: 'internal',
      },
      dev,
    );
    await queueRow().waitFor({ timeout: 10_000 });
    console.info(`the SOS reached the queue in ${Date.now() - sentAt} ms`);
    await expect.poll(() => queueRow().textContent()).toMatch(/一键呼救/);
    await expect.poll(() => queueRow().textContent()).toMatch(/待接警/);
    await expect.poll(() => queueRow().textContent()).toMatch(/P1/);
    await expect.poll(() => queue().getByText('暂无未关闭告警').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { zyMarker?: string }).zyMarker)).toBe('still-here');
    expect(navigations).toBe(0);
    await shot('02-sos-arrived');

    const list = await page.request.get(`${server.url}/api/v1/alarms?status=open`);
    expect(list.ok()).toBe(true);
    const items = (await list.json()).items as Array<{ id: string; deviceId: string; type: string }>;
    const mine = items.filter((a) => a.deviceId === pendantId);
    expect(mine).toHaveLength(1);
    expect(mine[0].type).toBe('sos');
    alarmId = mine[0].id;
  }, 180_000);

  it('the operator opens the alarm: the elder card lists the contacts in call order (phones masked until taken)', async () => {
    const card = elderCard();
    // The queue redraws as events arrive; a click during a redraw is lost, so click until the card opens.
    await clickUntil(queueRow(), card);
    await card.getByText(`${ELDER_NAME} · `).waitFor();
    await card.getByText('甲一社区 5 栋 1 单元 302').waitFor();
    await card.getByText('独居').waitFor();
    const contacts = card.locator('.ant-list-item');
    await expect.poll(() => contacts.count()).toBe(2);
    const [first, second] = [(await contacts.nth(0).textContent()) ?? '', (await contacts.nth(1).textContent()) ?? ''];
    expect(first).toContain('1');
    expect(first).toContain(FIRST.name);
    expect(first).toContain(masked(FIRST.phone));
    expect(first).not.toContain(FIRST.phone);
    expect(first).toContain('持钥匙');
    expect(second).toContain('2');
    expect(second).toContain(SECOND.name);
    expect(second).toContain(masked(SECOND.phone));
    expect(second).not.toContain('持钥匙');
    expect(await card.getByTestId('elder-phone').textContent()).toBe(masked(ELDER_PHONE));
    await card.getByTestId('phone-reveal').waitFor();
    await card.getByText('待接警', { exact: true }).waitFor();
    await shot('03-alarm-card');
  }, 180_000);

  it('acknowledges it, logs a call and a note, and resolves it with an outcome; it leaves the open queue', async () => {
    const card = elderCard();
    await card.getByRole('button', { name: /^接\s?警$/ }).click();
    await card.getByText('处理中', { exact: true }).waitFor();
    await card.getByText('我正在处理').waitFor();
    await expect.poll(() => queueRow().textContent()).toMatch(/我正在处理/);
    // The holder of the open alarm gets the full numbers, each a tel: link for the softphone.
    await card.locator(`a[href="tel:${FIRST.phone}"]`).waitFor();
    await card.locator(`a[href="tel:${SECOND.phone}"]`).waitFor();
    expect(await card.getByTestId('elder-phone').getAttribute('href')).toBe(`tel:${ELDER_PHONE}`);
    expect(await card.getByTestId('phone-reveal').count()).toBe(0);

    // Log the call to the first contact (the key holder) and a note.
    // The button says 拨打 until the call is recorded, then 已拨打 (the second contact still 拨打).
    const firstRow = card.locator('.ant-list-item').filter({ hasText: FIRST.name });
    const secondRow = card.locator('.ant-list-item').filter({ hasText: SECOND.name });
    expect(await firstRow.getByRole('button', { name: '已拨打' }).count()).toBe(0);
    await firstRow.getByRole('button', { name: '拨打' }).click();
    const log = page.locator('.ant-card').filter({ has: page.locator('.ant-timeline') });
    await log.getByText(/致电联系人 · 李一/).waitFor();
    await firstRow.getByRole('button', { name: '已拨打' }).waitFor();
    await secondRow.getByRole('button', { name: /(^|\s)拨打$/ }).waitFor();
    const actions = page.locator('.ant-card').filter({ has: page.getByRole('button', { name: '添加备注' }) });
    await actions.getByPlaceholder('备注').fill('女儿李一持钥匙，十分钟内到家');
    await actions.getByRole('button', { name: '添加备注' }).click();
    await log.getByText(/女儿李一持钥匙，十分钟内到家/).waitFor();
    await shot('04-acknowledged-with-actions');

    const resolve = page.locator('.ant-card').filter({ has: page.getByRole('button', { name: '处置完成' }) });
    // Without an outcome the form refuses.
    await resolve.getByRole('button', { name: '处置完成' }).click();
    await resolve.getByText('必须选择处置结果').waitFor();
    await resolve.locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('上门协助', { exact: true }).click();
    await resolve.getByPlaceholder('备注').fill('李一到场，老人无大碍');
    await shot('05-resolving');
    await resolve.getByRole('button', { name: '处置完成' }).click();

    await card.getByText('已处置', { exact: true }).waitFor();
    // The card now says how it ended; the holder's "I'm handling it" badge is gone.
    await expect.poll(() => card.getByTestId('alarm-closed').textContent()).toMatch(/^已处置：上门协助（.+）$/);
    expect(await card.getByText('我正在处理').count()).toBe(0);
    expect(await card.getByRole('button', { name: /^接\s?警$/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '处置完成' }).count()).toBe(0);
    await expect.poll(() => queueRow().count(), { timeout: WAIT }).toBe(0);
    await queue().getByText('暂无未关闭告警').waitFor();
    await page
      .locator('.ant-timeline')
      .getByText(/处置完成 · 上门协助/)
      .waitFor();
    await shot('06-resolved');

    // Closed: the numbers are masked again; 查看 asks for a reason, then shows them.
    await expect.poll(() => card.getByTestId('contact-phone-1').textContent()).toBe(masked(FIRST.phone));
    await card.getByTestId('phone-reveal').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '查看完整电话号码' });
    // A click while the dialog is still opening may not reach the form: click until it answers.
    await dialog.getByTestId('phone-reveal-reason').waitFor();
    await expect
      .poll(async () => {
        await dialog.getByTestId('phone-reveal-ok').click();
        return dialog.getByText('请填写查看原因').count();
      })
      .toBeGreaterThan(0);
    await dialog.getByTestId('phone-reveal-reason').fill('回访核实老人情况');
    const revealed = page.waitForResponse((r) => r.url().endsWith(`/elders/${elderId}/reveal`));
    await dialog.getByTestId('phone-reveal-ok').click();
    expect((await revealed).status()).toBe(200);
    await dialog.waitFor({ state: 'detached' });
    await card.locator(`a[href="tel:${FIRST.phone}"]`).waitFor();
    expect(await card.getByTestId('elder-phone').textContent()).toBe(ELDER_PHONE);
    expect(await card.getByTestId('phone-reveal').count()).toBe(0);
    await shot('06b-revealed-after-close');

    const res = await page.request.get(`${server.url}/api/v1/alarms/${alarmId}`);
    expect(res.ok()).toBe(true);
    const alarm = await res.json();
    expect(alarm).toMatchObject({ id: alarmId, status: 'resolved', open: false, outcome: 'assisted_at_home' });
    expect(alarm.resolvedAt).toBeTruthy();
    expect(alarm.acknowledgedAt).toBeTruthy();
    const kinds = (alarm.actions as Array<{ kind: string }>).map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['acknowledged', 'called_contact', 'note', 'resolved']));
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("community staff set an elder's own safety rules: the server's field messages show, then saved, then reset", async () => {
    const staff = await browser.newContext({
      viewport: { width: 1440, height: 1100 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const p = await staff.newPage();
    p.setDefaultTimeout(WAIT);
    p.on('pageerror', (err) => pageErrors.push(String(err)));
    await p.goto(`${server.url}/console/login`);
    await p.getByLabel('用户名').fill(staffUsername);
    await p.getByLabel('密码').fill('Test#Pass2026');
    await p.getByRole('button', { name: /登\s?录/ }).click();
    await p.waitForURL(/\/console$/, { timeout: WAIT });
    await p.goto(`${server.url}/console/elders/${elderId}`);
    await p.getByRole('tab', { name: '安全规则' }).click();
    const rules = p.getByTestId('safety-rules');
    await rules.getByText('空着的项使用默认值').waitFor();
    const input = (name: string) => rules.getByLabel(name, { exact: true });
    // Defaults show in grey (placeholders); nothing is overridden yet.
    expect(await input('inactivity.warnHours').getAttribute('placeholder')).toBe('8');
    expect(await input('inactivity.alarmHours').getAttribute('placeholder')).toBe('12');
    expect(await input('vitals.ranges.heartRate.warnHigh').getAttribute('placeholder')).toBe('110');
    expect(await input('nightBedExit.from').getAttribute('placeholder')).toBe('22');
    expect(await rules.getByText('已自定义').count()).toBe(0);

    // A battery threshold the schema refuses, then a warning after the alarm (a contradiction the
    // server finds in the merged rules): each time the server's message shows under its field.
    await input('inactivity.warnHours').fill('14');
    await input('batteryLowPercent').fill('90');
    await rules.getByRole('button', { name: '保存规则' }).click();
    await rules.getByText('有几项需要修改').waitFor();
    // The limit is said in Chinese under the field (zod's English range message, translated).
    await rules.getByText('不能大于 49').waitFor();
    await input('batteryLowPercent').fill('');
    await rules.getByRole('button', { name: '保存规则' }).click();
    // The contradiction has no Chinese sentence of its own: the field is marked with the validation text.
    await rules.getByText('填写的内容有误，请检查后重试').waitFor();
    await p.screenshot({ path: path.join(shots, '07-rules-refused.png'), fullPage: true });
    let saved = await (await p.request.get(`${server.url}/api/v1/safety-rules/${elderId}`)).json();
    expect(saved.overrides).toEqual({});

    // Fixed: 6 h / 10 h waking 06–21, heart rate warning above 100, 30-minute night window from 23:00.
    await input('inactivity.warnHours').fill('6');
    await input('inactivity.alarmHours').fill('10');
    await input('inactivity.wakeFrom').fill('6');
    await input('inactivity.wakeTo').fill('21');
    await input('vitals.ranges.heartRate.warnHigh').fill('100');
    await input('nightBedExit.from').fill('23');
    await input('nightBedExit.minutes').fill('30');
    await rules.getByRole('button', { name: '保存规则' }).click();
    await p.getByText('安全规则已保存').waitFor();
    await expect.poll(() => rules.getByText('已自定义').count()).toBe(3);
    saved = await (await p.request.get(`${server.url}/api/v1/safety-rules/${elderId}`)).json();
    expect(saved.overrides).toEqual({
      inactivity: { warnHours: 6, alarmHours: 10, wakeFrom: 6, wakeTo: 21 },
      vitals: { ranges: { heartRate: { warnHigh: 100 } } },
      nightBedExit: { from: 23, minutes: 30 },
    });
    expect(saved.effective.vitals.ranges.heartRate).toEqual({ warnLow: 50, warnHigh: 100, critLow: 40, critHigh: 130 });
    expect(saved.effective.nightBedExit).toEqual({ from: 23, to: 6, minutes: 30 });
    // After a reload the form shows the saved overrides.
    await p.reload();
    await p.getByRole('tab', { name: '安全规则' }).click();
    await expect.poll(() => input('inactivity.warnHours').inputValue()).toBe('6');
    await p.screenshot({ path: path.join(shots, '08-rules-saved.png'), fullPage: true });

    await rules.getByRole('button', { name: '恢复默认' }).click();
    await p.locator('.ant-popconfirm').getByRole('button', { name: '恢复默认' }).click();
    await expect.poll(() => input('inactivity.warnHours').inputValue()).toBe('');
    await expect.poll(() => rules.getByText('已自定义').count()).toBe(0);
    saved = await (await p.request.get(`${server.url}/api/v1/safety-rules/${elderId}`)).json();
    expect(saved.overrides).toEqual({});
    expect(pageErrors).toEqual([]);
    await staff.close();
  }, 180_000);

  it('an operator (no device rights) sees the rules read-only', async () => {
    await page.goto(`${server.url}/console/elders/${elderId}`);
    await page.getByRole('tab', { name: '安全规则' }).click();
    const rules = page.getByTestId('safety-rules');
    await rules.getByText('只读：修改安全规则需要设备管理权限。').waitFor();
    expect(await rules.getByRole('button', { name: '保存规则' }).count()).toBe(0);
    expect(await rules.getByLabel('inactivity.warnHours', { exact: true }).isDisabled()).toBe(true);
  }, 180_000);

  it('a family member sees, on a phone, her mother safe, the outcome notice (marked read), the devices, and a new SOS live', async () => {
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { sql } = await import('drizzle-orm');
    // 李一 (first contact, key holder) has a family account bound to her mother, with her phone.
    const fam = await f.createAccount(server.ctx, 'family');
    const db = (server.ctx as { db: { execute(q: unknown): Promise<unknown> } }).db;
    await db.execute(sql`UPDATE users SET elder_id = ${elderId}, phone = ${FIRST.phone} WHERE id = ${fam.id}`);

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const p = await phone.newPage();
    p.setDefaultTimeout(WAIT);
    p.on('pageerror', (err) => pageErrors.push(String(err)));
    await p.goto(`${server.url}/family`);
    // The family page opens on the login by SMS code; this account logs in with its password.
    await p.getByRole('tab', { name: '密码登录' }).click();
    await p.getByLabel('账号').fill(fam.username);
    await p.getByLabel('密码').fill('Test#Pass2026');
    await p.getByRole('button', { name: /登\s?录/ }).click();
    await p.getByRole('heading', { name: '家人平安' }).waitFor();
    await p.locator('[data-testid="family-live"]').getByText('实时更新中').waitFor();

    // The SOS resolved above: she is safe; the outcome is in words; the notice to 李一 is unread.
    const status = p.getByTestId('family-status');
    await status.getByText(`${ELDER_NAME}目前平安，没有需要处理的告警。`).waitFor();
    await p
      .getByTestId('family-recent')
      .filter({ hasText: '一键呼救' })
      .getByText(/已处理：上门协助/)
      .waitFor();
    const notice = p.getByTestId('family-notice').first();
    await notice.getByText(/李秀兰的一键呼救告警已处理完毕（上门协助）/).waitFor();
    await notice.getByText('未读').waitFor();
    await p.getByTestId('family-device').filter({ hasText: '呼叫挂件' }).getByText(/正常/).waitFor();
    await p.screenshot({ path: path.join(shots, '09-family-safe.png'), fullPage: true });

    // Large type: body ≥ 18 px, the action ≥ 24 px with a ≥ 64 px target.
    const px = (sel: string) =>
      p
        .locator(sel)
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(await px('main')).toBeGreaterThanOrEqual(18);
    const readButton = notice.getByRole('button', { name: '知道了' });
    expect(await readButton.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(24);
    expect((await readButton.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(64);
    await readButton.click();
    await notice.getByText('已读').waitFor();
    expect(await notice.getByRole('button', { name: '知道了' }).count()).toBe(0);

    // A new SOS: the page turns red without a reload, then says who is handling it.
    await p.evaluate(() => {
      (window as unknown as { zyMarker: string }).zyMarker = 'family';
    });
    const dev = await server.intake.device(pendantId, { urgent: true });
    const now = new Date();
    await server.intake.submit(
      { deviceId: pendantId, msgId: 'e2e-sos-2', type: 'sos', data: {}, deviceTs: now, receivedAt: now, transport: 'internal' },
      dev,
    );
    await status.getByText(`⚠ ${ELDER_NAME}现在有告警`).waitFor({ timeout: 10_000 });
    await status.getByText(/一键呼救 · .+ 发生/).waitFor();
    await status.getByText('服务中心正在接警，请保持电话畅通。').waitFor();
    const list = await (await page.request.get(`${server.url}/api/v1/alarms?status=open`)).json();
    const open = (list.items as Array<{ id: string; deviceId: string }>).find((a) => a.deviceId === pendantId);
    expect(open).toBeTruthy();
    // The operator's console acknowledges (page.request carries its session cookie, so it sends the console's header).
    const ack = await page.request.post(`${server.url}/api/v1/alarms/${open?.id}/acknowledge`, {
      headers: { 'x-zhiyang-client': 'web' },
    });
    expect(ack.ok()).toBe(true);
    await status.getByText(`服务中心 ${operatorUsername} 正在处理。`).waitFor({ timeout: 10_000 });
    expect(await p.evaluate(() => (window as unknown as { zyMarker?: string }).zyMarker)).toBe('family');
    await p.screenshot({ path: path.join(shots, '10-family-alarm.png'), fullPage: true });
    // The family's way in from the elder/family phone page.
    await p.goto(`${server.url}/elder`);
    await p.getByRole('link', { name: /家人平安/ }).click();
    await p.getByTestId('family-status').getByText(`⚠ ${ELDER_NAME}现在有告警`).waitFor();
    expect(pageErrors).toEqual([]);
    await phone.close();
  }, 180_000);
  it('an alarm too large for one event message (sent as { id, partial: true }) still reaches the queue, read back by id', async () => {
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { raiseAlarm } = await import(path.join(SERVER_SRC, 'modules/alarms/raise.service.ts'));
    type Ctx = {
      db: { transaction<T>(fn: (tx: unknown) => Promise<T>): Promise<T> };
      events: { onEvent(type: string, h: (d: { partial?: boolean }) => void): () => void };
    };
    const ctx = server.ctx as Ctx;
    const name = '王大件';
    const elder = await createElder(server.ctx, f.TREE.communityA1, { name, birthDate: '1940-05-05' });
    await page.goto(`${server.url}/console/alarms`);
    await page.locator('[data-testid="realtime-status"][data-status="open"]').waitFor();
    await queue().getByText(ELDER_NAME).first().waitFor();
    const partials: boolean[] = [];
    const off = ctx.events.onEvent('alarm.raised', (d) => partials.push(d.partial === true));
    // A gas alarm whose device data is long (a 9,000-character reading log) puts the event over NOTIFY's limit.
    await ctx.db.transaction((tx) =>
      raiseAlarm(server.ctx, tx, {
        type: 'gas',
        priority: 'P1',
        mergeKey: `elder:${elder.id}:gas-large`,
        elderId: elder.id,
        deviceId: null,
        regionCode: f.TREE.communityA1,
        data: { log: '燃气浓度读数 '.repeat(1000) },
        at: new Date(),
      }),
    );
    const row = queue().locator('.zy-alarm-row').filter({ hasText: name });
    await row.waitFor({ timeout: 10_000 });
    off();
    expect(partials).toEqual([true]);
    await clickUntil(row, page.locator('.ant-card').filter({ hasText: name }).first());
    await shot('11-large-alarm');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
