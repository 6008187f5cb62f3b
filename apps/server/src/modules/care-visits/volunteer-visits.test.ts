import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

// Care-visit plans whose rule names 志愿者 go to the community's approved volunteers; the volunteer
// sees and records only their own visits, and a recorded visit is a task credited to the time bank once.

type Api = ReturnType<typeof client>;
let s: TestServer;
let district: Api;
let community: Api;
let communityUserId: string;
const today = cstDate();
const bornAged = (years: number) => `${Number(today.slice(0, 4)) - years}-01-15`;
const E = {} as Record<'aloneA' | 'aloneB' | 'empty' | 'other', string>;
const PASSWORD = 'Volunteer#2026';
type Vol = { id: string; userId: string; api: Api };
const V = {} as Record<'li' | 'wang' | 'far', Vol>;

let phoneSeq = 0;
async function deskVolunteer(name: string, regionCode: string = TREE.communityA1, staff = community): Promise<Vol> {
  const phone = `137${String(10_000_000 + ++phoneSeq * 7919).slice(-8)}`;
  const r = await staff.post('/api/v1/volunteers', { name, phone, regionCode, skills: ['companionship'], availability: [] });
  expect(r.statusCode, r.body).toBe(201);
  const { volunteer, username, initialPassword } = r.json();
  const first = client(s.app, await loginToken(s.app, username, initialPassword));
  const changed = await first.post('/api/v1/auth/change-password', { currentPassword: initialPassword, newPassword: PASSWORD });
  expect(changed.statusCode, changed.body).toBeLessThan(300);
  const [u] = await queryRows<{ user_id: string }>(s.ctx.db, sql`SELECT user_id FROM volunteers WHERE id = ${volunteer.id}`);
  return { id: volunteer.id, userId: u.user_id, api: client(s.app, await loginToken(s.app, username, PASSWORD)) };
}

const planOf = async (elderId: string) =>
  (
    await queryRows<{ assignee_id: string | null }>(
      s.ctx.db,
      sql`SELECT assignee_id FROM care_visit_plans WHERE elder_id = ${elderId}`,
    )
  )[0]?.assignee_id;
const openVisitOf = async (elderId: string) =>
  (
    await queryRows<{ id: string; assignee_id: string | null }>(
      s.ctx.db,
      sql`SELECT id, assignee_id FROM care_visits WHERE elder_id = ${elderId} AND status = 'scheduled'`,
    )
  )[0];

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  const c = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  community = c.api;
  communityUserId = c.account.id;
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  const mk = (overrides: Parameters<typeof createElder>[2], region: string = TREE.communityA1) =>
    createElder(s.ctx, region, { lat: 30.61, lng: 104.01, address: '甲一社区5号', ...overrides }).then((e) => e.id);
  E.aloneA = await mk({ name: '独居甲', birthDate: bornAged(92), livingSituation: 'alone' });
  E.aloneB = await mk({ name: '独居乙', birthDate: bornAged(93), livingSituation: 'alone' });
  E.empty = await mk({ name: '空巢丙', birthDate: bornAged(82), livingSituation: 'empty_nest' });
  E.other = await mk({ name: '乙区独居', birthDate: bornAged(91), livingSituation: 'alone' }, TREE.communityB1);
  V.li = await deskVolunteer('李志愿');
  V.wang = await deskVolunteer('王志愿');
  V.far = await deskVolunteer('乙区志愿', TREE.communityB1, communityB);
});
afterAll(() => s.close());

describe('plans of a 志愿者 rule', () => {
  it('go to approved volunteers of the elder’s community, least loaded first; other rules stay with staff', async () => {
    const rules = await district.put('/api/v1/care-visit-rules', {
      regionCode: TREE.district,
      rules: [
        { groups: ['alone', 'age_90'], riskLevel: 'high', intervalDays: 7, assigneeKind: 'volunteer' },
        { groups: ['empty_nest', 'age_80'], riskLevel: 'medium', intervalDays: 30, assigneeKind: 'community' },
      ],
    });
    expect(rules.statusCode, rules.body).toBe(200);
    expect((await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district })).statusCode).toBe(200);
    const a = await planOf(E.aloneA);
    const b = await planOf(E.aloneB);
    // Two elders, two volunteers with nothing yet: one each (not both to the first by name).
    expect([a, b].sort()).toEqual([V.li.userId, V.wang.userId].sort());
    expect((await openVisitOf(E.aloneA)).assignee_id).toBe(a);
    expect(await planOf(E.empty)).toBe(communityUserId);
    // The other street's elder goes to that community's volunteer, never to street A's.
    expect(await planOf(E.other)).toBe(V.far.userId);
    // A second run changes nothing.
    await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district });
    expect(await planOf(E.aloneA)).toBe(a);
  });

  it('staff see approved volunteers among the workers and reassign a visit to one of the elder’s community only', async () => {
    const w = (await community.get('/api/v1/care-visit-workers')).json().items as Array<{ id: string; role: string }>;
    expect(w.filter((x) => x.role === 'volunteer').map((x) => x.id)).toEqual(
      expect.arrayContaining([V.li.userId, V.wang.userId]),
    );
    expect(w.some((x) => x.id === V.far.userId)).toBe(false);
    // Li takes both elders of the volunteer rule and the empty-nest elder too.
    for (const elderId of [E.aloneA, E.aloneB, E.empty]) {
      const r = await community.put(`/api/v1/care-visit-plans/${elderId}`, { assigneeId: V.li.userId });
      expect(r.statusCode, r.body).toBe(200);
      expect((await openVisitOf(elderId)).assignee_id).toBe(V.li.userId);
    }
    const far = await district.put(`/api/v1/care-visit-plans/${E.aloneA}`, { assigneeId: V.far.userId });
    expect(far.statusCode).toBe(400);
    // Wang gets the empty-nest elder back from Li for the tests below (the second elder stays with Li).
    expect((await community.put(`/api/v1/care-visit-plans/${E.aloneB}`, { assigneeId: V.wang.userId })).statusCode).toBe(200);
  });
});

describe('the volunteer’s own visits', () => {
  it('lists only visits assigned to them; another visit is a 404; staff routes are closed to them', async () => {
    const mine = await V.li.api.get('/api/v1/volunteer/care-visits?status=scheduled');
    expect(mine.statusCode, mine.body).toBe(200);
    expect((mine.json().items as Array<{ elderId: string }>).map((v) => v.elderId).sort()).toEqual([E.aloneA, E.empty].sort());
    const wangsVisit = await openVisitOf(E.aloneB);
    expect((await V.li.api.get(`/api/v1/volunteer/care-visits/${wangsVisit.id}`)).statusCode).toBe(404);
    expect(
      (
        await V.li.api.post(`/api/v1/volunteer/care-visits/${wangsVisit.id}/record`, {
          outcome: 'not_home',
          lat: 30.61,
          lng: 104.01,
        })
      ).statusCode,
    ).toBe(404);
    expect((await V.li.api.get('/api/v1/care-visits')).statusCode).toBe(403);
    expect((await V.li.api.get(`/api/v1/care-visits/${wangsVisit.id}`)).statusCode).toBe(403);
    // Reading one's own visit shows the elder's name and address: audited as an elder read.
    const own = await openVisitOf(E.aloneA);
    const got = await V.li.api.get(`/api/v1/volunteer/care-visits/${own.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toMatchObject({ elderName: '独居甲', status: 'scheduled' });
    const [audit] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'elder.read' AND actor_id = ${V.li.userId}
        AND target_id = ${E.aloneA}`,
    );
    expect(audit.n).toBe(1);
  });

  it('records a visit with the staff form (QR, Idempotency-Key); the replay records once; findings become follow-ups', async () => {
    const visit = await openVisitOf(E.aloneA);
    const body = {
      outcome: 'met',
      qr: elderQrToken(s.ctx, E.aloneA),
      minutes: 45,
      form: {
        health: 'good',
        mood: 'low',
        gas: 'hazard',
        electricity: 'ok',
        fallsRisk: 'low',
        food: 'enough',
        hygiene: 'ok',
        medicines: 'ok',
        needs: [],
      },
      notes: '燃气软管老化',
    };
    const first = await V.li.api.post(`/api/v1/volunteer/care-visits/${visit.id}/record`, body, {
      'idempotency-key': 'vol-visit-1',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'done', checkInMethod: 'qr', visitedByName: '李志愿' });
    const replay = await V.li.api.post(`/api/v1/volunteer/care-visits/${visit.id}/record`, body, {
      'idempotency-key': 'vol-visit-1',
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json().id).toBe(visit.id);
    const other = await V.li.api.post(`/api/v1/volunteer/care-visits/${visit.id}/record`, body, {
      'idempotency-key': 'vol-visit-2',
    });
    expect(other.statusCode).toBe(409);
    // The next visit is scheduled for Li, who still sees the recorded one.
    expect((await openVisitOf(E.aloneA)).assignee_id).toBe(V.li.userId);
    expect((await V.li.api.get(`/api/v1/volunteer/care-visits/${visit.id}`)).statusCode).toBe(200);

    const findings = first.json().findingList as Array<{ id: string; type: string }>;
    const gas = findings.find((f) => f.type === 'gas') as { id: string };
    const alarm = await V.li.api.post('/api/v1/volunteer/care-follow-ups', {
      findingId: gas.id,
      type: 'alarm',
      detail: '燃气软管老化',
    });
    expect(alarm.statusCode, alarm.body).toBe(201);
    expect(alarm.json()).toMatchObject({ type: 'alarm', status: 'open' });
    expect(alarm.json().alarmId).toBeTruthy();
    const mood = findings.find((f) => f.type === 'mood') as { id: string };
    const order = await V.li.api.post('/api/v1/volunteer/care-follow-ups', {
      findingId: mood.id,
      type: 'service_order',
      detail: '陪伴',
      order: { itemId: '00000000-0000-4000-8000-000000000000', scheduledAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(order.statusCode).toBe(403);
    const street = await V.li.api.post('/api/v1/volunteer/care-follow-ups', {
      findingId: mood.id,
      type: 'street_task',
      detail: '请街道关注',
    });
    expect(street.statusCode, street.body).toBe(201);
    // Wang cannot act on Li's finding.
    expect(
      (await V.wang.api.post('/api/v1/volunteer/care-follow-ups', { findingId: gas.id, type: 'street_task', detail: '重复' }))
        .statusCode,
    ).toBe(404);
    // Staff see the follow-ups as any other.
    const staffView = (await community.get(`/api/v1/care-visits/${visit.id}`)).json();
    expect(staffView.followUps).toHaveLength(2);
  });

  it('a recorded visit is the volunteer’s finished task: confirmed like a task, credited to the time bank once', async () => {
    const tasks = (await V.li.api.get('/api/v1/volunteer/tasks')).json().items as Array<{
      id: string;
      source: string;
      status: string;
      reportedMinutes: number | null;
    }>;
    const t = tasks.filter((x) => x.source === 'care_visit_record');
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ status: 'done', reportedMinutes: 45 });
    const ok = await community.post(`/api/v1/volunteer-tasks/${t[0].id}/confirm`, { minutes: 45 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', creditedMinutes: 45 });
    const again = await community.post(`/api/v1/volunteer-tasks/${t[0].id}/confirm`, { minutes: 45 });
    expect(again.statusCode).toBe(200);
    expect((await V.li.api.get('/api/v1/volunteer/me')).json().volunteer.balanceMinutes).toBe(45);
    const [credits] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'credit' AND memo = ${`task:${t[0].id}:credit`}`,
    );
    expect(credits.n).toBe(1);
    expect(await checkLedger(s.ctx.db)).toMatchObject({ ok: true });
  });

  it('a disabled volunteer’s plans go back to an approved one at the next run', async () => {
    const off = await community.post(`/api/v1/volunteers/${V.wang.id}/review`, { decision: 'disable' });
    expect(off.statusCode, off.body).toBe(200);
    await district.post('/api/v1/care-groups/compute', { regionCode: TREE.district });
    expect(await planOf(E.aloneB)).toBe(V.li.userId);
    expect((await openVisitOf(E.aloneB)).assignee_id).toBe(V.li.userId);
  });
});
