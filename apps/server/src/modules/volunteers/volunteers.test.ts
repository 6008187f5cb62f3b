import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder, makeIdNumber } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { elderQrToken } from '../orders/visits.service.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let district: Api;
let community: Api;
let communityB: Api;
let anonymous: Api;
const today = cstDate();
const tomorrow = addDays(today, 1);
const E = {} as Record<'alone' | 'mother' | 'selfRecord' | 'other', string>;
const PASSWORD = 'Volunteer#2026';

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  anonymous = client(s.app);
  const mk = (name: string, region: string = TREE.communityA1) =>
    createElder(s.ctx, region, { name, lat: 30.61, lng: 104.01, address: '甲一社区3号' }).then((e) => e.id);
  E.alone = await mk('独居王奶奶');
  E.mother = await mk('志愿者母亲');
  E.selfRecord = await mk('低龄志愿者本人');
  E.other = await mk('乙区老人', TREE.communityB1);
});
afterAll(() => s.close());

let phoneSeq = 0;
const nextPhone = () => `139${String(10_000_000 + ++phoneSeq * 7919).slice(-8)}`;

/** A volunteer registered at the desk (approved at once) and logged in with a new password. */
async function deskVolunteer(name: string) {
  const phone = nextPhone();
  const r = await community.post('/api/v1/volunteers', {
    name,
    phone,
    regionCode: TREE.communityA1,
    skills: ['companionship'],
    availability: [{ weekday: 2, start: '09:00', end: '11:30' }],
  });
  expect(r.statusCode, r.body).toBe(201);
  // The volunteer logs in with the phone number, as the desk tells them.
  const { volunteer, initialPassword } = r.json();
  const token = await loginToken(s.app, phone, initialPassword);
  const api = client(s.app, token);
  const changed = await api.post('/api/v1/auth/change-password', { currentPassword: initialPassword, newPassword: PASSWORD });
  expect(changed.statusCode, changed.body).toBeLessThan(300);
  return { id: volunteer.id as string, api: client(s.app, await loginToken(s.app, phone, PASSWORD)) };
}

async function doneTask(v: { id: string; api: Api }, minutes = 60, kind = 'visit') {
  const t = await community.post('/api/v1/volunteer-tasks', {
    elderId: E.alone,
    kind,
    scheduledOn: today,
    plannedMinutes: 60,
    volunteerId: v.id,
  });
  expect(t.statusCode, t.body).toBe(201);
  const id = t.json().id as string;
  expect((await v.api.post(`/api/v1/volunteer/tasks/${id}/accept`, {})).statusCode).toBe(200);
  const qr = await v.api.post(`/api/v1/volunteer/tasks/${id}/check-in`, { method: 'qr', qr: elderQrToken(s.ctx, E.alone) });
  expect(qr.statusCode, qr.body).toBe(200);
  const done = await v.api.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes, note: '陪老人聊天' });
  expect(done.statusCode, done.body).toBe(200);
  return id;
}

const balanceOf = async (v: { api: Api }) => (await v.api.get('/api/v1/volunteer/me')).json().volunteer.balanceMinutes as number;
const creditsOf = async (taskId: string) =>
  queryRows<{ n: number }>(
    s.ctx.db,
    sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'credit' AND memo = ${`task:${taskId}:credit`}`,
  ).then((r) => r[0].n);

describe('registration and approval', () => {
  it('a volunteer registers from the phone, waits 待审核, and community staff approve after checking the ID', async () => {
    const communities = await anonymous.get('/api/v1/volunteer-registration/communities');
    expect(communities.statusCode).toBe(200);
    expect(communities.json().items.map((c: { code: string }) => c.code)).toContain(TREE.communityA1);

    const phone = nextPhone();
    const reg = await anonymous.post('/api/v1/volunteer-registrations', {
      name: '张小青',
      phone,
      idNumber: makeIdNumber('1998-05-01', 3),
      regionCode: TREE.communityA1,
      kind: 'student',
      skills: ['tech', 'shopping'],
      availability: [{ weekday: 6, start: '14:00', end: '17:00' }],
      password: PASSWORD,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(reg.json()).toMatchObject({ status: 'pending' });
    // The account's username is not the phone number; the volunteer logs in with the number.
    expect(reg.json().username).toMatch(/^v[0-9a-f]{10}$/);

    // The login works at once; the phone page says 待审核 and no task can be given yet.
    const me = client(s.app, await loginToken(s.app, phone, PASSWORD));
    expect((await me.get('/api/v1/volunteer/me')).json().volunteer.status).toBe('pending');
    const early = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.alone,
      kind: 'call',
      scheduledOn: today,
      plannedMinutes: 30,
      volunteerId: reg.json().id,
    });
    expect(early.statusCode).toBe(409);

    const list = await community.get('/api/v1/volunteers?status=pending&count=true');
    const row = list.json().items.find((v: { id: string }) => v.id === reg.json().id);
    expect(row).toMatchObject({ name: '张小青', status: 'pending', kind: 'student', skills: ['tech', 'shopping'] });
    expect(row.phoneMasked).toMatch(/^139\*{4}\d{4}$/);
    expect(row.idNumberMasked).not.toContain('0501');
    expect(list.body).not.toContain(phone);

    const approved = await community.post(`/api/v1/volunteers/${reg.json().id}/review`, {
      decision: 'approve',
      note: '身份证已核验',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    expect((await me.get('/api/v1/volunteer/me')).json().volunteer.status).toBe('approved');

    // The same phone again is a duplicate; a wrong ID number is a 400 naming the field.
    const again = await anonymous.post('/api/v1/volunteer-registrations', {
      name: '张小青',
      phone,
      regionCode: TREE.communityA1,
      password: PASSWORD,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('duplicate');
    const bad = await anonymous.post('/api/v1/volunteer-registrations', {
      name: '李',
      phone: nextPhone(),
      idNumber: '110101199003070000',
      regionCode: TREE.communityA1,
      password: PASSWORD,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.idNumber');

    // The volunteer holds three tasks: one assigned, one accepted, one checked in.
    const vid = reg.json().id as string;
    const task = async (kind: string) => {
      const t = await community.post('/api/v1/volunteer-tasks', {
        elderId: E.alone,
        kind,
        scheduledOn: today,
        plannedMinutes: 60,
        volunteerId: vid,
      });
      expect(t.statusCode, t.body).toBe(201);
      expect(t.json().status).toBe('assigned');
      return t.json().id as string;
    };
    const [assigned, accepted, started] = [await task('call'), await task('shopping'), await task('visit')];
    for (const id of [accepted, started])
      expect((await me.post(`/api/v1/volunteer/tasks/${id}/accept`, {})).statusCode).toBe(200);
    const ci = await me.post(`/api/v1/volunteer/tasks/${started}/check-in`, { method: 'gps', lat: 30.6105, lng: 104.0101 });
    expect(ci.json().status).toBe('checked_in');

    // Disabling stops the login, and the tasks not started go back to the community's open list.
    const off = await community.post(`/api/v1/volunteers/${vid}/review`, { decision: 'disable' });
    expect(off.json().status).toBe('disabled');
    await expect.poll(async () => (await me.get('/api/v1/volunteer/me')).statusCode).toBe(401);
    const tasks = await queryRows<{ id: string; status: string; volunteer_id: string | null }>(
      s.ctx.db,
      sql`SELECT id, status, volunteer_id FROM volunteer_tasks WHERE id IN (${assigned}, ${accepted}, ${started})`,
    );
    const byId = Object.fromEntries(tasks.map((t) => [t.id, t]));
    expect(byId[assigned]).toMatchObject({ status: 'open', volunteer_id: null });
    expect(byId[accepted]).toMatchObject({ status: 'open', volunteer_id: null });
    expect(byId[started]).toMatchObject({ status: 'checked_in', volunteer_id: vid });
    const openList = await community.get('/api/v1/volunteer-tasks?status=open');
    expect(openList.json().items.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([assigned, accepted]));
    const [review] = await queryRows<{ detail: Record<string, unknown> }>(
      s.ctx.db,
      sql`SELECT detail FROM audit_log WHERE action = 'volunteer.review' AND target_id = ${vid} ORDER BY id DESC LIMIT 1`,
    );
    expect(review.detail).toMatchObject({ decision: 'disable', releasedTasks: 2 });
  });
});

describe('the phone is the login, never the username', () => {
  it('stores the number encrypted on the account; no list, audit row or failure count holds it', async () => {
    const phone = nextPhone();
    const reg = await anonymous.post('/api/v1/volunteer-registrations', {
      name: '赵晓雨',
      phone,
      regionCode: TREE.communityA1,
      password: PASSWORD,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const [u] = await queryRows<{ username: string; phone: string | null; phone_enc: string; phone_hash: string }>(
      s.ctx.db,
      sql`SELECT username, phone, phone_enc, phone_hash FROM users WHERE username = ${reg.json().username}`,
    );
    expect(u.username).not.toContain(phone.slice(-4));
    expect(u.phone).toBeNull();
    expect(s.ctx.cipher.decrypt(u.phone_enc)).toBe(phone);
    expect(u.phone_hash).toBe(s.ctx.cipher.blindIndex(phone, 'phone'));

    // Spaces as a phone keyboard adds them still find the account; a wrong password is counted
    // under the account, and a number nobody has under its index, never the number itself.
    const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    expect(await loginToken(s.app, spaced, PASSWORD)).toMatch(/^zy_/);
    const wrong = await anonymous.post('/api/v1/auth/login', { username: phone, password: 'Wrong#2026pw' });
    expect(wrong.statusCode).toBe(401);
    const stranger = await anonymous.post('/api/v1/auth/login', { username: '13711112222', password: 'Wrong#2026pw' });
    expect(stranger.statusCode).toBe(401);
    expect(stranger.json().detail).toBe(wrong.json().detail);
    const failures = await queryRows<{ username: string }>(s.ctx.db, sql`SELECT username FROM login_failures`);
    expect(failures.map((f) => f.username)).toContain(reg.json().username);
    expect(JSON.stringify(failures)).not.toContain(phone);
    expect(JSON.stringify(failures)).not.toContain('13711112222');

    const accounts = await district.get('/api/v1/users?limit=200');
    expect(accounts.statusCode).toBe(200);
    expect(accounts.body).not.toContain(phone);
    const audit = await queryRows<{ row: string }>(s.ctx.db, sql`SELECT row_to_json(a)::text AS row FROM audit_log a`);
    expect(audit.some((a) => a.row.includes(phone))).toBe(false);
    expect(audit.some((a) => a.row.includes('13711112222'))).toBe(false);
  });

  it('a volunteer account registered with the number as username is renamed, and the number still logs in', async () => {
    // As registered before the change: the username is the phone, the account has no phone.
    const phone = nextPhone();
    const reg = await anonymous.post('/api/v1/volunteer-registrations', {
      name: '钱老志愿',
      phone,
      regionCode: TREE.communityA1,
      password: PASSWORD,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    await s.ctx.db.execute(sql`UPDATE users SET username = ${phone}, phone_enc = NULL, phone_hash = NULL, phone_masked = NULL
      WHERE username = ${reg.json().username}`);
    const bad = await anonymous.post('/api/v1/auth/login', { username: phone, password: 'Wrong#2026pw' });
    expect(bad.statusCode).toBe(401);

    const { renamePhoneUsernames } = await import('../users/users.phone.ts');
    const [first, second] = await Promise.all([renamePhoneUsernames(s.ctx), renamePhoneUsernames(s.ctx)]);
    expect(first + second).toBe(1);
    expect(await renamePhoneUsernames(s.ctx)).toBe(0);

    const [u] = await queryRows<{ id: string; username: string; phone_enc: string; failures: number }>(
      s.ctx.db,
      sql`SELECT u.id, u.username, u.phone_enc,
            (SELECT coalesce(sum(failures), 0)::int FROM login_failures f WHERE f.username = u.username) AS failures
          FROM users u JOIN volunteers v ON v.user_id = u.id WHERE v.id = ${reg.json().id}`,
    );
    expect(u.username).toMatch(/^v[0-9a-f]{10}$/);
    expect(s.ctx.cipher.decrypt(u.phone_enc)).toBe(phone);
    // The failure before the rename still counts against the account.
    expect(u.failures).toBe(1);
    expect(await loginToken(s.app, phone, PASSWORD)).toMatch(/^zy_/);
    const [rename] = await queryRows<{ detail: string; actor_id: string | null }>(
      s.ctx.db,
      sql`SELECT detail::text AS detail, actor_id FROM audit_log WHERE action = 'user.rename' AND target_id = ${u.id}`,
    );
    expect(rename.actor_id).toBeNull();
    expect(rename.detail).toContain(u.username);
    expect(rename.detail).not.toContain(phone);
  });
});

describe('task lifecycle and credit', () => {
  it('assigned → accepted → checked in by position → done → confirmed: the hours are credited on the ledger', async () => {
    const v = await deskVolunteer('刘志愿');
    const t = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.alone,
      kind: 'shopping',
      scheduledOn: today,
      plannedMinutes: 90,
      notes: '买米和蔬菜',
    });
    expect(t.statusCode, t.body).toBe(201);
    expect(t.json().status).toBe('open');
    const id = t.json().id;
    expect((await community.post(`/api/v1/volunteer-tasks/${id}/assign`, { volunteerId: v.id })).json().status).toBe('assigned');

    const mine = await v.api.get('/api/v1/volunteer/tasks');
    expect(mine.json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(mine.json().items[0]).toMatchObject({ elderName: '独居王奶奶', elderAddress: '甲一社区3号', kind: 'shopping' });
    // Done before check-in is refused.
    expect((await v.api.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes: 60 })).statusCode).toBe(409);
    expect((await v.api.post(`/api/v1/volunteer/tasks/${id}/accept`, {})).json().status).toBe('accepted');
    const ci = await v.api.post(`/api/v1/volunteer/tasks/${id}/check-in`, { method: 'gps', lat: 30.6105, lng: 104.0101 });
    expect(ci.statusCode, ci.body).toBe(200);
    expect(ci.json()).toMatchObject({ status: 'checked_in', checkInMethod: 'gps' });
    expect(ci.json().checkInDistanceM).toBeLessThan(100);
    const wrongQr = await v.api.post(`/api/v1/volunteer/tasks/${id}/check-in`, { method: 'qr', qr: 'ZYQR1.nope' });
    expect(wrongQr.statusCode).toBe(200); // already checked in: the same answer, nothing changes
    const done = await v.api.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes: 80, note: '已送到家' });
    expect(done.json()).toMatchObject({ status: 'done', reportedMinutes: 80 });

    expect(await balanceOf(v)).toBe(0);
    const confirmed = await community.post(`/api/v1/volunteer-tasks/${id}/confirm`, { minutes: 75 });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', confirmedMinutes: 75, creditedMinutes: 75 });
    expect(await balanceOf(v)).toBe(75);

    const st = await v.api.get('/api/v1/volunteer/statement');
    expect(st.json()).toMatchObject({ balanceMinutes: 75, creditedMinutes: 75, redeemedMinutes: 0 });
    expect(st.json().items[0]).toMatchObject({
      amount: 75,
      kind: 'credit',
      taskId: id,
      taskKind: 'shopping',
      elderName: '独居王奶奶',
    });
    const staffView = await community.get(`/api/v1/volunteers/${v.id}/statement`);
    expect(staffView.json().items).toHaveLength(1);
    const accounts = await community.get('/api/v1/timebank/accounts');
    expect(accounts.statusCode, accounts.body).toBe(200);
    expect(accounts.json().items.find((x: { volunteerId: string }) => x.volunteerId === v.id)).toMatchObject({
      balanceMinutes: 75,
      creditedMinutes: 75,
      redeemedMinutes: 0,
    });
    expect(accounts.json().totals.creditedMinutes).toBeGreaterThanOrEqual(75);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('a confirmation retried and confirmations racing credit the task exactly once', async () => {
    const v = await deskVolunteer('重试志愿');
    const first = await doneTask(v, 60);
    const a = await community.post(`/api/v1/volunteer-tasks/${first}/confirm`, { minutes: 60 });
    const b = await community.post(`/api/v1/volunteer-tasks/${first}/confirm`, { minutes: 60 });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.json()).toEqual(a.json());
    expect(await creditsOf(first)).toBe(1);
    expect(await balanceOf(v)).toBe(60);

    const second = await doneTask(v, 45);
    const racing = await Promise.all(
      Array.from({ length: 6 }, () => community.post(`/api/v1/volunteer-tasks/${second}/confirm`, { minutes: 45 })),
    );
    expect(racing.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    expect(await creditsOf(second)).toBe(1);
    expect(await balanceOf(v)).toBe(105);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('a call task checks in by calling; cancelling a started task is refused', async () => {
    const v = await deskVolunteer('电话志愿');
    const t = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.alone,
      kind: 'call',
      scheduledOn: today,
      plannedMinutes: 20,
      volunteerId: v.id,
    });
    const id = t.json().id;
    const ci = await v.api.post(`/api/v1/volunteer/tasks/${id}/check-in`, { method: 'call' });
    expect(ci.json()).toMatchObject({ status: 'checked_in', checkInMethod: 'call' });
    expect((await community.post(`/api/v1/volunteer-tasks/${id}/cancel`, { reason: '不需要' })).statusCode).toBe(409);
    const visit = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.alone,
      kind: 'visit',
      scheduledOn: today,
      plannedMinutes: 20,
      volunteerId: v.id,
    });
    const byCall = await v.api.post(`/api/v1/volunteer/tasks/${visit.json().id}/check-in`, { method: 'call' });
    expect(byCall.statusCode).toBe(400);
  });
});

describe('redemption', () => {
  it('debits once per Idempotency-Key, creates the task for the relative, and refuses what the balance does not cover', async () => {
    const v = await deskVolunteer('兑换志愿');
    const t1 = await doneTask(v, 120);
    await community.post(`/api/v1/volunteer-tasks/${t1}/confirm`, { minutes: 120 });
    expect(await balanceOf(v)).toBe(120);

    // Not linked yet: the mother is not a beneficiary.
    const notYet = await v.api.post(
      '/api/v1/volunteer/redemptions',
      { elderId: E.mother, kind: 'hospital', minutes: 60, scheduledOn: tomorrow },
      { 'idempotency-key': 'redeem-not-yet-1' },
    );
    expect(notYet.statusCode).toBe(422);

    const linked = await community.patch(`/api/v1/volunteers/${v.id}`, {
      relatives: [{ elderId: E.mother, relation: 'parent' }],
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const me = await v.api.get('/api/v1/volunteer/me');
    expect(me.json().beneficiaries).toEqual([
      { elderId: E.mother, elderName: '志愿者母亲', beneficiary: 'relative', relation: 'parent' },
    ]);

    const body = { elderId: E.mother, kind: 'hospital', minutes: 60, scheduledOn: tomorrow, note: '陪同去医院复查' };
    const noKey = await v.api.post('/api/v1/volunteer/redemptions', body);
    expect(noKey.statusCode).toBe(400);
    const r1 = await v.api.post('/api/v1/volunteer/redemptions', body, { 'idempotency-key': 'redeem-mother-0001' });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json()).toMatchObject({
      beneficiary: 'relative',
      minutes: 60,
      serviceMinutes: 60,
      balanceMinutes: 60,
      taskStatus: 'open',
    });
    const again = await v.api.post('/api/v1/volunteer/redemptions', body, { 'idempotency-key': 'redeem-mother-0001' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(r1.json().id);
    expect(await balanceOf(v)).toBe(60);
    const debits = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'redeem' AND memo = ${`redemption:${r1.json().id}`}`,
    );
    expect(debits[0].n).toBe(1);

    // The redemption is a task for the mother that the community assigns like any other.
    const task = await community.get(`/api/v1/volunteer-tasks/${r1.json().taskId}`);
    expect(task.json()).toMatchObject({
      elderId: E.mother,
      kind: 'hospital',
      source: 'redemption',
      status: 'open',
      plannedMinutes: 60,
    });

    // Two more redemptions of 60 racing on the 60 left: one debits, the other is a 409.
    const racing = await Promise.all(
      ['redeem-race-000001', 'redeem-race-000002'].map((k) =>
        v.api.post('/api/v1/volunteer/redemptions', { ...body, note: k }, { 'idempotency-key': k }),
      ),
    );
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(racing.find((r) => r.statusCode === 409)?.json().code).toBe('insufficient-balance');
    expect(await balanceOf(v)).toBe(0);
    const broke = await v.api.post('/api/v1/volunteer/redemptions', body, { 'idempotency-key': 'redeem-broke-00001' });
    expect(broke.statusCode).toBe(409);
    expect(broke.json().code).toBe('insufficient-balance');

    // Cancelling a redemption's task gives the minutes back, once.
    const cancel = await community.post(`/api/v1/volunteer-tasks/${r1.json().taskId}/cancel`, { reason: '已自行就医' });
    expect(cancel.json().status).toBe('cancelled');
    expect(await balanceOf(v)).toBe(60);
    expect((await community.post(`/api/v1/volunteer-tasks/${r1.json().taskId}/cancel`, { reason: '再次' })).statusCode).toBe(409);
    expect(await balanceOf(v)).toBe(60);
    const st = (await v.api.get('/api/v1/volunteer/statement')).json();
    expect(st.items.map((i: { kind: string; amount: number }) => `${i.kind}${i.amount}`)).toEqual([
      'return60',
      'redeem-60',
      'redeem-60',
      'credit120',
    ]);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});

describe('rules as data', () => {
  it('the district’s rules set the credit rate and cap, the exchange rate, the minimum and who counts as a relative', async () => {
    const v = await deskVolunteer('规则志愿');
    await community.patch(`/api/v1/volunteers/${v.id}`, {
      selfElderId: E.selfRecord,
      relatives: [{ elderId: E.mother, relation: 'sibling' }],
    });
    // Defaults: a sibling does not count; the volunteer themself does.
    let me = (await v.api.get('/api/v1/volunteer/me')).json();
    expect(me.beneficiaries.map((b: { beneficiary: string }) => b.beneficiary)).toEqual(['self']);

    const rules = {
      regionCode: TREE.district,
      creditPercent: 150,
      maxCreditMinutes: 120,
      redeemPercent: 50,
      minRedeemMinutes: 30,
      keepMinutes: 0,
      monthlyRedeemMinutes: 600,
      allowSelf: true,
      relativeRelations: ['parent', 'sibling'],
    };
    expect((await community.put('/api/v1/timebank/rules', rules)).statusCode).toBe(404); // a community does not reach the district
    const put = await district.put('/api/v1/timebank/rules', rules);
    expect(put.statusCode, put.body).toBe(200);
    expect((await community.get(`/api/v1/timebank/rules?regionCode=${TREE.district}`)).json()).toEqual(rules);

    const id = await doneTask(v, 100);
    const c = await community.post(`/api/v1/volunteer-tasks/${id}/confirm`, { minutes: 100 });
    expect(c.json()).toMatchObject({ confirmedMinutes: 100, creditedMinutes: 120 }); // 150 % of 100, capped at 120
    me = (await v.api.get('/api/v1/volunteer/me')).json();
    expect(me.beneficiaries.map((b: { relation: string | null }) => b.relation)).toEqual([null, 'sibling']);

    const small = await v.api.post(
      '/api/v1/volunteer/redemptions',
      { kind: 'visit', minutes: 20, scheduledOn: tomorrow },
      { 'idempotency-key': 'redeem-small-0001' },
    );
    expect(small.statusCode).toBe(422);
    const self = await v.api.post(
      '/api/v1/volunteer/redemptions',
      { kind: 'visit', minutes: 60, scheduledOn: tomorrow },
      { 'idempotency-key': 'redeem-self-00001' },
    );
    expect(self.statusCode, self.body).toBe(201);
    expect(self.json()).toMatchObject({ beneficiary: 'self', elderId: E.selfRecord, minutes: 60, serviceMinutes: 30 });

    const bad = await district.put('/api/v1/timebank/rules', { ...rules, creditPercent: 0 });
    expect(bad.statusCode).toBe(400);
    await district.put('/api/v1/timebank/rules', {
      ...rules,
      creditPercent: 100,
      maxCreditMinutes: 240,
      redeemPercent: 100,
      minRedeemMinutes: 60,
      relativeRelations: ['spouse', 'parent', 'parent_in_law', 'grandparent'],
    });
  });
});

describe('scope', () => {
  it('another community’s staff and another volunteer get 404; an elder outside reach cannot get a task', async () => {
    const v = await deskVolunteer('范围志愿');
    const other = await deskVolunteer('别的志愿');
    const id = await doneTask(v, 30);
    expect((await communityB.get(`/api/v1/volunteers/${v.id}`)).statusCode).toBe(404);
    expect((await communityB.get(`/api/v1/volunteer-tasks/${id}`)).statusCode).toBe(404);
    expect((await communityB.post(`/api/v1/volunteer-tasks/${id}/confirm`, { minutes: 30 })).statusCode).toBe(404);
    expect((await communityB.get(`/api/v1/volunteers/${v.id}/statement`)).statusCode).toBe(404);
    expect((await communityB.get('/api/v1/volunteers')).json().items).toEqual([]);
    expect((await other.api.get(`/api/v1/volunteer/tasks/${id}`)).statusCode).toBe(404);
    expect((await other.api.post(`/api/v1/volunteer/tasks/${id}/done`, { minutes: 30 })).statusCode).toBe(404);
    expect((await v.api.get('/api/v1/volunteers')).statusCode).toBe(403);
    const outside = await community.post('/api/v1/volunteer-tasks', {
      elderId: E.other,
      kind: 'visit',
      scheduledOn: today,
      plannedMinutes: 30,
    });
    expect(outside.statusCode).toBe(400);
  });
});

describe('睦邻点', () => {
  it('staff add a point with weekly activities; volunteers of the street see it, another street’s staff do not', async () => {
    const v = await deskVolunteer('睦邻志愿');
    const p = await community.post('/api/v1/neighbourhood-points', {
      name: '甲一睦邻点',
      address: '甲一社区活动室',
      regionCode: TREE.communityA1,
      lat: 30.611,
      lng: 104.011,
      activities: [
        { weekday: 2, start: '09:00', end: '11:00', title: '手工编织' },
        { weekday: 4, start: '14:30', end: '16:00', title: '健康讲座' },
      ],
    });
    expect(p.statusCode, p.body).toBe(201);
    const mine = await v.api.get('/api/v1/neighbourhood-points');
    expect(mine.json().items.map((x: { name: string }) => x.name)).toEqual(['甲一睦邻点']);
    expect((await communityB.get('/api/v1/neighbourhood-points')).json().items).toEqual([]);
    const hijack = { name: '改名', address: '乙一社区', regionCode: TREE.communityB1, activities: [] };
    expect((await communityB.put(`/api/v1/neighbourhood-points/${p.json().id}`, hijack)).statusCode).toBe(404);
    const badTime = await community.post('/api/v1/neighbourhood-points', {
      name: '坏时间',
      address: '某处',
      regionCode: TREE.communityA1,
      activities: [{ weekday: 2, start: '11:00', end: '09:00', title: '倒着的时间' }],
    });
    expect(badTime.statusCode).toBe(400);
  });
});
