import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { cstMonth } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { createServiceProvider, itemByCode } from '../../testing/service.ts';
import * as wallets from '../wallets/wallets.service.ts';

// 长护险 against the real database: eligibility from the latest signed assessment, one payer per
// order (a district subsidy or 长护险, never both: on retry and in a race), and the monthly claim
// per provider with only EVV-verified visits, exported as xlsx and CSV in the documented layout.

let s: TestServer;
let bureau: Awaited<ReturnType<typeof clientAs>>;
let community: Awaited<ReturnType<typeof clientAs>>;
let provider: Awaited<ReturnType<typeof createServiceProvider>>;
let cleaning: { id: string; refPriceFen: number };
let haircut: { id: string };
let policyId: string;
const lastMonth = (() => {
  const [y, m] = cstMonth().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
})();
/** Noon China time on day `d` of last month. */
const lastMonthDay = (d: number) => new Date(`${lastMonth}-${String(d).padStart(2, '0')}T04:00:00Z`);

async function signedAssessment(elderId: string, level: string, assessedOn: string, status = 'signed') {
  await s.ctx.db.execute(sql`INSERT INTO assessments (elder_id, region_code, reason, assessed_on, background, scores, subtotals, total,
      preliminary_level, level, status)
    VALUES (${elderId}, ${TREE.communityA1}, 'first', ${assessedOn}, '{}', '{}', '{}', 40, ${level}, ${level}, ${status})`);
}

let seq = 0;
/** An order of last month straight into the tables; `visit` adds the EVV check-in and check-out. */
async function order(
  elderId: string,
  itemId: string,
  opts: { day: number; payment?: 'points' | 'self'; visit?: 'ok' | 'flagged' | 'none'; status?: string } = { day: 3 },
) {
  const [o] = await queryRows<{ id: string }>(
    s.ctx.db,
    sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, provider_id, worker_id, channel, status, scheduled_at,
          duration_minutes, payment, points, review_status, flags)
        VALUES (${`LTC${Date.now()}${++seq}`}, ${elderId}, ${TREE.communityA1}, ${itemId}, ${provider.org.id}, ${provider.worker.id}, 'console',
          ${opts.status ?? 'confirmed'}, ${lastMonthDay(opts.day).toISOString()}, 60, ${opts.payment ?? 'self'}, ${opts.payment === 'points' ? 50 : 0},
          ${opts.visit === 'flagged' ? 'pending' : 'none'}, ${opts.visit === 'flagged' ? '{short_visit}' : '{}'})
        RETURNING id`,
  );
  if ((opts.visit ?? 'ok') !== 'none') {
    const inAt = lastMonthDay(opts.day);
    const outAt = new Date(inAt.getTime() + (opts.visit === 'flagged' ? 10 : 60) * 60_000);
    await s.ctx.db.execute(sql`INSERT INTO service_visits (order_id, worker_id, check_in_at, check_in_method, check_out_at, check_out_method, flags)
      VALUES (${o.id}, ${provider.worker.id}, ${inAt.toISOString()}, 'gps', ${outAt.toISOString()}, 'gps',
        ${opts.visit === 'flagged' ? '{short_visit}' : '{}'})`);
  }
  return o.id;
}

/** Pay an order from the elder's points wallet, as order creation does (the district subsidy). */
const subsidise = (elderId: string, orderId: string) =>
  s.ctx.db.transaction((tx) => wallets.reserve(tx, { elderId, orderId, currency: 'points', amount: 50, actorId: null }));

const fundingsOf = (orderId: string) =>
  queryRows<{ funder: string }>(s.ctx.db, sql`SELECT funder FROM order_fundings WHERE order_id = ${orderId}`);

let severe: Awaited<ReturnType<typeof createElder>>;
let mild: Awaited<ReturnType<typeof createElder>>;

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  bureau = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
  community = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  provider = await createServiceProvider(s.ctx, {
    regionCode: TREE.district,
    communities: [TREE.communityA1],
    site: { lat: 30.61, lng: 104.01 },
    itemCodes: ['cleaning', 'haircut'],
  });
  cleaning = await itemByCode(s.ctx, 'cleaning');
  haircut = await itemByCode(s.ctx, 'haircut');
  severe = await createElder(s.ctx, TREE.communityA1, { name: '赵德明' });
  mild = await createElder(s.ctx, TREE.communityA1, { name: '钱淑芬' });
  // 赵: moderate two years ago, severe now (the latest signed one counts); 钱: severe in a draft only, mild signed.
  await signedAssessment(severe.id, 'moderate', '2024-05-01');
  await signedAssessment(severe.id, 'severe', '2026-01-10');
  await signedAssessment(mild.id, 'severe', '2026-02-01', 'draft');
  await signedAssessment(mild.id, 'mild', '2025-12-01');
  await wallets.adjust(s.ctx, SYSTEM_ACTOR, severe.id, {
    currency: 'points',
    direction: 'credit',
    amount: 1000,
    reason: '测试充值',
  });

  const res = await bureau.api.post('/api/v1/ltc-policies', {
    regionCode: TREE.district,
    name: '测试区长护险试点',
    eligibleLevels: ['severe', 'total'],
    itemIds: [cleaning.id],
    monthlyHours: 3,
    monthlyCapFen: 100_000,
    payPercent: 70,
    validFrom: '2026-01-01',
  });
  expect(res.statusCode).toBe(201);
  policyId = res.json().id;
});
afterAll(() => s.close());

describe('eligibility and enrolment', () => {
  it('lists and enrols only elders whose latest signed assessment is an eligible level', async () => {
    const cands = (await bureau.api.get(`/api/v1/ltc-policies/${policyId}/candidates`)).json().items;
    expect(cands.map((c: { name: string; abilityLevel: string }) => [c.name, c.abilityLevel])).toEqual([['赵德明', 'severe']]);
    const refused = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId: mild.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().detail).toContain('mild');
    const ok = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId: severe.id });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ elderName: '赵德明', abilityLevel: 'severe', status: 'active' });
    expect((await bureau.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId: severe.id })).statusCode).toBe(409);
    // Community staff see the district's policy and its enrolments but may not enrol.
    expect((await community.api.get('/api/v1/ltc-policies')).json().items.map((p: { name: string }) => p.name)).toContain(
      '测试区长护险试点',
    );
    expect((await community.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId: mild.id })).statusCode).toBe(403);
  });
});

describe('one payer per order', () => {
  it('an order a subsidy pays cannot be paid by 长护险, and the other way round; a retry answers the same', async () => {
    const subsidised = await order(severe.id, cleaning.id, { day: 2, payment: 'points' });
    await subsidise(severe.id, subsidised);
    const refused = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: subsidised });
    expect(refused.statusCode).toBe(409);
    expect(await fundingsOf(subsidised)).toEqual([{ funder: 'subsidy' }]);

    const ltcOrder = await order(severe.id, cleaning.id, { day: 4 });
    const first = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: ltcOrder });
    expect(first.statusCode).toBe(200);
    const again = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: ltcOrder });
    expect(again.json()).toEqual(first.json());
    await expect(subsidise(severe.id, ltcOrder)).rejects.toMatchObject({ status: 409 });
    expect(await fundingsOf(ltcOrder)).toEqual([{ funder: 'ltc' }]);
    const [{ n }] = await queryRows<{ n: number }>(
      s.ctx.db,
      sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE order_id = ${ltcOrder}`,
    );
    expect(n).toBe(0); // the refused reserve moved nothing

    // An item outside the package, or an elder not enrolled: 422.
    const notCovered = await order(severe.id, haircut.id, { day: 5 });
    expect((await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: notCovered })).statusCode).toBe(422);
  });

  it('in a race between 长护险 and the subsidy, exactly one pays', async () => {
    for (let i = 0; i < 4; i++) {
      const o = await order(severe.id, cleaning.id, { day: 6 + i });
      const results = await Promise.allSettled([
        bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: o }),
        subsidise(severe.id, o),
        bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: o }),
      ]);
      const funding = await fundingsOf(o);
      expect(funding).toHaveLength(1);
      const ltcWon = funding[0].funder === 'ltc';
      const api = [results[0], results[2]].map((r) => (r.status === 'fulfilled' ? r.value.statusCode : 0));
      expect(api).toEqual(ltcWon ? [200, 200] : [409, 409]);
      expect(results[1].status).toBe(ltcWon ? 'rejected' : 'fulfilled');
      const [{ n }] = await queryRows<{ n: number }>(
        s.ctx.db,
        sql`SELECT count(*)::int AS n FROM ledger_transactions WHERE order_id = ${o} AND kind = 'reserve'`,
      );
      expect(n).toBe(ltcWon ? 0 : 1);
    }
  });
});

describe('monthly claim', () => {
  it('claims only EVV-verified orders no subsidy pays, within the monthly hours, once; exports xlsx and CSV', async () => {
    const other = await createElder(s.ctx, TREE.communityA1, { name: '孙玉兰' });
    await signedAssessment(other.id, 'total', '2026-03-01');
    expect((await bureau.api.post(`/api/v1/ltc-policies/${policyId}/enrolments`, { elderId: other.id })).statusCode).toBe(201);
    const verified = await order(other.id, cleaning.id, { day: 11 });
    const flagged = await order(other.id, cleaning.id, { day: 12, visit: 'flagged' });
    const noCheckout = await order(other.id, cleaning.id, { day: 13, visit: 'none', status: 'served' });
    const second = await order(other.id, cleaning.id, { day: 14 });
    const third = await order(other.id, cleaning.id, { day: 15 });
    const overHours = await order(other.id, cleaning.id, { day: 16 }); // the 4th hour of a 3-hour package

    const draws = await Promise.all([
      bureau.api.post('/api/v1/ltc-claims', { policyId, providerId: provider.org.id, month: lastMonth }),
      bureau.api.post('/api/v1/ltc-claims', { policyId, providerId: provider.org.id, month: lastMonth }),
    ]);
    expect(draws.map((d) => d.statusCode)).toEqual([200, 200]);
    expect(draws[0].json().id).toBe(draws[1].json().id);
    const claim = draws[0].json();
    const [{ n: claimsN }] = await queryRows<{ n: number }>(s.ctx.db, sql`SELECT count(*)::int AS n FROM ltc_claims`);
    expect(claimsN).toBe(1);

    const lines = await queryRows<{ order_id: string; claim_fen: number; copay_fen: number; amount_fen: number }>(
      s.ctx.db,
      sql`SELECT order_id, claim_fen, copay_fen, amount_fen FROM ltc_claim_lines WHERE claim_id = ${claim.id}`,
    );
    const claimed = new Set(lines.map((l) => l.order_id));
    // 赵's verified orders: the subsidised one is excluded; the LTC-earmarked ones and the race winners go in (up to 3 hours).
    expect(claimed.has(verified) && claimed.has(second) && claimed.has(third)).toBe(true);
    for (const o of [flagged, noCheckout, overHours]) expect(claimed.has(o)).toBe(false);
    const subsidised = await queryRows<{ order_id: string }>(
      s.ctx.db,
      sql`SELECT order_id FROM order_fundings WHERE funder = 'subsidy'`,
    );
    for (const o of subsidised) expect(claimed.has(o.order_id)).toBe(false);
    for (const l of lines) {
      expect(l.claim_fen).toBe(Math.round(cleaning.refPriceFen * 0.7));
      expect(l.claim_fen + l.copay_fen).toBe(l.amount_fen);
    }
    const reasons = claim.excluded.map((e: { reason: string }) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['not_verified', 'already_funded', 'over_cap']));
    expect(claim.claimFen).toBe(lines.reduce((a, l) => a + l.claim_fen, 0));
    // Every claimed order now has 长护险 as its one payer.
    for (const o of claimed) expect(await fundingsOf(o)).toEqual([{ funder: 'ltc' }]);

    const csv = await bureau.api.get(`/api/v1/ltc-claims/${claim.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    const text = csv.body.replace(/^\ufeff/, '');
    const rows = text.trim().split('\r\n');
    expect(rows[0]).toBe(
      '"序号","结算月份","服务机构","工单号","老人姓名","身份证号","失能等级","服务项目","服务日期","服务时长(分钟)","签到时间","签退时间","核验方式","服务金额(元)","长护险支付(元)","个人自付(元)"',
    );
    expect(rows).toHaveLength(lines.length + 1);
    expect(text).toContain(other.idNumber);
    expect(text).toContain('完全失能');

    const xlsx = await bureau.api.get(`/api/v1/ltc-claims/${claim.id}/export?format=xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(lines.length + 2); // header, lines, total
    expect(String(ws.getRow(ws.rowCount).getCell(15).value)).toBe((claim.claimFen / 100).toFixed(2));

    const audit = await queryRows<{ action: string }>(
      s.ctx.db,
      sql`SELECT action FROM audit_log WHERE target_id = ${claim.id} ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['ltc.claim.draw', 'ltc.claim.draw', 'ltc.claim.export', 'ltc.claim.export']);
    // A month not yet ended cannot be claimed; community staff may not export.
    expect(
      (await bureau.api.post('/api/v1/ltc-claims', { policyId, providerId: provider.org.id, month: cstMonth() })).statusCode,
    ).toBe(422);
    expect((await community.api.get(`/api/v1/ltc-claims/${claim.id}/export?format=csv`)).statusCode).toBe(403);
  });
});

describe('credit blocking (issue 21)', () => {
  it('new 长护险 funding for an order of a listed provider is refused with credit-blocked; after removal it flows again', async () => {
    const o = await order(severe.id, cleaning.id, { day: 25 });
    const orgUrl = `/api/v1/credit/organizations/${provider.org.id}`;
    const listed = await bureau.api.post(`${orgUrl}/listing`, { reason: '虚报服务工单' });
    expect(listed.statusCode, listed.body).toBe(201);
    const refused = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: o });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().code).toBe('credit-blocked');
    expect(await fundingsOf(o)).toEqual([]);
    // Claims already drawn stay readable and payable: blocking only stops new money.
    expect((await bureau.api.get('/api/v1/ltc-claims')).statusCode).toBe(200);
    expect((await bureau.api.post(`${orgUrl}/listing/remove`, { reason: '整改完成' })).statusCode).toBe(200);
    const ok = await bureau.api.post(`/api/v1/ltc-policies/${policyId}/fundings`, { orderId: o });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await fundingsOf(o)).toEqual([{ funder: 'ltc' }]);
  });
});
