import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, launchBrowser, screenshotDir, WEB_DIR, WEB_DIST } from './support.ts';

// The server's test helpers, imported by path at run time (tsc -p apps/web does not check the server).
const SERVER_SRC = path.join(WEB_DIR, '../server/src');
interface Server {
  url: string;
  app: unknown;
  ctx: unknown;
  close(): Promise<void>;
}

const PASSWORD = 'Test#Pass2026';
const WAIT = { timeout: 30_000 };
/** A name whose pinyin initials (gsz) no other elder of the community shares. */
const NAME = '龚淑珍';
const INITIALS = 'GSZ';
const BIRTH_DATE = '1943-08-17';

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let shots: string;
let staffUsername: string;
let idNumber: string;
let otherElderName: string;
let elderPath: string;
let addElders: (n: number) => Promise<void>;
let rosterCsv: string;

async function shot(name: string, fullPage = true) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
}

describe('elder archive console in a browser', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder, makeIdNumber } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    await f.seedTree(server.ctx);
    staffUsername = (await f.createAccount(server.ctx, 'community_staff', { regionCode: f.TREE.communityA1 })).username;
    // Someone already in the archive, so the pinyin search has something to leave out.
    otherElderName = (await createElder(server.ctx, f.TREE.communityA1, { name: '李桂英' })).name;
    idNumber = makeIdNumber(BIRTH_DATE, 7, 'female');
    // A roster of two for the import wizard (a UTF-8 CSV with the template's headers).
    rosterCsv = [
      '姓名*,证件号码*,居住社区编码*,居住状况*,紧急联系人,联系人关系,联系人电话',
      `贺玉兰,${makeIdNumber('1938-02-11', 21, 'female')},${f.TREE.communityA1},独居,贺明,子女,13911110021`,
      `江德福,${makeIdNumber('1940-06-23', 23, 'male')},${f.TREE.communityA1},空巢,,,`,
    ].join('\n');
    addElders = async (n) => {
      for (let i = 0; i < n; i++) await createElder(server.ctx, f.TREE.communityA1);
    };
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a community worker logs in and creates an elder; a wrong check digit is refused inline', async () => {
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel('用户名').fill(staffUsername);
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s?录/ }).click();
    await page.waitForURL(/\/console$/, WAIT);

    await page.goto(`${server.url}/console/elders`);
    await page.getByRole('link', { name: otherElderName }).waitFor(WAIT);
    await page.getByRole('button', { name: /新建档案/ }).click();
    await page.waitForURL(/\/console\/elders\/new/, WAIT);
    await page.getByText('新建老人档案').waitFor(WAIT);

    await page.getByLabel('姓名').fill(NAME);
    // The last character changed: same body, another check character.
    const wrong = idNumber.slice(0, 17) + (idNumber.endsWith('1') ? '2' : '1');
    const idInput = page.getByLabel('证件号码');
    await idInput.fill(wrong);
    await page.getByText('身份证号校验位错误').waitFor(WAIT);
    await shot('elders-01-wrong-check-digit');
    await idInput.fill(idNumber);
    await page.getByText('身份证号校验位错误').waitFor({ state: 'detached', ...WAIT });
    await page.getByText(`由身份证号得出：${BIRTH_DATE}，女`).waitFor(WAIT);

    await page.getByLabel('居住社区').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('甲一社区', { exact: true }).click();
    await shot('elders-02-form-valid');
    await page.getByRole('button', { name: /保\s?存/ }).click();

    await page.waitForURL(/\/console\/elders\/[0-9a-f-]{36}$/, WAIT);
    await page.getByText('档案已建立').waitFor(WAIT);
    elderPath = new URL(page.url()).pathname;
  }, 180_000);

  it('finds the elder by pinyin initials and shows the masked record and its timeline', async () => {
    await page.goto(`${server.url}/console/elders`);
    await page.getByRole('link', { name: otherElderName }).waitFor(WAIT);
    // The list asks for its count (the API counts only when asked) and shows it: the two of the community.
    await page.getByText('共 2 条').waitFor(WAIT);
    const search = page.getByPlaceholder('姓名 / 拼音首字母 / 身份证后4–6位 / 电话');
    await search.fill(INITIALS);
    await search.press('Enter');
    await page.getByRole('link', { name: otherElderName }).waitFor({ state: 'detached', ...WAIT });
    const row = page.getByRole('row', { name: new RegExp(NAME) });
    await row.waitFor(WAIT);
    expect(await page.getByRole('link', { name: NAME }).count()).toBe(1);
    await page.getByText('共 1 条').waitFor(WAIT);
    await shot('elders-03-search-initials');

    await page.getByRole('link', { name: NAME }).click();
    await page.waitForURL((url) => url.pathname === elderPath, WAIT);
    const idCell = page.getByRole('cell', { name: /\*{8}/ });
    await idCell.waitFor(WAIT);
    const masked = (await idCell.textContent()) ?? '';
    expect(masked).toContain('********');
    expect(masked).not.toContain(idNumber);
    expect(masked).toContain(idNumber.slice(-4));
    expect(await page.getByText(idNumber).count()).toBe(0);
    await page.getByText(`${BIRTH_DATE}（`).waitFor(WAIT);
    await shot('elders-04-record');

    await page.getByRole('tab', { name: '时间轴' }).click();
    await page.getByRole('tabpanel', { name: '时间轴' }).getByText('建档').waitFor(WAIT);
    await page.waitForTimeout(400); // let the tab's ink bar finish sliding before the picture
    await shot('elders-05-timeline');
  }, 180_000);

  it('starts an assessment from the record and sees the live score', async () => {
    await page.getByRole('tab', { name: '能力评估' }).click();
    await page.getByRole('button', { name: /新建评估/ }).click();
    await page.waitForURL(/\/console\/assessments\/new\?elderId=/, WAIT);
    await page.getByText(`老年人能力评估（GB/T 42195-2022） · ${NAME}`).waitFor(WAIT);
    const total = page.locator('.ant-statistic').filter({ hasText: '总分' });
    await expect.poll(() => total.textContent(), WAIT).toMatch(/总分\s*0\s*\/ 90/);
    const missing = page.getByText(/还有 \d+ 项未评分/);
    const before = Number(/\d+/.exec((await missing.textContent(WAIT)) ?? '')?.[0]);

    await page.getByText('独立使用器具将食物送进口中并咽下，没有呛咳').click();
    await expect.poll(() => total.textContent(), WAIT).toMatch(/总分\s*4\s*\/ 90/);
    await page.getByText(`还有 ${before - 1} 项未评分`).waitFor(WAIT);
    // The viewport only: the score bar is affixed to its bottom edge.
    await shot('elders-06-assessment-live-score', false);
  }, 180_000);

  it('pages through the list: the total is counted on the first page and kept on the next', async () => {
    await addElders(21);
    const asked: URL[] = [];
    const listen = (req: { url(): string }) => {
      const url = new URL(req.url());
      if (url.pathname === '/api/v1/elders') asked.push(url);
    };
    page.on('request', listen);
    try {
      await page.goto(`${server.url}/console/elders`);
      // Two from the tests before, 21 more: two pages of 20.
      await page.getByText('共 23 条').waitFor(WAIT);
      expect(asked.at(-1)?.searchParams.get('count')).toBe('true');

      await page.locator('.ant-pagination-item-2').click();
      await expect.poll(() => asked.at(-1)?.searchParams.get('page'), WAIT).toBe('2');
      await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count(), WAIT).toBe(3);
      // Page 2 did not pay for a count; the table still shows the total it was given on page 1.
      expect(asked.at(-1)?.searchParams.get('count')).toBeNull();
      await page.getByText('共 23 条').waitFor(WAIT);
      await shot('elders-07-page-two');

      // Back to the start: a fresh count, which sees an elder added meanwhile.
      await addElders(1);
      await page.locator('.ant-pagination-item-1').click();
      await page.getByText('共 24 条').waitFor(WAIT);
      expect(asked.at(-1)?.searchParams.get('count')).toBe('true');
    } finally {
      page.off('request', listen);
    }
  }, 180_000);

  it('imports a roster from 批量导入 and, uploaded again unchanged, writes nothing and says 无变化', async () => {
    await page.goto(`${server.url}/console/elders`);
    const upload = async () => {
      const modal = page.locator('.ant-modal:visible');
      await modal
        .locator('input[type=file]')
        .setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(rosterCsv) });
      return modal;
    };
    await page.getByRole('button', { name: /批量导入/ }).click();
    let modal = await upload();
    await modal.getByText('导入完成：新建 2 条，更新 0 条，无变化 0 条，错误 0 行').waitFor(WAIT);
    await modal.getByRole('button', { name: /继续导入/ }).click();
    modal = await upload();
    await modal.getByText('导入完成：新建 0 条，更新 0 条，无变化 2 条，错误 0 行').waitFor(WAIT);
    await shot('elders-08-import-unchanged', false);
  }, 180_000);
});
