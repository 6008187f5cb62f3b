import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { addMonths } from '../../lib/dates.ts';
import { readTable } from '../../lib/spreadsheet.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, TREE } from '../../testing/factories.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { ledgerAccounts } from '../wallets/ledger.schema.ts';
import { allowanceApplications, allowanceRollLines } from './allowances.schema.ts';
import { allowanceWorld, bank, bornAged, cur, m1, m2, m3 } from './allowances.testing.ts';
import { districtFundOwner, generateRoll } from './rolls.service.ts';
import { dailyUpkeep } from './tiers.service.ts';

type World = Awaited<ReturnType<typeof allowanceWorld>>;
let s: World['s'];
let district: World['district'];
let street: World['street'];
let community: World['community'];
let apply: World['apply'];

beforeAll(async () => {
  ({ s, district, street, community, apply } = await allowanceWorld());
});
afterAll(() => s.close());

// An elder who applies this month: the rolls below pay her from this month, never before.
beforeAll(async () => {
  const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(85), name: '王秀英' });
  const id = await apply(e.id);
  for (const api of [community, street, district])
    expect((await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(200);
});

describe('suspension and objections', () => {
  /** An elder in community A1 through the chain and a 公示 that ended, made active by a roll of an old month. */
  async function activeApp(name: string) {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(88), name });
    const id = await apply(e.id);
    for (const api of [community, street, district])
      expect((await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(200);
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET notice_ends_on = CURRENT_DATE - 2 WHERE id = ${id}`);
    return { elderId: e.id, id };
  }

  it('an upheld objection rejects; a failed verification suspends; staff resume with or without back-pay', async () => {
    const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAged(83), name: '赵玉兰' });
    const id = await apply(e.id);
    for (const api of [community, street, district])
      await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' });
    await community.post(`/api/v1/allowance-applications/${id}/objections`, { content: '已在外地领取同类补贴' });
    // Not the community's decision; the district upholds it with a reason.
    expect(
      (await community.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'reject', reason: '异议' })).statusCode,
    ).toBe(409);
    const upheld = await district.post(`/api/v1/allowance-applications/${id}/decisions`, {
      decision: 'reject',
      reason: '经核实重复享受',
    });
    expect(upheld.json()).toMatchObject({ status: 'rejected', rejectReason: '经核实重复享受' });
    expect((await community.post(`/api/v1/allowance-applications/${id}/objections`, { content: '再次' })).statusCode).toBe(409);

    const a = await activeApp('孙桂芳');
    const b = await activeApp('周美华');
    // Activation happens in the district's daily upkeep (the same as before a roll).
    await dailyUpkeep(s.ctx);
    expect((await community.get(`/api/v1/allowance-applications/${a.id}`)).json().status).toBe('active');

    const failed = await community.post(`/api/v1/allowance-applications/${a.id}/verifications`, {
      month: cur,
      method: 'video',
      result: 'failed',
      note: '视频中无法确认本人',
    });
    expect(failed.statusCode, failed.body).toBe(201);
    expect(failed.json()).toMatchObject({ status: 'suspended', suspendReason: 'verification', suspendedFrom: cur });
    // Staff resume it by hand without back-pay (e.g. the family brought the elder in later).
    const resumed = await community.post(`/api/v1/allowance-applications/${a.id}/resume`, {
      note: '本人到社区核验',
      backPay: false,
    });
    expect(resumed.json()).toMatchObject({ status: 'active', suspendReason: null });
    const [row] = await s.ctx.db.select().from(allowanceApplications).where(eq(allowanceApplications.id, a.id));
    expect(row.arrearsFrom).toBeNull();

    const sus = await community.post(`/api/v1/allowance-applications/${b.id}/suspend`, {
      reason: 'moved_out',
      note: '随子女迁居外地',
    });
    expect(sus.json()).toMatchObject({ status: 'suspended', suspendReason: 'moved_out' });
    expect(
      (await community.post(`/api/v1/allowance-applications/${b.id}/suspend`, { reason: 'manual', note: '再次' })).statusCode,
    ).toBe(409);
    const back = await community.post(`/api/v1/allowance-applications/${b.id}/resume`, { note: '已迁回', backPay: true });
    expect(back.json().status).toBe('active');
    const [rowB] = await s.ctx.db.select().from(allowanceApplications).where(eq(allowanceApplications.id, b.id));
    expect(rowB.arrearsFrom).toBe(cur);
    // The archive records a move out of the district on the 10th of last month: suspended from this
    // month (last month is still paid), no resumption while the archive says so.
    const moved = await activeApp('郑桂兰');
    await dailyUpkeep(s.ctx);
    const mv = await street.post(`/api/v1/elders/${moved.elderId}/status`, { status: 'moved_away', date: `${m1}-10` });
    expect(mv.statusCode, mv.body).toBe(200);
    await expect
      .poll(async () => (await community.get(`/api/v1/allowance-applications/${moved.id}`)).json())
      .toMatchObject({ status: 'suspended', suspendReason: 'moved_out', suspendedFrom: cur });
    expect((await community.post(`/api/v1/allowance-applications/${moved.id}/resume`, { note: '恢复' })).statusCode).toBe(409);
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET status = 'stopped' WHERE id = ${moved.id}`);
    // Bad input is a 400 problem, never a 500.
    for (const body of [
      { month: '2026-13', method: 'video', result: 'passed' },
      { month: addMonths(cur, 2), method: 'video', result: 'passed' },
      { month: cur, method: 'face', result: 'passed' },
      { month: cur, method: 'video', result: 'maybe' },
    ]) {
      const r = await community.post(`/api/v1/allowance-applications/${b.id}/verifications`, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
    }
    const timeline = (await community.get(`/api/v1/allowance-applications/${b.id}`)).json().timeline;
    expect(timeline.map((t: { action: string }) => t.action).slice(-3)).toEqual([
      'notice_ended',
      'suspended_moved_out',
      'resumed',
    ]);
    // Tidy: these two are not part of the roll tests below.
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET status = 'stopped' WHERE id IN (${a.id}, ${b.id})`);
  });
});

describe('payment rolls', () => {
  const ids = {} as Record<'a' | 'b' | 'c' | 'd', { elder: string; app: string }>;

  beforeAll(async () => {
    const [y1, mm1] = m1.split('-').map(Number);
    const births = {
      a: bornAged(85),
      b: `${y1 - 90}-${String(mm1).padStart(2, '0')}-10`, // turns 90 during m1: the 90–99 tier from cur
      c: bornAged(84),
      d: bornAged(87),
    };
    for (const [k, birthDate] of Object.entries(births) as Array<[keyof typeof ids, string]>) {
      const e = await createElder(s.ctx, TREE.communityA2, { birthDate, name: `发放老人${k}` });
      const r = await street.post('/api/v1/allowance-applications', {
        elderId: e.id,
        ...bank,
        bankAccount: `62220200000${k.charCodeAt(0)}99`,
      });
      expect(r.statusCode, r.body).toBe(201);
      ids[k] = { elder: e.id, app: r.json().id };
    }
    // The community of A2 is reviewed by its own staff.
    const a2 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA2 })).api;
    for (const k of ['a', 'b', 'c', 'd'] as const) {
      for (const api of [a2, street, district])
        expect(
          (await api.post(`/api/v1/allowance-applications/${ids[k].app}/decisions`, { decision: 'approve' })).statusCode,
        ).toBe(200);
    }
    await s.ctx.db.execute(sql`UPDATE allowance_applications SET notice_ends_on = CURRENT_DATE - 2 WHERE status = 'notice'`);
    await district.put('/api/v1/allowance-settings', {
      regionCode: TREE.district,
      noticeDays: 7,
      verificationPeriod: 'month',
      missedPeriodsSuspend: 2,
    });
  });

  it('pays each elder the tier of each month once, suspends after missed verifications and back-pays on verification', async () => {
    // A dry roll of m3 activates the 公示 that ended; then "they were approved in m2" (c: in m3).
    const first = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m3 });
    expect(first.statusCode, first.body).toBe(200);
    for (const k of ['a', 'b', 'd'] as const)
      await s.ctx.db.update(allowanceApplications).set({ paidFrom: m2 }).where(eq(allowanceApplications.id, ids[k].app));
    await s.ctx.db.update(allowanceApplications).set({ paidFrom: m3 }).where(eq(allowanceApplications.id, ids.c.app));
    for (const k of ['a', 'b', 'd'] as const) {
      const v = await community.post(`/api/v1/allowance-applications/${ids[k].app}/verifications`, {
        month: m1,
        method: 'in_person',
        result: 'passed',
      });
      // community A1 does not reach A2's elders
      expect(v.statusCode).toBe(404);
      const ok = await street.post(`/api/v1/allowance-applications/${ids[k].app}/verifications`, {
        month: m1,
        method: 'video',
        result: 'passed',
      });
      expect(ok.statusCode, ok.body).toBe(201);
    }

    const r1 = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
    expect(r1.statusCode, r1.body).toBe(200);
    const roll1 = (await district.get(`/api/v1/allowance-rolls/${r1.json().id}`)).json();
    const byElder = (roll: { lines: Array<{ elderId: string; month: string; amountFen: number; kind: string }> }) =>
      Object.fromEntries(
        (['a', 'b', 'c', 'd'] as const).map((k) => [
          k,
          roll.lines.filter((l) => l.elderId === ids[k].elder).map((l) => `${l.month}:${l.kind}:${l.amountFen}`),
        ]),
      );
    // c was paid from m3 and never verified in m2 or m3: suspended, not paid.
    expect(byElder(roll1)).toEqual({
      a: [`${m1}:regular:10000`],
      b: [`${m1}:regular:10000`],
      c: [],
      d: [`${m1}:regular:10000`],
    });
    expect(roll1.totalFen).toBe(30000);
    expect(roll1.lines[0].bankAccountMasked).toMatch(/^\*{4}\d{4}$/);
    expect(JSON.stringify(roll1)).not.toContain('6222020000');
    const c = (await street.get(`/api/v1/allowance-applications/${ids.c.app}`)).json();
    expect(c).toMatchObject({ status: 'suspended', suspendReason: 'verification', suspendedFrom: m1 });

    // Generating m1 again answers the same roll and adds nothing.
    const again = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
    expect(again.json()).toMatchObject({ id: r1.json().id, lineCount: 3, totalFen: 30000 });

    // The district approves: fund → payout in the ledger; approving twice changes nothing.
    const ap = await district.post(`/api/v1/allowance-rolls/${r1.json().id}/approve`, {});
    expect(ap.statusCode, ap.body).toBe(200);
    expect(ap.json().status).toBe('approved');
    const ap2 = await district.post(`/api/v1/allowance-rolls/${r1.json().id}/approve`, {});
    expect(ap2.json().ledgerTransactionId).toBe(ap.json().ledgerTransactionId);
    const [payout] = await s.ctx.db
      .select()
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.kind, 'payout'), eq(ledgerAccounts.ownerId, districtFundOwner(TREE.district))));
    expect(payout.balance).toBe(30000);

    // c verifies by video: resumed, with back-pay of m1 in the next roll.
    const v = await street.post(`/api/v1/allowance-applications/${ids.c.app}/verifications`, {
      month: m1,
      method: 'video',
      result: 'passed',
    });
    expect(v.json()).toMatchObject({ status: 'active', suspendReason: null });
    // The archive records d's death on the 5th of m2 — after m1 was paid, so m1 is an overpayment.
    const dies = await street.post(`/api/v1/elders/${ids.d.elder}/status`, { status: 'deceased', date: `${m2}-05` });
    expect(dies.statusCode, dies.body).toBe(200);
    // The listener stops the allowance as soon as the archive says so (the roll would too).
    await expect
      .poll(async () => (await street.get(`/api/v1/allowance-applications/${ids.d.app}`)).json().status)
      .toBe('stopped');

    // Two generations of the current month at once: one roll, nobody paid twice.
    const [g1, g2] = await Promise.all([
      district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur }),
      district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur }),
    ]);
    expect([g1.statusCode, g2.statusCode]).toEqual([200, 200]);
    expect(g1.json().id).toBe(g2.json().id);
    const roll2 = (await district.get(`/api/v1/allowance-rolls/${g1.json().id}`)).json();
    expect(byElder(roll2)).toEqual({
      a: [`${cur}:regular:10000`],
      b: [`${cur}:regular:20000`], // crossed 90 in m1: the next tier from cur
      c: [`${m1}:arrears:10000`, `${cur}:regular:10000`].sort(),
      d: [], // died in m2: stopped
    });
    // 王秀英 left 公示 too: paid from the month she applied, this one, never before.
    const wang = roll2.lines.filter((l: { elderName: string }) => l.elderName === '王秀英');
    expect(wang.map((l: { month: string; amountFen: number }) => `${l.month}:${l.amountFen}`)).toEqual([`${cur}:10000`]);
    expect(roll2.totalFen).toBe(60000);
    expect(roll2.linesTotal).toBe(5);
    const dupes = await s.ctx.db.execute(
      sql`SELECT elder_id, month FROM allowance_roll_lines GROUP BY elder_id, month HAVING count(*) > 1`,
    );
    expect((dupes as unknown as { rows: unknown[] }).rows).toEqual([]);

    // d was paid for m1, after the month of death: flagged for recovery.
    const d = (await street.get(`/api/v1/allowance-applications/${ids.d.app}`)).json();
    expect(d).toMatchObject({ status: 'stopped', suspendReason: 'death', stoppedAfter: m2, overpaidFen: 10000 });
    expect(d.timeline.at(-1).action).toBe('stopped_death');

    // Only an approved roll goes to the bank; the file has full ID and account numbers, and is audited.
    expect((await district.get(`/api/v1/allowance-rolls/${g1.json().id}/export`)).statusCode).toBe(409);
    await district.post(`/api/v1/allowance-rolls/${g1.json().id}/approve`, {});
    const file = await district.get(`/api/v1/allowance-rolls/${g1.json().id}/export`);
    expect(file.statusCode).toBe(200);
    const table = await readTable(file.rawPayload, 'roll.xlsx', { maxBytes: 10_000_000, maxRows: 1000 });
    expect(table.headers).toEqual([
      '序号',
      '姓名',
      '身份证号',
      '开户银行',
      '银行账号',
      '户名',
      '金额（元）',
      '所属月份',
      '类别',
      '社区代码',
    ]);
    expect(table.rows.length).toBe(5);
    const aRow = table.rows.map((r) => r.cells).find((r) => r[1] === '发放老人a') as string[];
    expect(String(aRow[2])).toMatch(/^\d{17}[\dX]$/);
    expect(String(aRow[4])).toBe(`62220200000${'a'.charCodeAt(0)}99`);
    expect(String(aRow[6])).toBe('100.00');
    const exportAudit = await s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'allowance.roll.export'));
    expect(exportAudit.length).toBe(1);
    const lines = await s.ctx.db.select().from(allowanceRollLines);
    expect(lines.filter((l) => l.elderId === ids.d.elder && l.recoveryDue).length).toBe(1);
  });

  it('a crash while writing the lines leaves no roll and no change; running it again makes the roll once', async () => {
    const snapshot = async () =>
      (
        (await s.ctx.db.execute(
          sql`SELECT id, status, suspend_reason, arrears_from, paid_from FROM allowance_applications ORDER BY id`,
        )) as unknown as { rows: unknown[] }
      ).rows;
    const before = await snapshot();
    // A real failure inside the database, half-way through the run (no mock): the line insert raises.
    await s.ctx.db.execute(
      sql.raw(`CREATE FUNCTION allowance_test_crash() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'simulated crash'; END $$ LANGUAGE plpgsql`),
    );
    await s.ctx.db.execute(
      sql.raw(
        'CREATE TRIGGER allowance_test_crash BEFORE INSERT ON allowance_roll_lines EXECUTE FUNCTION allowance_test_crash()',
      ),
    );
    try {
      await expect(generateRoll(s.ctx, SYSTEM_ACTOR, { regionCode: TREE.district, month: m2 })).rejects.toThrow();
    } finally {
      await s.ctx.db.execute(sql.raw('DROP TRIGGER allowance_test_crash ON allowance_roll_lines'));
      await s.ctx.db.execute(sql.raw('DROP FUNCTION allowance_test_crash()'));
    }
    const rolls = (await district.get('/api/v1/allowance-rolls')).json().items as Array<{ month: string }>;
    expect(rolls.map((r) => r.month)).not.toContain(m2);
    expect(await snapshot()).toEqual(before);
    const again = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m2 });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().lineCount).toBeGreaterThan(0);
    const twice = await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m2 });
    expect(twice.json()).toMatchObject({ id: again.json().id, lineCount: again.json().lineCount });
    // The month filter (the dashboard drill-down): that month's roll only; a malformed month 400.
    const inM2 = (await district.get(`/api/v1/allowance-rolls?month=${m2}`)).json().items as Array<{ id: string }>;
    expect(inM2.map((r) => r.id)).toEqual([again.json().id]);
    expect((await district.get('/api/v1/allowance-rolls?month=2026-13')).statusCode).toBe(400);
  });

  it('rolls are the district’s: a street gets 403, another district 404, a future month 422', async () => {
    expect((await street.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur })).statusCode).toBe(403);
    expect((await district.post('/api/v1/allowance-rolls', { regionCode: '990102', month: cur })).statusCode).toBe(404);
    expect(
      (await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: addMonths(cur, 1) })).statusCode,
    ).toBe(422);
    expect((await district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: '2026-13' })).statusCode).toBe(
      400,
    );
    const streetAdmin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.streetA })).api;
    const [roll] = (await district.get('/api/v1/allowance-rolls')).json().items;
    expect((await streetAdmin.get(`/api/v1/allowance-rolls/${roll.id}`)).statusCode).toBe(404);
  });
});
