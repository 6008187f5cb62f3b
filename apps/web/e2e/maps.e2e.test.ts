import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickUntil, ensureWebBuild, gone, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

const PASSWORD = 'Test#Pass2026';
const WAIT = { timeout: 30_000 };
const NAME = '窦桂芝';

let server: Server;
let browser: Browser;
let shots: string;
let staff: string;
let operator: string;
let providerAdmin: string;
let community: { code: string; lat: number; lng: number };
let elders: { elders: unknown };

async function login(page: Page, username: string) {
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s?录/ }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.endsWith('/login'), WAIT);
}

/**
 * Maps without tiles (no MAP_TILE_URL, as behind a firewall): the demo district's outlines stand
 * in for the streets. A community worker picks the elder's home on the form's map and saves it;
 * the big screen colours the communities by their open life-safety alarms.
 */
describe('maps in a browser (no tiles)', () => {
  beforeAll(async () => {
    ensureWebBuild();
    const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
    const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
    const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    const { seedDistrict, communityCode } = await import(path.join(SERVER_SRC, 'demo/district.ts'));
    const { seedBoundaries } = await import(path.join(SERVER_SRC, 'demo/boundaries.ts'));
    const { demoCommunityPoint } = await import(path.join(SERVER_SRC, 'demo/lattice.ts'));
    const { raiseAlarm } = await import(path.join(SERVER_SRC, 'modules/alarms/raise.service.ts'));
    const { createDevice } = await import(path.join(SERVER_SRC, 'testing/safety.ts'));
    elders = await import(path.join(SERVER_SRC, 'modules/elders/elders.schema.ts'));
    server = await startTestServer({ listen: true, config: { webDist: WEB_DIST } });
    const ctx = server.ctx as never;
    await seedDistrict(ctx, { demoPassword: PASSWORD });
    await seedBoundaries(ctx);
    community = { code: communityCode(0, 1), ...demoCommunityPoint(0, 1) };
    staff = (await f.createAccount(ctx, 'community_staff', { regionCode: community.code })).username;
    operator = (await f.createAccount(ctx, 'operator', { regionCode: '990101' })).username;
    const svc = await import(path.join(SERVER_SRC, 'testing/service.ts'));
    const provider = await svc.createServiceProvider(ctx, {
      regionCode: community.code.slice(0, 9),
      communities: [community.code],
      site: { lat: community.lat, lng: community.lng },
      name: '康乐居家养老服务社',
    });
    providerAdmin = (await f.createAccount(ctx, 'provider_admin', { orgId: provider.org.id })).username;
    // Open alarms in a few communities: 7 falls in one, 3 in another, 1 in a third; 设备离线 apart.
    const spread: Array<[number, number, number]> = [
      [0, 0, 7],
      [2, 4, 3],
      [4, 2, 1],
    ];
    for (const [s, c, n] of spread) {
      const elder = await createElder(ctx, communityCode(s, c), { name: '李淑华' });
      for (let i = 0; i < n; i++) {
        const device = await createDevice(ctx, { elderId: elder.id, type: 'fall_radar' });
        await server.ctx.db.transaction((tx: unknown) =>
          raiseAlarm(ctx, tx as never, {
            type: i === 0 ? 'fall' : 'sos',
            priority: 'P1',
            mergeKey: `e2e:${device.id}`,
            elderId: elder.id,
            deviceId: device.id,
            regionCode: communityCode(s, c),
            at: new Date(),
          }),
        );
      }
    }
    browser = await launchBrowser();
    shots = screenshotDir();
    console.info(`screenshots: ${shots}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a community worker picks the home on the elder form map; the community is filled in and saved with the point', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, staff);
    await page.goto(`${server.url}/console/elders/new`);
    await page.getByText('新建老人档案').waitFor(WAIT);
    // Her only community is already chosen; the empty selects say 请选择.
    await page.getByTestId('elder-form').getByTitle('芙蓉社区').waitFor(WAIT);
    expect(await page.getByText('请选择', { exact: true }).count()).toBeGreaterThan(0);
    // No geocoder configured: no 查找 button, and the form says so.
    await page.getByText('未配置地址解析，请在地图上点选。', { exact: false }).waitFor(WAIT);
    expect(await page.getByTestId('map-lookup').count()).toBe(0);

    const { makeIdNumber } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
    await page.getByLabel('姓名').fill(NAME);
    await page.getByLabel('证件号码').fill(makeIdNumber('1941-02-11', 5, 'female'));
    // The map frames the community's outline (drawn, with its name): a click in the middle picks a point inside it.
    const map = page.getByTestId('map-picker-map');
    await map.locator('path').first().waitFor(WAIT);
    await page.locator('.zy-outline-label', { hasText: '芙蓉社区' }).waitFor(WAIT);
    await map.scrollIntoViewIfNeeded();
    const box = await map.boundingBox();
    if (!box) throw new Error('no map box');
    await page.mouse.click(box.x + box.width / 2 + 12, box.y + box.height / 2 - 8);
    const lat = page.getByTestId('elder-lat');
    await expect.poll(() => lat.inputValue(), WAIT).toMatch(/^\d{2}\.\d{6}$/);
    const picked = { lat: Number(await lat.inputValue()), lng: Number(await page.getByTestId('elder-lng').inputValue()) };
    expect(Math.abs(picked.lat - community.lat)).toBeLessThan(0.006);
    expect(Math.abs(picked.lng - community.lng)).toBeLessThan(0.004);
    await page.getByText(/已选位置：纬度 \d+\.\d{6}/).waitFor(WAIT);
    expect(await page.getByText('所选位置不在').count()).toBe(0);
    await page.locator('.zy-pick-marker').waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'maps-01-elder-form-picker.png'), fullPage: true });

    await page.getByTestId('elder-save').click();
    await page.waitForURL(/\/console\/elders\/[0-9a-f-]{36}$/, WAIT);
    const { eq } = await import('drizzle-orm');
    const [row] = await server.ctx.db
      .select()
      .from((elders as { elders: never }).elders)
      .where(eq((elders as { elders: { name: never } }).elders.name, NAME));
    expect(row.regionCode).toBe(community.code);
    expect(row.lat).toBe(picked.lat);
    expect(row.lng).toBe(picked.lng);
    await context.close();
  }, 180_000);

  it('device registration: a community worker finds her only community chosen and the type saying 请选择', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, staff);
    await page.goto(`${server.url}/console/devices`);
    await page.getByRole('button', { name: '登记设备' }).click();
    const dialog = page.getByRole('dialog', { name: '登记设备' });
    await dialog.getByTitle('芙蓉社区').waitFor(WAIT);
    await dialog.getByText('请选择', { exact: true }).waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'maps-03a-device-register.png') });
    await context.close();
  }, 120_000);

  it('a provider adds a service site: the region is chosen from the tree and the point picked on the map', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, providerAdmin);
    await page.goto(`${server.url}/console/providers`);
    await page.getByRole('cell', { name: '康乐居家养老服务社' }).first().click();
    await page.getByRole('button', { name: '添加站点' }).click();
    const dialog = page.getByRole('dialog', { name: '添加站点' });
    await dialog.waitFor(WAIT);
    // The empty region select says 请选择; the map shows the district's outlines without tiles.
    await dialog.getByText('请选择', { exact: true }).waitFor(WAIT);
    await dialog.getByLabel('名称').fill('芙蓉社区助餐点');
    await dialog.getByLabel('所在区域').click();
    await page.keyboard.type('芙蓉社区');
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '芙蓉社区' }).first().click();
    await dialog.locator('.zy-outline-label', { hasText: '芙蓉社区' }).first().waitFor(WAIT);
    const map = dialog.getByTestId('map-picker-map');
    const box = await map.boundingBox();
    if (!box) throw new Error('no map box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => dialog.getByTestId('site-lat').inputValue(), WAIT).toMatch(/^\d{2}\.\d{6}$/);
    await page.screenshot({ path: path.join(shots, 'maps-03-site-picker.png') });
    const lat = Number(await dialog.getByTestId('site-lat').inputValue());
    await clickUntil(dialog.getByRole('button', { name: /确\s?定/ }), async () => !(await dialog.isVisible()));
    const { providerSites } = await import(path.join(SERVER_SRC, 'modules/providers/providers.schema.ts'));
    const { eq } = await import('drizzle-orm');
    const [site] = await server.ctx.db.select().from(providerSites).where(eq(providerSites.name, '芙蓉社区助餐点'));
    expect(site.regionCode).toBe(community.code);
    expect(site.lat).toBe(lat);
    await context.close();
  }, 180_000);

  it('a district administrator imports boundaries on the regions page: problems per place in Chinese, then the outline drawn', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, 'demo-district');
    await page.goto(`${server.url}/console/regions`);
    await page.getByTestId('boundary-import').click();
    const dialog = page.getByRole('dialog', { name: '导入边界' });
    await dialog.waitFor(WAIT);
    const { lat, lng } = community;
    const square = (d: number) => [
      [
        [lng - d, lat - d],
        [lng + d, lat - d],
        [lng + d, lat + d],
        [lng - d, lat + d],
        [lng - d, lat - d],
      ],
    ];
    const file = (features: unknown[]) => ({
      name: 'outline.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })),
    });
    // A ring left open and an unknown community: refused, every place named in Chinese, nothing written.
    const open = square(0.003);
    open[0].pop();
    await dialog.locator('input[type=file]').setInputFiles(
      file([
        { type: 'Feature', properties: { code: community.code }, geometry: { type: 'Polygon', coordinates: open } },
        { type: 'Feature', properties: { name: '不存在社区' }, geometry: { type: 'Polygon', coordinates: square(0.002) } },
      ]),
    );
    await dialog.getByTestId('boundary-upload').click();
    await dialog.getByText('发现 2 处问题，未写入任何数据').waitFor(WAIT);
    await dialog.getByRole('cell', { name: '第 1 个要素 · 坐标 [0]' }).waitFor(WAIT);
    await dialog.getByRole('cell', { name: '环未闭合（首尾点须相同）' }).waitFor(WAIT);
    await dialog.getByRole('cell', { name: '未找到名为「不存在社区」的区划' }).waitFor(WAIT);
    expect(await dialog.getByText(/ring not closed|no region named/).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'maps-04-boundary-problems.png') });

    await dialog
      .locator('input[type=file]')
      .setInputFiles(
        file([
          { type: 'Feature', properties: { code: community.code }, geometry: { type: 'Polygon', coordinates: square(0.003) } },
        ]),
      );
    await dialog.getByTestId('boundary-upload').click();
    await dialog.getByText('已导入 1 个区划的边界').waitFor(WAIT);
    const preview = dialog.getByTestId('boundary-preview');
    await preview.locator('path').first().waitFor(WAIT);
    await preview.locator('.zy-outline-label', { hasText: '芙蓉社区' }).waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'maps-05-boundary-imported.png') });
    const { regionBoundaries } = await import(path.join(SERVER_SRC, 'modules/regions/regions.schema.ts'));
    const { eq } = await import('drizzle-orm');
    const [row] = await server.ctx.db.select().from(regionBoundaries).where(eq(regionBoundaries.regionCode, community.code));
    expect(row.geometry.coordinates[0][2].map((v: number) => Number(v.toFixed(6)))).toEqual([
      Number((lng + 0.003).toFixed(6)),
      Number((lat + 0.003).toFixed(6)),
    ]);

    // 设置边界 on the community's row replaces its outline from a file holding one Feature.
    await clickUntil(dialog.getByRole('button', { name: /关\s?闭/ }).last(), gone(dialog));
    await page
      .getByRole('row', { name: new RegExp(community.code) })
      .getByRole('button', { name: '设置边界' })
      .click();
    const one = page.getByRole('dialog', { name: '设置「芙蓉社区」的边界' });
    await one.waitFor(WAIT);
    await one.locator('input[type=file]').setInputFiles({
      name: 'furong.geojson',
      mimeType: 'application/geo+json',
      buffer: Buffer.from(
        JSON.stringify({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: square(0.004) } }),
      ),
    });
    await one.getByTestId('boundary-upload').click();
    await one.getByText(/已设置「芙蓉社区」的边界（\d+ 个顶点）/).waitFor(WAIT);
    await one.getByTestId('boundary-preview').locator('path').first().waitFor(WAIT);
    await page.screenshot({ path: path.join(shots, 'maps-06-boundary-set.png') });
    await expect
      .poll(async () => {
        const [r] = await server.ctx.db.select().from(regionBoundaries).where(eq(regionBoundaries.regionCode, community.code));
        return r.geometry.coordinates[0][2].map((v: number) => Number(v.toFixed(6)));
      }, WAIT)
      .toEqual([Number((lng + 0.004).toFixed(6)), Number((lat + 0.004).toFixed(6))]);
    await context.close();
  }, 180_000);

  it('the big screen colours the communities by open life-safety alarms on their outlines', async () => {
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await login(page, operator);
    await page.goto(`${server.url}/screen`);
    const map = page.getByTestId('screen-map');
    await map.waitFor(WAIT);
    // 36 communities and 6 streets outlined; the one with 7 open alarms is red.
    await expect.poll(() => map.locator('path.leaflet-interactive, path').count(), WAIT).toBeGreaterThanOrEqual(42);
    await expect.poll(() => map.locator('path[fill="#ff4d4f"]').count(), WAIT).toBe(1);
    expect(await map.locator('path[fill="#ffa940"]').count()).toBe(1);
    expect(await map.locator('path[fill="#36cfc9"]').count()).toBe(1);
    await page.locator('.zy-outline-label-dark', { hasText: /锦华路\s*7/ }).waitFor(WAIT);
    await page.getByTestId('screen-map-legend').getByText('未处理生命安全告警').waitFor(WAIT);
    await page.waitForTimeout(500); // the last chart settles before the picture
    await page.screenshot({ path: path.join(shots, 'maps-02-screen.png') });
    await context.close();
  }, 180_000);
});
