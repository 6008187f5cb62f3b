import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { addDays, addMonths, cstMonth } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { client, clientAs, loginToken, seedTree, TREE } from '../../testing/factories.ts';
import { createDevice } from '../../testing/safety.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, hoursFromNow, itemByCode } from '../../testing/service.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { holdListing } from '../credit/credit.testing.ts';
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
const lastMonth = addMonths(cstMonth(now), -1);
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
/** A verified visit (served, confirmed, not flagged) of the provider, paid by the bed's package, checked in on `day` of last month. */
async function verifiedVisit(elderId: string, day: string) {
  const o = (
    await operator.post('/api/v1/service-orders', {
      elderId,
      scheduledAt: hoursFromNow(1),
      itemId: cleaningId,
      payment: 'package',
    })
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
    kind: 'family_bed',
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
    expect(detail.purchaseFen).toBe(bedAmount); // the visits themselves were paid by the package: 0 each
    expect(detail.lines.every((l: { payment: string; amountFen: number }) => l.payment === 'package' && l.amountFen === 0)).toBe(
      true,
    );
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

/** Serve and confirm an order as the provider's worker, its visit moved to `day` of last month. */
async function serve(orderId: string, day: string) {
  await providerAdmin.post(`/api/v1/service-orders/${orderId}/accept`);
  await providerAdmin.post(`/api/v1/service-orders/${orderId}/assign`, { workerId: provider.worker.id });
  const start = 1350 - ++visitSeq * 80;
  const ago = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  await worker.post(`/api/v1/service-orders/${orderId}/check-in`, { at: ago(start), ...HOME });
  await worker.post(`/api/v1/service-orders/${orderId}/check-out`, { at: ago(start - 70), ...HOME, record: '完成' });
  const c = await operator.post(`/api/v1/service-orders/${orderId}/confirm`);
  expect(c.json().status, c.body).toBe('confirmed');
  await s.ctx.db
    .update(serviceVisits)
    .set({ checkInAt: new Date(`${day}T02:00:00Z`) })
    .where(eq(serviceVisits.orderId, orderId));
}

const dayOf = (d: number) => `${lastMonth}-${String(d).padStart(2, '0')}`;

describe('family care beds: the package pays, suspensions pro-rate', () => {
  it('books a package item as paid by the package, once, even when the booking is retried and raced', async () => {
    const bed = await liveBed('孙桂英');
    // Last month the elder was in hospital but for the last 7 days: one visit is required.
    const sus = await community.post(`/api/v1/family-beds/${bed.id}/suspensions`, {
      fromDay: dayOf(1),
      toDay: dayOf(lastDays - 7),
      reason: '住院治疗',
    });
    expect(sus.statusCode, sus.body).toBe(201);

    // The package item cannot be paid with points or purchased credit: the package pays it.
    for (const payment of ['points', 'purchase']) {
      const r = await operator.post('/api/v1/service-orders', {
        elderId: bed.elderId,
        itemId: cleaningId,
        scheduledAt: hoursFromNow(2),
        payment,
      });
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().errors[0]).toMatchObject({ path: 'body.payment', message: 'paid by the family care bed package' });
    }
    // Nobody else's package: an elder without a bed cannot book "package".
    const other = await createElder(s.ctx, TREE.communityA1, { name: '无床位', ...HOME });
    const noBed = await operator.post('/api/v1/service-orders', {
      elderId: other.id,
      itemId: cleaningId,
      scheduledAt: hoursFromNow(2),
      payment: 'package',
    });
    expect(noBed.statusCode).toBe(422);
    const none = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM service_orders WHERE elder_id IN (${bed.elderId}, ${other.id})`,
    );
    expect(none[0].n).toBe(0);

    // The elder's phone offers the item as paid by the package.
    const bookable = (await operator.get(`/api/v1/service-orders/bookable-items?elderId=${bed.elderId}`)).json();
    expect(bookable.items.find((i: { id: string }) => i.id === cleaningId)?.payment).toBe('package');

    // Three identical submissions at once and a retry (one Idempotency-Key): one order, paid by the package.
    const body = { elderId: bed.elderId, itemId: cleaningId, scheduledAt: hoursFromNow(3) };
    const key = { 'idempotency-key': `fb-package-${bed.id}` };
    const raced = await Promise.all([1, 2, 3].map(() => operator.post('/api/v1/service-orders', body, key)));
    const retry = await operator.post('/api/v1/service-orders', body, key);
    const answered = [...raced, retry].filter((r) => r.statusCode === 201);
    expect(answered.length, raced.map((r) => r.body).join('\n')).toBeGreaterThan(0);
    for (const r of [...raced, retry]) expect([201, 409]).toContain(r.statusCode);
    const ids = new Set(answered.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const order = answered[0].json();
    expect(order).toMatchObject({ payment: 'package', points: 0, amountFen: 0, providerId: provider.org.id });
    const orders = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM service_orders WHERE elder_id = ${bed.elderId}`,
    );
    expect(orders[0].n).toBe(1);

    // A self-paid extra visit of the same item is the elder's own: it never counts for the package.
    const extra = await operator.post('/api/v1/service-orders', { ...body, scheduledAt: hoursFromNow(4), payment: 'self' });
    expect(extra.statusCode, extra.body).toBe(201);
    await serve(order.id, dayOf(lastDays - 2));
    await serve(extra.json().id, dayOf(lastDays - 1));

    const check = await admin.post('/api/v1/family-bed-checks', { month: lastMonth, bedId: bed.id });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().items[0]).toMatchObject({ status: 'delivered', required: 1, delivered: 1, suspendedDays: lastDays - 7 });
    const amount = Math.round((60000 * 7) / lastDays);
    expect(check.json().items[0].amountFen).toBe(amount);
    await admin.post('/api/v1/family-bed-checks', { month: lastMonth, bedId: bed.id });

    // One funding: the elder's only ledger transaction is the bed's subsidy, posted once; the package
    // order reserved and captured nothing.
    const txs = await queryRows<{ kind: string; memo: string | null; order_id: string | null; total: string }>(
      s.ctx.db,
      sql`SELECT t.kind, t.memo, t.order_id, sum(e.amount) FILTER (WHERE e.amount > 0)::text AS total
        FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.elder_id = ${bed.elderId} OR t.order_id = ${order.id} GROUP BY t.id`,
    );
    expect(txs).toEqual([{ kind: 'capture', memo: `family bed ${lastMonth}`, order_id: null, total: String(amount) }]);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('takes a suspension out of the month: fewer visits required, the subsidy pro-rated', async () => {
    const bed = await liveBed('周凤英');
    const at = (body: Record<string, unknown>) => community.post(`/api/v1/family-beds/${bed.id}/suspensions`, body);
    // Bad periods change nothing.
    expect((await at({ fromDay: dayOf(14), toDay: dayOf(5), reason: '住院' })).statusCode).toBe(422);
    const before = await at({ fromDay: addDays(lastFirst, -3), toDay: dayOf(2), reason: '住院' });
    expect(before.statusCode).toBe(422);
    expect(before.json().errors[0].path).toBe('body.fromDay');
    expect((await at({ fromDay: dayOf(5), reason: '住院' })).statusCode).toBe(400);
    expect(
      (await streetB.post(`/api/v1/family-beds/${bed.id}/suspensions`, { fromDay: dayOf(5), toDay: dayOf(14), reason: '越权' }))
        .statusCode,
    ).toBe(404);

    const ok = await at({ fromDay: dayOf(5), toDay: dayOf(14), reason: '住院两周' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().suspensions).toEqual([expect.objectContaining({ fromDay: dayOf(5), toDay: dayOf(14), reason: '住院两周' })]);
    // Overlapping periods are refused, even two at once.
    const both = await Promise.all([
      at({ fromDay: dayOf(10), toDay: dayOf(20), reason: '再次住院' }),
      at({ fromDay: dayOf(12), toDay: dayOf(16), reason: '再次住院' }),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([409, 409]);

    // 10 days out: visits per week 1 over the other days, and the subsidy for those days only.
    const activeDays = lastDays - 10;
    const need = Math.ceil(activeDays / 7);
    for (let i = 0; i < need; i++) await verifiedVisit(bed.elderId, dayOf(16 + i));
    const check = (await admin.post('/api/v1/family-bed-checks', { month: lastMonth, bedId: bed.id })).json();
    expect(check.items[0]).toMatchObject({
      status: 'delivered',
      required: need,
      delivered: need,
      suspendedDays: 10,
      amountFen: Math.round((60000 * activeDays) / lastDays),
    });
    expect(need).toBeLessThan(required);

    // The month is decided: a period in it is refused, the decided month is not recomputed.
    const late = await at({ fromDay: dayOf(20), toDay: dayOf(22), reason: '补登住院' });
    expect(late.statusCode).toBe(422);
    expect(late.json().code).toBe('closed-period');
    const gone = await community.delete(`/api/v1/family-beds/${bed.id}/suspensions/${ok.json().suspensions[0].id}`);
    expect(gone.statusCode).toBe(422);

    // Suspend and resume open and close a period this month; the board takes it out too.
    const thisFirst = `${cstMonth()}-01`;
    const sus = await community.post(`/api/v1/family-beds/${bed.id}/suspend`, { reason: '住院', from: thisFirst });
    expect(sus.json()).toMatchObject({ status: 'suspended' });
    expect(sus.json().suspensions.find((p: { toDay: string | null }) => p.toDay === null)).toMatchObject({ fromDay: thisFirst });
    const board = (await community.get('/api/v1/family-bed-board')).json();
    const row = board.items.find((b: { id: string }) => b.id === bed.id);
    expect(row.suspendedDaysThisMonth).toBe(monthDays(cstMonth()).days);
    expect(row.requiredThisMonth).toBe(0);
    const res = (await community.post(`/api/v1/family-beds/${bed.id}/resume`)).json();
    expect(res.status).toBe('active');
    expect(res.suspensions.every((p: { toDay: string | null }) => p.toDay !== null)).toBe(true);
    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${bed.id} AND action LIKE 'family-bed.s%' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['family-bed.suspension.add', 'family-bed.suspend']);

    // The bed on the elder's 360° timeline: live, the hospital stay, the month's check.
    const timeline = (await community.get(`/api/v1/elders/${bed.elderId}/timeline`)).json();
    const titles = timeline.items.map((e: { title: string }) => e.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        '家庭照护床位：建床申请',
        '家庭照护床位：安装完成，启用床位',
        '家庭照护床位：暂停服务',
        '家庭照护床位：恢复服务',
        `家庭照护床位：${lastMonth} 服务核验 已交付（上门 ${need}/${need} 次）`,
      ]),
    );
  });
});

describe('family care beds: the card on the elder’s and family’s phone pages', () => {
  it('shows the bound elder’s bed — status, provider’s service phone, delivery, next visit, devices, alarms — and nobody else’s', async () => {
    const bed = await liveBed('孙桂兰');
    const bind = async (role: 'elder' | 'family', elderId: string) => {
      const a = await clientAs(s.app, s.ctx, role, {});
      await s.ctx.db.update(users).set({ elderId }).where(eq(users.id, a.account.id));
      return a;
    };
    const elder = await bind('elder', bed.elderId);
    const family = await bind('family', bed.elderId);
    const noBed = await createElder(s.ctx, TREE.communityA1, { name: '无床位老人', ...HOME });
    const otherFamily = await bind('family', noBed.id);
    await s.ctx.db.execute(sql`UPDATE organizations SET contact_phone = '028-85551234' WHERE id = ${provider.org.id}`);
    // One verified package visit this month, one planned, one open alarm, the sensor offline.
    const done = await verifiedVisit(bed.elderId, `${lastMonth}-10`);
    await s.ctx.db
      .update(serviceVisits)
      .set({ checkInAt: new Date(Date.now() - 60_000) })
      .where(eq(serviceVisits.orderId, done));
    const planned = await operator.post('/api/v1/service-orders', {
      elderId: bed.elderId,
      scheduledAt: hoursFromNow(26),
      itemId: cleaningId,
      payment: 'package',
    });
    expect(planned.statusCode, planned.body).toBe(201);
    await s.ctx.db.execute(sql`UPDATE devices SET online = false WHERE id = ${bed.deviceId}`);
    await s.ctx.db.transaction((tx) =>
      raiseAlarm(s.ctx, tx, {
        type: 'sos',
        priority: 'P1',
        mergeKey: `sos:card:${bed.elderId}`,
        elderId: bed.elderId,
        deviceId: null,
        regionCode: TREE.communityA1,
        at: new Date(),
      }),
    );

    for (const who of [elder, family]) {
      const r = await who.api.get('/api/v1/family-bed-card');
      expect(r.statusCode, r.body).toBe(200);
      const c = r.json().bed;
      expect(c).toMatchObject({
        id: bed.id,
        status: 'live',
        providerName: provider.org.name,
        providerPhone: '028-85551234',
        month: cstMonth(),
        deliveredThisMonth: 1,
        devices: [{ id: bed.deviceId, type: 'bed', online: false }],
        devicesOnline: 0,
        openAlarms: 1,
      });
      expect(c.requiredThisMonth).toBeGreaterThanOrEqual(4);
      expect(c.nextVisit).toMatchObject({ at: planned.json().scheduledAt });
      expect(c.nextVisit.itemName).toBeTruthy();
    }
    // Each read of the bed is audited as a read of the elder.
    const reads = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int n FROM audit_log WHERE action = 'elder.read' AND target_id = ${bed.elderId}
        AND actor_id IN (${elder.account.id}::uuid, ${family.account.id}::uuid) AND detail->>'part' = 'family_bed'`,
    );
    expect(reads[0].n).toBe(2);
    // Another elder's family sees no bed; staff and provider accounts are not answered here.
    expect((await otherFamily.api.get('/api/v1/family-bed-card')).json()).toEqual({ bed: null });
    expect((await community.get('/api/v1/family-bed-card')).statusCode).toBe(404);
    expect((await providerAdmin.get('/api/v1/family-bed-card')).statusCode).toBe(404);

    // Held: last month's check found the package short and the hold is not released.
    await s.ctx.db.execute(sql`INSERT INTO family_bed_months (bed_id, month, region_code, provider_id, policy_id, required, delivered,
        status, hold_reason, amount_fen)
      VALUES (${bed.id}, ${lastMonth}, ${TREE.communityA1}, ${provider.org.id}, ${policyId}, ${required}, 1, 'short', '服务次数不足', 0)`);
    expect((await family.api.get('/api/v1/family-bed-card')).json().bed).toMatchObject({ status: 'held' });
    // Suspended: the elder is in hospital.
    const sus = await community.post(`/api/v1/family-beds/${bed.id}/suspend`, { reason: '住院治疗' });
    expect(sus.statusCode, sus.body).toBe(200);
    expect((await elder.api.get('/api/v1/family-bed-card')).json().bed).toMatchObject({
      status: 'suspended',
      statusReason: '住院治疗',
    });
  });
});

describe('credit blocking (issue 21): a listed or D-level provider takes no new bed', () => {
  /** An eligible elder's bed, home-assessed: ready for its contract. */
  async function assessedBed(name: string) {
    const e = await createElder(s.ctx, TREE.communityA1, { name, ...HOME });
    await signedAssessment(e.id, 'min');
    const bed = await community.post('/api/v1/family-beds', { elderId: e.id });
    expect(bed.statusCode, bed.body).toBe(201);
    const id = bed.json().id as string;
    await community.put(`/api/v1/family-beds/${id}/home-assessment`, { checklist: { lighting: 'ok' }, assessedOn: today });
    return { id, elderId: e.id };
  }
  const sign = (bedId: string, providerId: string, no: string) =>
    community.put(`/api/v1/family-beds/${bedId}/contract`, {
      providerId,
      contractNo: no,
      contractFrom: today,
      policyId,
      visitsPerWeek: 1,
      itemIds: [cleaningId],
    });
  const newProvider = () =>
    createServiceProvider(s.ctx, { regionCode: TREE.streetA, communities: [TREE.communityA1], site: HOME });

  it('refuses a new contract or a change of provider with 409 credit-blocked; a bed already signed keeps its provider', async () => {
    const listedP = await newProvider();
    const kept = await assessedBed('信用-已签约');
    expect((await sign(kept.id, listedP.org.id, 'XY-1')).json().status).toBe('contracted');
    const l = await admin.post(`/api/v1/credit/organizations/${listedP.org.id}/listing`, { reason: '虚报服务工单' });
    expect(l.statusCode, l.body).toBe(201);

    const fresh = await assessedBed('信用-新签约');
    const opts = (await community.get(`/api/v1/family-bed-contract-options?elderId=${fresh.elderId}`)).json();
    expect(opts.providers).toContainEqual({ id: listedP.org.id, name: listedP.org.name, creditBlocked: true });
    expect(opts.providers).toContainEqual({ id: provider.org.id, name: provider.org.name, creditBlocked: false });
    const refused = await sign(fresh.id, listedP.org.id, 'XY-2');
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('credit-blocked');
    expect((await community.get(`/api/v1/family-beds/${fresh.id}`)).json().status).toBe('assessed');
    // A change of provider to the listed one is a new contract for it: refused too.
    const other = await assessedBed('信用-换机构');
    expect((await sign(other.id, provider.org.id, 'XY-3')).statusCode).toBe(200);
    expect((await sign(other.id, listedP.org.id, 'XY-3')).json().code).toBe('credit-blocked');
    expect((await community.get(`/api/v1/family-beds/${other.id}`)).json().providerId).toBe(provider.org.id);
    // The bed signed before the listing is not cut off: re-signing it with its own provider is no new work.
    const again = await sign(kept.id, listedP.org.id, 'XY-1b');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ status: 'contracted', providerId: listedP.org.id });
  });

  it('a listing committing while a contract is being signed is never missed by it', async () => {
    const racing = await newProvider();
    const bed = await assessedBed('信用-并发');
    // The listing's transaction holds the organisation while the contract request comes in.
    const listing = await holdListing(s.ctx.db, racing.org.id, today);
    const contract = sign(bed.id, racing.org.id, 'XY-RACE');
    await new Promise((r) => setTimeout(r, 400));
    await listing.commit();
    const r = await contract;
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json().code).toBe('credit-blocked');
    expect((await community.get(`/api/v1/family-beds/${bed.id}`)).json().status).toBe('assessed');

    // Both at once through the API, several times: a contract that got through committed before the
    // listing did (so it was not new work after it); otherwise it is refused. Never a 5xx.
    for (let i = 0; i < 3; i++) {
      const p = await newProvider();
      const b = await assessedBed(`信用-并发${i}`);
      const [c, li] = await Promise.all([
        sign(b.id, p.org.id, `XY-R${i}`),
        admin.post(`/api/v1/credit/organizations/${p.org.id}/listing`, { reason: '并发测试' }),
      ]);
      expect(li.statusCode, li.body).toBe(201);
      expect([200, 409], c.body).toContain(c.statusCode);
      if (c.statusCode === 409) expect(c.json().code).toBe('credit-blocked');
    }
  });
});
