import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstMonth } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { serviceVisits } from '../orders/orders.schema.ts';
import { putServiceSettings } from '../orders/service-settings.repo.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';
import { monthDays } from './family-beds.rules.ts';
import { familyBeds } from './family-beds.schema.ts';

type Api = ReturnType<typeof client>;
let s: TestServer;
let admin: Api;
let community: Api;
let streetB: Api;
let operator: Api;
let providerAdmin: Api;
let worker: Api;
let assessor2: Api;
let provider: Awaited<ReturnType<typeof createServiceProvider>>;
let policyId: string;
let cleaningId: string;
const HOME = { lat: 30.61, lng: 104.01 };
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const now = new Date();
const lastMonth = cstMonth(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)));
const { first: lastFirst, days: lastDays } = monthDays(lastMonth);
/** visitsPerWeek 1 over a whole month: ceil(days / 7). */
const required = Math.ceil(lastDays / 7);

/** A signed GB/T 42195 assessment: every item at 0 is 完全失能 (total), every item at its maximum 能力完好 (intact). */
async function signedAssessment(elderId: string, scoreAll: 'min' | 'max') {
  const a = await community.post('/api/v1/assessments', {
    elderId,
    reason: 'first',
    assessedOn: today,
    background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] },
    scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, scoreAll === 'min' ? 0 : i.max])),
  });
  expect(a.statusCode, a.body).toBe(201);
  expect((await community.post(`/api/v1/assessments/${a.json().id}/sign`)).statusCode).toBe(200);
  expect((await assessor2.post(`/api/v1/assessments/${a.json().id}/sign`)).statusCode).toBe(200);
}

let visitSeq = 0;
/** A verified visit (served, confirmed, not flagged) of the provider, checked in on `day` of last month. */
async function verifiedVisit(elderId: string, day: string) {
  const o = (
    await operator.post('/api/v1/service-orders', { elderId, scheduledAt: hoursFromNow(1), itemId: cleaningId, payment: 'self' })
  ).json();
  expect(o.id, JSON.stringify(o)).toBeTruthy();
  await providerAdmin.post(`/api/v1/service-orders/${o.id}/accept`);
  await providerAdmin.post(`/api/v1/service-orders/${o.id}/assign`, { workerId: provider.worker.id });
  const start = 1350 - ++visitSeq * 80;
  const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  await worker.post(`/api/v1/service-orders/${o.id}/check-in`, { at: ago(start), ...HOME });
  await worker.post(`/api/v1/service-orders/${o.id}/check-out`, { at: ago(start - 70), ...HOME, record: '完成' });
  const c = await operator.post(`/api/v1/service-orders/${o.id}/confirm`);
  expect(c.json().status, c.body).toBe('confirmed');
  // The visit took place last month (the test cannot wait a month).
  await s.ctx.db
    .update(serviceVisits)
    .set({ checkInAt: new Date(`${day}T02:00:00Z`) })
    .where(eq(serviceVisits.orderId, o.id));
  return o.id as string;
}

/** An eligible elder's bed taken to active with one bed sensor; returns the bed id, elder id and device id. */
async function liveBed(name: string) {
  const e = await createElder(s.ctx, TREE.communityA1, { name, ...HOME });
  await signedAssessment(e.id, 'min');
  const bed = await community.post('/api/v1/family-beds', { elderId: e.id, note: '家属申请' });
  expect(bed.statusCode, bed.body).toBe(201);
  const id = bed.json().id as string;
  const assessed = await community.put(`/api/v1/family-beds/${id}/home-assessment`, {
    checklist: { grab_bars: 'needed', anti_slip: 'installed', lighting: 'ok' },
    assessedOn: today,
  });
  expect(assessed.json().status, assessed.body).toBe('assessed');
  const signed = await community.put(`/api/v1/family-beds/${id}/contract`, {
    providerId: provider.org.id,
    contractNo: `JC-${name}`,
    contractFrom: today,
    policyId,
    visitsPerWeek: 1,
    itemIds: [cleaningId],
  });
  expect(signed.json().status, signed.body).toBe('contracted');
  const d = await createDevice(s.ctx, { type: 'bed', regionCode: TREE.communityA1 });
  expect((await community.post(`/api/v1/family-beds/${id}/devices`, { deviceId: d.id })).statusCode).toBe(200);
  const live = await community.post(`/api/v1/family-beds/${id}/activate`);
  expect(live.json().status, live.body).toBe('active');
  // Live since the first of last month (moved back: the test cannot wait a month).
  await s.ctx.db.update(familyBeds).set({ activatedOn: lastFirst }).where(eq(familyBeds.id, id));
  return { id, elderId: e.id, deviceId: d.id };
}

let full: Awaited<ReturnType<typeof liveBed>>;
let short: Awaited<ReturnType<typeof liveBed>>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  assessor2 = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  streetB = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  operator = (await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.district })).api;
  await putServiceSettings(s.ctx.db, { checkInReasonMinutes: 24 * 60 });
  provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.streetA,
    communities: [TREE.communityA1],
    site: { lat: 30.612, lng: 104.012 },
  });
  providerAdmin = (await clientAs(s.app, s.ctx, 'provider_admin', { orgId: provider.org.id })).api;
  worker = client(s.app, await loginToken(s.app, provider.worker.username));
  cleaningId = (await itemByCode(s.ctx, 'cleaning')).id;
  const p = await admin.post('/api/v1/policies', {
    name: '家庭养老照护床位服务补贴',
    kind: 'purchase_credit',
    amount: 60000,
    period: 'month',
    regionCode: TREE.district,
    conditions: { abilityLevels: ['moderate', 'severe', 'total'] },
    validFrom: `${Number(today.slice(0, 4)) - 1}-01-01`,
  });
  expect(p.statusCode, p.body).toBe(201);
  policyId = p.json().id;
  expect((await admin.post(`/api/v1/policies/${policyId}/activate`)).statusCode).toBe(200);
});
afterAll(() => s.close());

describe('family care beds', () => {
  it('refuses an application unless the latest signed ability level is eligible', async () => {
    const none = await createElder(s.ctx, TREE.communityA1, { name: '未评估' });
    const r0 = await community.post('/api/v1/family-beds', { elderId: none.id });
    expect(r0.statusCode).toBe(422);
    expect(r0.json().errors[0]).toMatchObject({ path: 'body.elderId', message: 'no signed assessment' });

    const fit = await createElder(s.ctx, TREE.communityA1, { name: '能力完好' });
    await signedAssessment(fit.id, 'max');
    const el = (await community.get(`/api/v1/family-bed-eligibility?elderId=${fit.id}`)).json();
    expect(el).toMatchObject({ eligible: false, level: 'intact', reason: 'level' });
    expect((await community.post('/api/v1/family-beds', { elderId: fit.id })).statusCode).toBe(422);
    expect((await community.get('/api/v1/family-beds')).json().total).toBe(0);

    // The rule is data: the bureau admits 能力完好 too, and the same elder may apply.
    const put = await admin.put('/api/v1/family-bed-rules', {
      regionCode: TREE.district,
      eligibleLevels: ['intact', 'moderate', 'severe', 'total'],
    });
    expect(put.json()).toMatchObject({ customised: true });
    const ok = await community.post('/api/v1/family-beds', { elderId: fit.id });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await community.post('/api/v1/family-beds', { elderId: fit.id })).statusCode).toBe(409);
    await community.post(`/api/v1/family-beds/${ok.json().id}/end`, { reason: '测试结束' });
    await admin.put('/api/v1/family-bed-rules', { regionCode: TREE.district, eligibleLevels: ['moderate', 'severe', 'total'] });
  });

  it('goes applied → assessed → contracted → active, binding registry devices and feeding the alarm rules', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { name: '王秀兰', ...HOME });
    await signedAssessment(e.id, 'min');
    const bed = (await community.post('/api/v1/family-beds', { elderId: e.id })).json();
    expect(bed).toMatchObject({ status: 'applied', abilityLevel: 'total', elderName: '王秀兰' });
    expect(bed.idNumberMasked).toMatch(/\*/);
    // Steps out of order are refused.
    expect((await community.post(`/api/v1/family-beds/${bed.id}/activate`)).statusCode).toBe(409);
    const sensor = await createDevice(s.ctx, { type: 'bed', regionCode: TREE.communityA1 });
    expect((await community.post(`/api/v1/family-beds/${bed.id}/devices`, { deviceId: sensor.id })).statusCode).toBe(409);

    await community.put(`/api/v1/family-beds/${bed.id}/home-assessment`, {
      checklist: { grab_bars: 'needed', bed_rails: 'needed', call_button: 'installed' },
      assessedOn: today,
      note: '卫生间无扶手',
    });
    const opts = (await community.get(`/api/v1/family-bed-contract-options?elderId=${e.id}`)).json();
    expect(opts.providers.map((p: { id: string }) => p.id)).toContain(provider.org.id);
    expect(opts.policies).toContainEqual({ id: policyId, name: '家庭养老照护床位服务补贴', amountFen: 60000 });
    const bad = await community.put(`/api/v1/family-beds/${bed.id}/contract`, {
      providerId: provider.org.id,
      contractNo: 'JC-001',
      contractFrom: today,
      policyId,
      visitsPerWeek: 2,
      monitoring: {
        nightBedExit: { enabled: true, from: 22, to: 6, minutes: 15 },
        inactivity: { enabled: true, warnHours: 12, alarmHours: 10 },
        vitals: { enabled: false, heartRateLow: 50, heartRateHigh: 110 },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('body.monitoring.inactivity.warnHours');
    const signed = await community.put(`/api/v1/family-beds/${bed.id}/contract`, {
      providerId: provider.org.id,
      contractNo: 'JC-001',
      contractFrom: today,
      policyId,
      monthlyFen: 50000,
      visitsPerWeek: 2,
      itemIds: [cleaningId],
      monitoring: {
        nightBedExit: { enabled: true, from: 21, to: 7, minutes: 15 },
        inactivity: { enabled: true, warnHours: 6, alarmHours: 10 },
        vitals: { enabled: false, heartRateLow: 50, heartRateHigh: 110 },
      },
    });
    expect(signed.json()).toMatchObject({
      status: 'contracted',
      providerName: provider.org.name,
      package: { visitsPerWeek: 2, monthlyFen: 50000, policyId, items: [{ id: cleaningId }] },
    });

    // Devices: from the registry of the district, not bound to another elder, on one bed only.
    const other = await createElder(s.ctx, TREE.communityA1, { name: '邻居' });
    const theirs = await createDevice(s.ctx, { type: 'pendant', elderId: other.id });
    expect((await community.post(`/api/v1/family-beds/${bed.id}/devices`, { deviceId: theirs.id })).statusCode).toBe(409);
    expect((await community.post(`/api/v1/family-beds/${bed.id}/devices`, { deviceId: 'NO-SUCH-1' })).statusCode).toBe(422);
    const radar = await createDevice(s.ctx, { type: 'fall_radar', regionCode: TREE.communityA1 });
    await community.post(`/api/v1/family-beds/${bed.id}/devices`, { deviceId: sensor.id });
    const withDevices = (await community.post(`/api/v1/family-beds/${bed.id}/devices`, { deviceId: radar.id })).json();
    expect(withDevices.devices.map((d: { id: string }) => d.id).sort()).toEqual([sensor.id, radar.id].sort());
    const [reg] = await queryRows<{ elder_id: string }>(s.ctx.db, sql`SELECT elder_id FROM devices WHERE id = ${sensor.id}`);
    expect(reg.elder_id).toBe(e.id);

    const live = await community.post(`/api/v1/family-beds/${bed.id}/activate`);
    expect(live.json()).toMatchObject({ status: 'active', activatedOn: today });
    // The bed's monitoring rules are the elder's alarm rules now.
    const rules = (await community.get(`/api/v1/safety-rules/${e.id}`)).json();
    expect(rules.effective.nightBedExit).toEqual({ from: 21, to: 7, minutes: 15 });
    expect(rules.effective.inactivity).toMatchObject({ warnHours: 6, alarmHours: 10 });
    expect(rules.effective.disabled).toEqual(expect.arrayContaining(['vitals_warning', 'vitals_critical']));
    expect(rules.effective.disabled).not.toContain('night_bed_exit');

    expect((await community.post(`/api/v1/family-beds/${bed.id}/suspend`, { reason: '住院' })).json().status).toBe('suspended');
    expect((await community.post(`/api/v1/family-beds/${bed.id}/resume`)).json().status).toBe('active');
    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${bed.id} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'family-bed.apply',
      'family-bed.home-assess',
      'family-bed.contract',
      'family-bed.device.bind',
      'family-bed.device.bind',
      'family-bed.activate',
      'family-bed.suspend',
      'family-bed.resume',
    ]);
  });

  it('answers 404 for a bed of another street, and shows a provider only its own beds', async () => {
    const { items } = (await community.get('/api/v1/family-beds')).json();
    const id = items[0].id as string;
    expect((await streetB.get(`/api/v1/family-beds/${id}`)).statusCode).toBe(404);
    expect((await streetB.post(`/api/v1/family-beds/${id}/suspend`, { reason: '越权' })).statusCode).toBe(404);
    expect((await streetB.get('/api/v1/family-beds')).json().total).toBe(0);
    expect((await streetB.get('/api/v1/family-bed-board')).json().items).toEqual([]);
    const mine = (await providerAdmin.get('/api/v1/family-beds')).json();
    expect(mine.items.every((b: { providerId: string }) => b.providerId === provider.org.id)).toBe(true);
    expect((await providerAdmin.post(`/api/v1/family-beds/${id}/suspend`, { reason: '服务商' })).statusCode).toBe(403);
  });

  it('checks a month once: delivered pays the subsidy, short holds it; reruns and races move no money', async () => {
    full = await liveBed('赵德明');
    short = await liveBed('钱玉珍');
    for (let i = 0; i < required; i++) await verifiedVisit(full.elderId, `${lastMonth}-${String(2 + i * 5).padStart(2, '0')}`);
    await verifiedVisit(short.elderId, `${lastMonth}-03`);

    expect((await admin.post('/api/v1/family-bed-checks', { month: cstMonth() })).statusCode).toBe(422);
    // Community staff may not run the check (money): the bureau does.
    expect((await community.post('/api/v1/family-bed-checks', { month: lastMonth })).statusCode).toBe(403);

    // Three runs at once and one after: each bed's month is decided once.
    const runs = await Promise.all([1, 2, 3].map(() => admin.post('/api/v1/family-bed-checks', { month: lastMonth })));
    for (const r of runs) expect(r.statusCode, r.body).toBe(200);
    const again = (await admin.post('/api/v1/family-bed-checks', { month: lastMonth })).json();
    expect(again).toMatchObject({ delivered: 0, short: 0 });
    expect(runs.reduce((n, r) => n + r.json().delivered, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.json().short, 0)).toBe(1);

    const months = await queryRows<{ bed_id: string; status: string; delivered: number; required: number; amount_fen: number }>(
      s.ctx.db,
      sql`SELECT bed_id, status, delivered, required, amount_fen FROM family_bed_months WHERE month = ${lastMonth}`,
    );
    expect(months).toHaveLength(2);
    const byBed = Object.fromEntries(months.map((m) => [m.bed_id, m]));
    expect(byBed[full.id]).toMatchObject({ status: 'delivered', delivered: required, required, amount_fen: 60000 });
    expect(byBed[short.id]).toMatchObject({ status: 'short', delivered: 1, required });
    const paid = await queryRows<{ n: number; total: string }>(
      s.ctx.db,
      sql`SELECT count(*)::int n, sum(e.amount)::text total FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        JOIN ledger_accounts a ON a.id = e.account_id WHERE t.memo = ${`family bed ${lastMonth}`} AND a.kind = 'provider'`,
    );
    expect(paid[0]).toMatchObject({ n: 1, total: '60000' });

    // The board shows last month's check per bed.
    const board = (await community.get('/api/v1/family-bed-board')).json();
    const row = board.items.find((b: { id: string }) => b.id === short.id);
    expect(row.lastMonth).toMatchObject({ status: 'short', delivered: 1 });
    expect(row.devices).toHaveLength(1);
    expect(row.lastVisitAt).not.toBeNull();
    expect(board.stats.heldLastMonth).toBe(1);

    // Releasing a hold pays once; a second release is refused.
    const rel = await Promise.all(
      [1, 2].map(() =>
        admin.post(`/api/v1/family-beds/${short.id}/months/${lastMonth}/release`, { reason: '老人住院两周，已核实' }),
      ),
    );
    expect(rel.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const released = rel.find((r) => r.statusCode === 200)?.json();
    expect(released).toMatchObject({ status: 'released', releaseReason: '老人住院两周，已核实' });
    const paid2 = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM ledger_transactions WHERE memo = ${`family bed ${lastMonth}`}`,
    );
    expect(paid2[0].n).toBe(2);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('settles each bed month with the provider exactly once', async () => {
    const draft = await admin.post('/api/v1/settlements', { providerId: provider.org.id, period: lastMonth });
    expect(draft.statusCode, draft.body).toBe(201);
    const redraw = await admin.post('/api/v1/settlements', { providerId: provider.org.id, period: lastMonth });
    const id = redraw.json().id as string;
    const detail = (await admin.get(`/api/v1/settlements/${id}`)).json();
    const bedAmount = detail.bedLines.reduce((n: number, l: { amountFen: number }) => n + l.amountFen, 0);
    expect(detail.bedLines.map((l: { bedId: string }) => l.bedId).sort()).toEqual([full.id, short.id].sort());
    expect(bedAmount).toBe(120000);
    expect(detail.purchaseFen).toBe(bedAmount); // the visits themselves were self-paid
    expect((await providerAdmin.post(`/api/v1/settlements/${id}/confirm`)).statusCode).toBe(200);
    expect((await admin.post(`/api/v1/settlements/${id}/approve`)).statusCode).toBe(200);
    const settled = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM family_bed_months WHERE settlement_id = ${id}`,
    );
    expect(settled[0].n).toBe(2);
    // The provider's receivable for the beds went to the payout once; nothing is left to settle again.
    const left = await queryRows<{ balance: string }>(
      s.ctx.db,
      sql`SELECT balance::text FROM ledger_accounts WHERE kind = 'provider' AND currency = 'fen' AND owner_id = ${provider.org.id}`,
    );
    expect(left[0].balance).toBe('0');
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
    const detailAfter = (await admin.get(`/api/v1/family-beds/${full.id}`)).json();
    expect(detailAfter.months[0]).toMatchObject({ month: lastMonth, status: 'delivered', settled: true });
  });
});
