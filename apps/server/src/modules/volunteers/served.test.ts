import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

/**
 * The elder served, or their family, confirms or disputes a volunteer's finished task from their
 * phone page; and the public self-registration is rate-limited per address.
 */
type Api = ReturnType<typeof client>;
let s: TestServer;
let community: Api;
let elder: Api;
let family: Api;
let otherFamily: Api;
let volunteer: { id: string; api: Api };
const E = {} as Record<'served' | 'other', string>;
const today = cstDate();

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  E.served = (await createElder(s.ctx, TREE.communityA1, { name: '受助张奶奶', lat: 30.61, lng: 104.01 })).id;
  E.other = (await createElder(s.ctx, TREE.communityA1, { name: '邻居李爷爷', lat: 30.61, lng: 104.01 })).id;
  const bind = async (role: 'elder' | 'family', elderId: string) => {
    const a = await clientAs(s.app, s.ctx, role, {});
    await s.ctx.db.update(users).set({ elderId }).where(eq(users.id, a.account.id));
    return a.api;
  };
  elder = await bind('elder', E.served);
  family = await bind('family', E.served);
  otherFamily = await bind('family', E.other);
  const r = await community.post('/api/v1/volunteers', {
    name: '赵志愿',
    phone: '13700771001',
    regionCode: TREE.communityA1,
  });
  expect(r.statusCode, r.body).toBe(201);
  const first = client(s.app, await loginToken(s.app, r.json().username, r.json().initialPassword));
  await first.post('/api/v1/auth/change-password', { currentPassword: r.json().initialPassword, newPassword: 'Volunteer#2026' });
  volunteer = { id: r.json().volunteer.id, api: client(s.app, await loginToken(s.app, r.json().username, 'Volunteer#2026')) };
});
afterAll(() => s.close());

async function finishedTask(elderId = E.served, minutes = 45) {
  const t = await community.post('/api/v1/volunteer-tasks', {
    elderId,
    kind: 'visit',
    scheduledOn: today,
    plannedMinutes: 60,
    volunteerId: volunteer.id,
  });
  expect(t.statusCode, t.body).toBe(201);
  const id = t.json().id as string;
  expect((await volunteer.api.post(`/api/v1/volunteer/tasks/${id}/accept`, {})).statusCode).toBe(200);
  const qr = await volunteer.api.post(`/api/v1/volunteer/tasks/${id}/check-in`, {
    method: 'qr',
    qr: elderQrToken(s.ctx, elderId),
  });
  expect(qr.statusCode, qr.body).toBe(200);
  expect((await volunteer.api.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes })).statusCode).toBe(200);
  return id;
}
const balance = async () => (await volunteer.api.get('/api/v1/volunteer/me')).json().volunteer.balanceMinutes as number;
const audits = (id: string) =>
  queryRows<{ n: number }>(
    s.ctx.db,
    sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'volunteer.task.served-verdict' AND target_id = ${id}`,
  ).then((r) => r[0].n);

describe('confirmation by the elder or the family', () => {
  it('the elder sees the finished task and confirms it: the reported minutes are credited once, audited once', async () => {
    const id = await finishedTask(E.served, 45);
    const before = await balance();
    const list = await elder.get('/api/v1/served-volunteer-tasks');
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.find((t: { id: string }) => t.id === id);
    expect(mine).toMatchObject({ status: 'done', volunteerName: '赵志愿', reportedMinutes: 45, elderAddress: null });

    const ok = await elder.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'confirmed',
      servedVerdict: 'confirmed',
      confirmedMinutes: 45,
      creditedMinutes: 45,
    });
    // Again — by the elder, by the family, or by staff: the same task, nothing more credited or audited.
    const again = await family.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' });
    expect(again.statusCode).toBe(200);
    expect((await elder.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' })).statusCode).toBe(200);
    expect((await community.post(`/api/v1/volunteer-tasks/${id}/confirm`, { minutes: 60 })).json().creditedMinutes).toBe(45);
    expect(await balance()).toBe(before + 45);
    expect(await audits(id)).toBe(1);
    // Confirmed hours cannot be disputed afterwards.
    const late = await family.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'dispute' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('invalid-state');
    expect(await checkLedger(s.ctx.db)).toMatchObject({ ok: true });
  });

  it('the family disputes: nothing is credited, the community sees the dispute and decides the minutes', async () => {
    const id = await finishedTask(E.served, 90);
    const before = await balance();
    const d = await family.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'dispute', note: '只来了半小时' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'done', servedVerdict: 'disputed', servedNote: '只来了半小时' });
    expect((await family.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'dispute' })).statusCode).toBe(200);
    // After a dispute the elder cannot confirm it over the community's head.
    expect((await elder.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' })).statusCode).toBe(409);
    expect(await balance()).toBe(before);
    const seen = await community.get(`/api/v1/volunteer-tasks/${id}`);
    expect(seen.json()).toMatchObject({ servedVerdict: 'disputed', servedNote: '只来了半小时' });
    const c = await community.post(`/api/v1/volunteer-tasks/${id}/confirm`, { minutes: 30 });
    expect(c.json()).toMatchObject({ status: 'confirmed', creditedMinutes: 30 });
    expect(await balance()).toBe(before + 30);
    expect(await audits(id)).toBe(1);
  });

  it('scope: another elder’s family, staff and the volunteer get a 404; a task not finished is a 409; bad input a 400', async () => {
    const id = await finishedTask(E.served, 30);
    for (const who of [otherFamily, community, volunteer.api]) {
      const r = await who.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' });
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await otherFamily.get('/api/v1/served-volunteer-tasks')).json().items.map((t: { id: string }) => t.id)).not.toContain(
      id,
    );
    expect((await community.get('/api/v1/served-volunteer-tasks')).json().items).toEqual([]);
    const bad = await elder.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect((await elder.post('/api/v1/served-volunteer-tasks/not-a-uuid/verdict', { verdict: 'confirm' })).statusCode).toBe(400);
    expect((await client(s.app).get('/api/v1/served-volunteer-tasks')).statusCode).toBe(401);

    const open = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.served,
      kind: 'call',
      scheduledOn: today,
      plannedMinutes: 30,
      volunteerId: volunteer.id,
    });
    const early = await elder.post(`/api/v1/served-volunteer-tasks/${open.json().id}/verdict`, { verdict: 'confirm' });
    expect(early.statusCode).toBe(409);
    expect(await audits(id)).toBe(0);
  });

  it('confirmations racing from the elder and the family credit once', async () => {
    const id = await finishedTask(E.served, 20);
    const before = await balance();
    const answers = await Promise.all(
      [elder, family, elder, family].map((a) => a.post(`/api/v1/served-volunteer-tasks/${id}/verdict`, { verdict: 'confirm' })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await balance()).toBe(before + 20);
    expect(await audits(id)).toBe(1);
  });
});

describe('self-registration rate limit', () => {
  it('ten attempts an hour per address; the next is a 429 problem and registers nobody', async () => {
    const anonymous = client(s.app);
    const body = (i: number) => ({
      name: '注册测试',
      phone: `1360077${String(1000 + i)}`,
      regionCode: TREE.communityA1,
      password: 'Volunteer#2026',
    });
    const statuses: number[] = [];
    // Invalid attempts count too (a missing password), and each changes nothing.
    for (let i = 0; i < 10; i++) {
      const { password: _, ...noPassword } = body(i);
      statuses.push((await anonymous.post('/api/v1/volunteer-registrations', noPassword)).statusCode);
    }
    expect(statuses).toEqual(Array(10).fill(400));
    const limited = await anonymous.post('/api/v1/volunteer-registrations', body(99));
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().code).toBe('rate-limited');
    const [n] = await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM volunteers WHERE name = '注册测试'`);
    expect(n.n).toBe(0);
  });
});
