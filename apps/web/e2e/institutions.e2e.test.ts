import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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

/**
 * 机构养老 in the browser at 1440×900, in zh-CN: an institution's staff member opens the home page
 * (beds, occupancy, nursing-bed ratio), registers an application for an elder of the archive,
 * records the GB 38600 risk assessment, admits the elder into a free bed with the newest signed
 * GB/T 42195 assessment, sees the resident on the bed board, and discharges them (the bed is free again).
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let staffUsername = '';
let applicant: { name: string; idNumber: string };
/** A resident admitted through the API for the phone page. */
let residentId = '';
/** Its elder, whose family account sees the stay on the family page. */
let residentElderId = '';
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-institutions-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { ASSESSMENT_ITEMS } = await import('@zhiyang/shared');
  const { sql } = await import('drizzle-orm');
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  const org = await f.createOrg(server.ctx, 'institution', f.TREE.communityA1, '福寿养老院');
  const staff = await f.clientAs(server.app, server.ctx, 'institution_staff', { orgId: org.id });
  await server.ctx.db.execute(sql`UPDATE users SET display_name = '吴磊' WHERE id = ${staff.account.id}`);
  staffUsername = staff.account.username;
  const b = await (staff.api as Api).post(`/api/v1/institutions/${org.id}/buildings`, {
    name: '1号楼',
    floors: [1, 2].map((level) => ({
      level,
      name: level === 1 ? '一层' : '二层',
      rooms: [1, 2, 3].map((r) => ({
        name: `${level}0${r}`,
        beds: [
          { label: '1', nursing: level === 1, priceFen: 260000 },
          { label: '2', nursing: level === 1, priceFen: 260000 },
        ],
      })),
    })),
  });
  expect(b.statusCode).toBe(201);
  // The ability assessment is the district's assessors' (two signatures), as in the archive.
  const e = await createElder(server.ctx, f.TREE.communityA1, { name: '王桂兰', livingSituation: 'alone' });
  applicant = { name: '王桂兰', idNumber: e.idNumber };
  const a1 = await f.clientAs(server.app, server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 });
  const a2 = await f.clientAs(server.app, server.ctx, 'street_staff', { regionCode: f.TREE.streetA });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const as = await (a1.api as Api).post('/api/v1/assessments', {
    elderId: e.id,
    reason: 'first',
    assessedOn: today,
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i: { key: string; max: number }) => [i.key, Math.floor(i.max / 2)])),
  });
  expect(as.statusCode).toBe(201);
  expect((await (a1.api as Api).post(`/api/v1/assessments/${as.json().id}/sign`)).statusCode).toBe(200);
  expect((await (a2.api as Api).post(`/api/v1/assessments/${as.json().id}/sign`)).statusCode).toBe(200);
  // A second elder, admitted through the API, for the nurse's phone page.
  const r = await createElder(server.ctx, f.TREE.communityA1, { name: '李秀珍', livingSituation: 'alone' });
  residentElderId = r.id;
  const ra = await (a1.api as Api).post('/api/v1/assessments', {
    elderId: r.id,
    reason: 'first',
    assessedOn: today,
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i: { key: string; max: number }) => [i.key, Math.floor(i.max / 3)])),
  });
  await (a1.api as Api).post(`/api/v1/assessments/${ra.json().id}/sign`);
  await (a2.api as Api).post(`/api/v1/assessments/${ra.json().id}/sign`);
  const app = await (staff.api as Api).post(`/api/v1/institutions/${org.id}/admissions`, {
    idNumber: r.idNumber,
    name: '李秀珍',
  });
  residentId = app.json().id;
  await (staff.api as Api & { put: Api['post'] }).put(`/api/v1/admissions/${residentId}/risk-assessment`, {
    items: { fall: 'high' },
    assessedOn: today,
  });
  const board = (await (staff.api as Api).get(`/api/v1/institutions/${org.id}/bed-board`)).json();
  const bedId = board.buildings[0].floors[1].rooms[2].beds[1].id;
  const admitted = await (staff.api as Api).post(`/api/v1/admissions/${residentId}/admit`, {
    abilityAssessmentId: ra.json().id,
    nursingLevel: 'level1',
    bedId,
    contractNo: 'HT-E2E-2',
    bedFeeFen: 180000,
    nursingFeeFen: 220000,
    mealFeeFen: 90000,
    depositFen: 500000,
    admittedOn: today,
  });
  expect(admitted.statusCode).toBe(200);
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

/** Latin words on a Chinese screen (none expected but the names of national standards, GB and GB/T). */
const foreign = (text: string | null) => (text ?? '').replace(/\bGB(\/T)?\b/g, '').match(/[A-Za-z]{2,}/g) ?? [];
/** An antd button by its label (antd puts a space between two Chinese characters). */
const button = (within: Page | Locator, label: string) =>
  within.getByRole('button', { name: new RegExp(`^${[...label].join('\\s*')}$`) });

describe('机构养老 on the console', () => {
  it('apply, assess risks, admit into a free bed, see it on the bed board, discharge', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: staffUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/console`);
    const home = page.getByTestId('institution-home');
    await expect.poll(() => home.textContent()).toContain('床位总数12');
    expect(await home.textContent()).toContain('护理型床位占比50%');
    expect(foreign(await home.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'institution-home.png') });

    // The application: found in the archive by ID number and name.
    await page.getByRole('menuitem', { name: '入住管理' }).click();
    await page.waitForURL(/\/console\/institution\/admissions$/);
    await page.getByTestId('new-application').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '登记入住申请' });
    await page.getByTestId('apply-name').fill(applicant.name);
    await page.getByTestId('apply-id-number').fill(applicant.idNumber);
    const row = page.locator('.ant-table-row', { hasText: applicant.name });
    await clickUntil(button(dialog, '确定'), async () => (await row.textContent())?.includes(applicant.idNumber.slice(-4)));
    expect(await row.textContent()).not.toContain(applicant.idNumber);

    // The GB 38600 risk assessment: falls high, choking medium.
    await button(row, '风险评估').click();
    const risk = page.getByRole('dialog').filter({ hasText: '入住风险评估' });
    const item = (label: string) => risk.getByTestId('risk-items').locator('> div', { hasText: label });
    await item('跌倒').getByText('高').click();
    await item('噎食').getByText('中').click();
    await page.screenshot({ path: path.join(shots, 'institution-risk.png') });
    await clickUntil(button(risk, '确定'), async () => (await row.textContent())?.includes('高'));

    // Admission: the signed ability assessment is shown, the nursing level suggested, a free bed chosen.
    await button(row, '办理入住').click();
    const admit = page.getByRole('dialog').filter({ hasText: '签订合同' });
    await expect.poll(() => admit.getByTestId('ability-level').textContent()).toContain('失能');
    await admit.getByTestId('bed-select').click();
    await chooseOption(page.locator('.ant-select-item-option', { hasText: '1号楼 一层 102 1床' }));
    expect(foreign(await admit.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'institution-admit.png') });
    await clickUntil(button(admit, '确定'), async () => (await row.count()) === 0);
    await page.getByRole('tab', { name: '在住' }).click();
    await expect.poll(() => row.textContent()).toContain('1号楼 一层 102 1床');

    // The bed board shows the resident in that bed, live figures updated.
    await page.getByRole('menuitem', { name: '床位一览' }).click();
    await page.waitForURL(/\/console\/institution\/beds$/);
    const occupied = page.locator('[data-testid=bed-tile][data-status=occupied]');
    await expect.poll(() => occupied.count()).toBe(2);
    expect(await occupied.filter({ hasText: applicant.name }).count()).toBe(1);
    expect(await page.getByTestId('bed-stats').textContent()).toContain('在住2');
    const board = page.locator('.ant-card').first();
    expect(foreign(await board.textContent())).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'institution-bed-board.png'), fullPage: true });

    // Discharge: the bed is free again.
    await page.getByRole('menuitem', { name: '入住管理' }).click();
    await page.getByRole('tab', { name: '在住' }).click();
    await button(row, '离院登记').click();
    const end = page.getByRole('dialog').filter({ hasText: '退住、转出或离世' });
    await clickUntil(button(end, '确定'), async () => (await row.count()) === 0);
    await page.getByRole('menuitem', { name: '床位一览' }).click();
    await expect.poll(() => occupied.count()).toBe(1);
    await context.close();
  });
});

describe('护理记录 on the nurse’s phone', () => {
  it('a tap records a care item; taps without network wait on the phone and are sent once', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: staffUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/worker/care`);
    await page.getByTestId('resident').filter({ hasText: '李秀珍' }).click();
    const turning = page.getByTestId('care-turning-done');
    await expect.poll(() => turning.textContent()).toBe('已完成 0/6');
    await page.getByTestId('care-turning').click();
    await expect.poll(() => turning.textContent()).toBe('已完成 1/6');
    // No network: the tap is kept on the phone and counted; the page says it waits.
    await context.setOffline(true);
    await page.getByTestId('care-turning').click();
    await expect.poll(() => page.getByText('有 1 条记录等待网络恢复后发送').count()).toBe(1);
    await expect.poll(() => turning.textContent()).toBe('已完成 2/6');
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what the user sees.
    const text = await page.evaluate(() => document.body.innerText);
    expect(foreign(text)).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'institution-care-phone-offline.png') });
    await context.setOffline(false);
    await expect.poll(() => page.getByText('等待网络恢复后发送').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => turning.textContent()).toBe('已完成 2/6');
    await page.screenshot({ path: path.join(shots, 'institution-care-phone.png') });
    // The server has two records, not three: the queued tap was sent once.
    const { sql } = await import('drizzle-orm');
    const rows = await server.ctx.db.execute(
      sql`SELECT count(*)::int AS n FROM care_records WHERE admission_id = ${residentId} AND item = 'turning'`,
    );
    expect((rows as unknown as { rows: Array<{ n: number }> }).rows[0].n).toBe(2);
    await context.close();
  });

  it('a medication with its dose and vital signs are recorded from the phone and listed in large type', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: staffUsername, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/worker/care`);
    await page.getByTestId('resident').filter({ hasText: '李秀珍' }).click();
    const entry = page.getByTestId('care-entry');
    await entry.getByLabel('药品名称').fill('氨氯地平片');
    await entry.getByLabel('剂量（如 1 片）').fill('5mg 1片');
    await button(entry, '记录').click();
    await expect.poll(() => page.getByText('用药 氨氯地平片 5mg 1片').count()).toBe(1);
    // The list can show the record (queued on the phone) before the save has finished and cleared
    // the form: type the next one only then, as a nurse would see the form empty.
    await expect.poll(() => entry.getByLabel('药品名称').inputValue()).toBe('');
    await entry.getByText('生命体征').click();
    // 记录 is found by its name: a spinner left in the button after the first save (antd's default
    // one did that when the save took less than a frame or two) would fail it.
    for (const [label, value] of [
      ['收缩压', '138'],
      ['舒张压', '86'],
      ['心率', '72'],
      ['体温', '36.6'],
    ] as const)
      await entry.getByLabel(label).fill(value);
    await expect.poll(() => button(entry, '记录').isEnabled()).toBe(true);
    await button(entry, '记录').click();
    await expect.poll(() => page.getByText('生命体征 血压 138/86，心率 72，体温 36.6').count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'institution-care-phone-vitals.png'), fullPage: true });
    const { sql } = await import('drizzle-orm');
    const rows = await server.ctx.db.execute(
      sql`SELECT kind, item, data FROM care_records WHERE admission_id = ${residentId} AND kind <> 'care' ORDER BY done_at`,
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
      { kind: 'medication', item: '氨氯地平片', data: { dose: '5mg 1片' } },
      { kind: 'vitals', item: 'vitals', data: { vitals: { systolic: 138, diastolic: 86, heartRate: 72, temperature: 36.6 } } },
    ]);
    await context.close();

    // The family page shows the stay, today's care with the medicine and the readings, in large type.
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const family = await f.createAccount(server.ctx, 'family');
    await server.ctx.db.execute(sql`UPDATE users SET elder_id = ${residentElderId} WHERE id = ${family.id}`);
    const fc = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const fp = await fc.newPage();
    fp.setDefaultTimeout(15_000);
    const fl = await fp.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: family.username, password: PASSWORD },
    });
    expect(fl.ok()).toBe(true);
    await fp.goto(`${server.url}/family`);
    const stay = fp.getByTestId('family-stay');
    await expect.poll(() => stay.textContent()).toContain('用药 氨氯地平片 5mg 1片');
    expect(await stay.textContent()).toContain('福寿养老院');
    expect(await stay.textContent()).toContain('血压 138/86');
    await stay.scrollIntoViewIfNeeded();
    await fp.screenshot({ path: path.join(shots, 'family-stay.png') });
    await fc.close();
  });
});
