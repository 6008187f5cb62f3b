import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, ensureWebBuild, launchBrowser, SERVER_SRC, type Server, screenshotDir, WEB_DIST } from './support.ts';

/**
 * 医养结合 on the family's phone page (390×844, zh-CN): the daughter asks for a home visit with the
 * large 请医生上门 button — the request reaches her mother's contracted team on the server — and
 * opens the 健康档案: the family doctor, the latest blood pressure, the chronic condition and the
 * medicine; the read is in the audit log.
 */
let server: Server;
let browser: Browser;
let webDist: string;
let shots: string;
let familyName = '';
let elderId = '';
let districtApi: Api;
let healthReads: () => Promise<number>;
const PASSWORD = 'Test#Pass2026';

beforeAll(async () => {
  ensureWebBuild();
  webDist = mkdtempSync(path.join(tmpdir(), 'zy-phone-health-dist-'));
  cpSync(WEB_DIST, webDist, { recursive: true });
  const { startTestServer } = await import(path.join(SERVER_SRC, 'testing/server.ts'));
  const f = await import(path.join(SERVER_SRC, 'testing/factories.ts'));
  const { createElder } = await import(path.join(SERVER_SRC, 'testing/elders.ts'));
  const { sql, eq } = await import('drizzle-orm');
  const { users } = await import(path.join(SERVER_SRC, 'modules/users/users.schema.ts'));
  const { queryRows } = await import(path.join(SERVER_SRC, 'lib/sql-rows.ts'));
  server = await startTestServer({ listen: true, config: { webDist } });
  await f.seedTree(server.ctx);
  districtApi = (await f.clientAs(server.app, server.ctx, 'district_admin', { regionCode: f.TREE.district })).api;
  const year = new Date().getUTCFullYear();
  const elder = await createElder(server.ctx, f.TREE.communityA1, {
    name: '周玉兰',
    birthDate: `${year - 81}-03-02`,
    chronicConditions: ['高血压'],
  });
  elderId = elder.id;
  const org = await districtApi.post('/api/v1/medical-orgs', {
    name: '锦华街道社区卫生服务中心',
    kind: 'community_health_centre',
    regionCode: f.TREE.streetA,
    phone: '028-86001234',
  });
  expect(org.statusCode).toBe(201);
  const team = await districtApi.post('/api/v1/doctor-teams', {
    orgId: org.json().id,
    name: '王医生团队',
    communities: [f.TREE.communityA1],
  });
  await districtApi.post(`/api/v1/doctor-teams/${team.json().id}/members`, {
    name: '王建华',
    role: 'doctor',
    licenceNo: '110510000001',
    isLeader: true,
  });
  const contract = await districtApi.post('/api/v1/doctor-contracts', {
    elderId,
    teamId: team.json().id,
    package: 'chronic',
    startsOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
  });
  expect(contract.statusCode).toBe(201);
  const med = await districtApi.post(`/api/v1/elders/${elderId}/health/medications`, {
    name: '氨氯地平片',
    dose: '5毫克',
    frequency: '每日一次',
  });
  expect(med.statusCode).toBe(201);
  // Two mornings' blood pressure from her meter.
  for (const [days, sys, dia] of [
    [2, 148, 90],
    [1, 142, 88],
  ]) {
    const at = new Date(Date.now() - days * 86_400_000).toISOString();
    await server.ctx.db.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source)
      VALUES (${elderId}, 'systolic', ${sys}, ${at}, 'device'), (${elderId}, 'diastolic', ${dia}, ${at}, 'device')`);
  }
  const family = await f.createAccount(server.ctx, 'family');
  await server.ctx.db.update(users).set({ elderId }).where(eq(users.id, family.id));
  familyName = family.username;
  healthReads = async () =>
    (
      await queryRows(
        server.ctx.db,
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'health.read' AND target_id = ${elderId}`,
      )
    )[0].n;
  browser = await launchBrowser();
  shots = screenshotDir();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (webDist) rmSync(webDist, { recursive: true, force: true });
});

describe('医养结合 on the family’s phone page', () => {
  it('the family asks for a home visit and reads the health record', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const login = await page.request.post(`${server.url}/api/v1/auth/login`, {
      data: { username: familyName, password: PASSWORD },
    });
    expect(login.ok()).toBe(true);
    await page.goto(`${server.url}/family`);

    const visit = page.getByTestId('home-visit');
    await visit.getByRole('button', { name: '请医生上门' }).click();
    await visit.getByRole('button', { name: '身体不舒服' }).click();
    await visit.getByTestId('visit-reason').fill('身体不舒服，最近早上头晕');
    await page.screenshot({ path: path.join(shots, 'phone-health-ask.png'), fullPage: true });
    await visit.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(async () => (await visit.getByTestId('home-visit-sent').textContent()) ?? '').toContain('王医生团队');
    await expect.poll(() => visit.getByTestId('home-visit-request').count()).toBe(1);
    expect(await visit.getByTestId('home-visit-request').textContent()).toContain('等待王医生团队安排');
    const visits = (await districtApi.get(`/api/v1/medical-visits?elderId=${elderId}`)).json();
    expect(visits.items).toHaveLength(1);
    expect(visits.items[0]).toMatchObject({ source: 'family', reason: '身体不舒服，最近早上头晕', status: 'requested' });

    const record = page.getByTestId('health-record');
    await record.getByRole('button', { name: '查看健康档案' }).click();
    const doctor = record.getByTestId('health-doctor');
    await doctor.waitFor();
    const doctorText = (await doctor.textContent()) ?? '';
    expect(doctorText).toContain('王医生团队（锦华街道社区卫生服务中心）');
    expect(doctorText).toContain('负责医生：王建华');
    expect(doctorText).toContain('慢病管理包');
    const vital = record.getByTestId('health-vital').first();
    expect(await vital.textContent()).toContain('血压 142/88');
    expect(await vital.locator('svg').count()).toBe(1);
    expect(await record.getByTestId('health-conditions').textContent()).toBe('高血压');
    expect(await record.getByTestId('health-medication').textContent()).toContain('氨氯地平片 5毫克 每日一次');
    await record.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'phone-health-record.png'), fullPage: true });
    // No English or raw codes on the page.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/\b(requested|chronic|systolic|undefined|null)\b|phoneHealth\./);

    // The record's reads (summary and vitals) are audited.
    expect(await healthReads()).toBeGreaterThanOrEqual(2);
    await context.close();
  });
});
