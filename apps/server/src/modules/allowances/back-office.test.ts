import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { TREE } from '../../testing/factories.ts';
import { multipartBody } from '../../testing/xlsx-craft.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { ledgerAccounts } from '../wallets/ledger.schema.ts';
import { allowanceRollLines } from './allowances.schema.ts';
import { allowanceWorld, bank, bornAged, cur, m1, m2 } from './allowances.testing.ts';
import { FIXED, lineCheck, rollReference } from './bank-files.service.ts';
import { districtFundOwner } from './rolls.service.ts';

/**
 * The allowance's back office end to end over HTTP: the CSV and fixed-width bank files, a bank
 * return file (reversed once on the ledger, retried once in the next roll, the account flagged
 * until corrected), the death-record import (archive, stop, overpayment and its recovery),
 * document scans and the report. One district, so the months' rolls are made once, in order.
 */

type World = Awaited<ReturnType<typeof allowanceWorld>>;
let w: World;
const people: Record<'wang' | 'li' | 'zhao', { elderId: string; id: string; idNumber: string }> = {} as never;

const upload = (api: World['district'], url: string, filename: string, data: Buffer) => {
  const mp = multipartBody(filename, data);
  return api.post(url, mp.body, { 'content-type': mp.contentType });
};
const balances = async () => {
  const rows = await w.s.ctx.db
    .select()
    .from(ledgerAccounts)
    .where(and(eq(ledgerAccounts.ownerId, districtFundOwner(TREE.district)), eq(ledgerAccounts.currency, 'fen')));
  return Object.fromEntries(rows.map((r) => [r.kind, r.balance])) as Record<'fund' | 'payout', number>;
};

beforeAll(async () => {
  w = await allowanceWorld();
  // Three elders paid from two months ago (set directly: the chain is tested elsewhere), verified this month.
  for (const [key, name, age] of [
    ['wang', '王桂兰', 85],
    ['li', '李德明', 92],
    ['zhao', '赵淑珍', 88],
  ] as const) {
    const e = await createElder(w.s.ctx, TREE.communityA1, { birthDate: bornAged(age), name });
    const id = await w.apply(e.id, { bankAccount: `62220200000${String(age).padStart(5, '0')}` });
    for (const api of [w.community, w.street, w.district])
      expect((await api.post(`/api/v1/allowance-applications/${id}/decisions`, { decision: 'approve' })).statusCode).toBe(200);
    await w.s.ctx.db.execute(
      sql`UPDATE allowance_applications SET status = 'active', paid_from = ${m2}, notice_ends_on = NULL WHERE id = ${id}`,
    );
    const v = await w.community.post(`/api/v1/allowance-applications/${id}/verifications`, {
      month: cur,
      method: 'in_person',
      result: 'passed',
    });
    expect(v.statusCode, v.body).toBe(201);
    people[key] = { elderId: e.id, id, idNumber: e.idNumber };
  }
}, 60_000);
afterAll(() => w.s.close());

let rollM1: string;

describe('bank files', () => {
  it('the bank account is stored encrypted, and the CSV and fixed-width files carry the full numbers with checks', async () => {
    const [raw] = await queryRows<{ bank_account_enc: string }>(
      w.s.ctx.db,
      sql`SELECT bank_account_enc FROM allowance_applications WHERE id = ${people.wang.id}`,
    );
    expect(raw.bank_account_enc).not.toContain('622202');
    expect(w.s.ctx.cipher.decrypt(raw.bank_account_enc)).toBe('6222020000000085');

    const g = await w.district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: m1 });
    expect(g.statusCode, g.body).toBe(200);
    rollM1 = g.json().id;
    expect(g.json()).toMatchObject({ lineCount: 3, totalFen: 10000 + 20000 + 10000 });
    // A draft is not sent to the bank.
    expect((await w.district.get(`/api/v1/allowance-rolls/${rollM1}/bank-file?format=csv`)).statusCode).toBe(409);
    expect((await w.district.post(`/api/v1/allowance-rolls/${rollM1}/approve`)).statusCode).toBe(200);

    const csv = await w.district.get(`/api/v1/allowance-rolls/${rollM1}/bank-file?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(rows[0].slice(0, 4)).toEqual(['记录类型', '序号', '姓名', '身份证号']);
    const li = rows.find((r) => r[2] === '李德明') as string[];
    expect(li[3]).toBe(people.li.idNumber);
    expect(li[5]).toBe('6222020000000092');
    expect(li[7]).toBe('200.00');
    expect(li[11]).toBe(rollReference(TREE.district, m1));
    expect(li[12]).toBe(
      lineCheck({
        seq: Number(li[1]),
        name: li[2],
        idNumber: li[3],
        bankName: li[4],
        account: li[5],
        holder: li[6],
        amountFen: 20000,
        month: m1,
        kind: 'regular',
        regionCode: li[10],
      }),
    );
    const trailer = rows.at(-1) as string[];
    expect([trailer[0], trailer[1], trailer[7]]).toEqual(['T', '3', '400.00']);

    const fixed = await w.district.get(`/api/v1/allowance-rolls/${rollM1}/bank-file?format=fixed`);
    const recs = fixed.body.split('\r\n').filter(Boolean);
    expect(recs.map((r) => [...r].length)).toEqual([FIXED.header, FIXED.detail, FIXED.detail, FIXED.detail, FIXED.trailer]);
    expect(recs[0].slice(0, 13)).toBe(`H${TREE.district}${m1.replace('-', '')}`);
    const d = recs.find((r) => r.includes(people.li.idNumber)) as string;
    // Name in 20 characters from position 10, amount (12, zero-padded yuan) after ID, bank, account, holder.
    expect([...d].slice(9, 29).join('').trim()).toBe('李德明');
    expect([...d].slice(127, 139).join('')).toBe('000000200.00');
    expect(recs.at(-1)?.slice(0, 24)).toBe('T00000003000000000400.00');

    const audits = await w.s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'allowance.roll.export'));
    expect(audits.map((a) => (a.detail as { format?: string }).format).sort()).toEqual(['csv', 'fixed']);
    expect(JSON.stringify(audits)).not.toContain('6222020000000092');
  });
});

describe('bank return file', () => {
  const returnCsv = () =>
    Buffer.from(
      [
        '身份证号,姓名,所属月份,金额（元）,失败原因',
        `${people.wang.idNumber},王桂兰,${m1},100.00,账户已销户`,
        `110101194001010011,查无此人,${m1},100.00,户名不符`,
        `${people.li.idNumber},李德明,${m1},150.00,金额不符`,
        'not-an-id,?,x,y,z',
      ].join('\n'),
    );

  it('marks the failed line with the reason, reverses it once on the ledger, and a second import changes nothing', async () => {
    const before = await balances();
    const r = await upload(w.district, `/api/v1/allowance-rolls/${rollM1}/returns`, '回盘.csv', returnCsv());
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ failed: 1, failedFen: 10000, unchanged: 0, rejected: 3 });
    expect(r.json().lines.map((l: { outcome: string }) => l.outcome)).toEqual([
      'failed',
      'not_in_roll',
      'amount_mismatch',
      'bad_row',
    ]);
    const after = await balances();
    expect(after.payout - before.payout).toBe(-10000);
    expect(after.fund - before.fund).toBe(10000);

    const again = await upload(w.district, `/api/v1/allowance-rolls/${rollM1}/returns`, '回盘.csv', returnCsv());
    expect(again.json()).toMatchObject({ failed: 0, failedFen: 0, unchanged: 1 });
    expect(await balances()).toEqual(after);

    // The community sees the elder whose account needs correcting, with the bank's reason; masked.
    const list = await w.community.get('/api/v1/allowance-failed-payments?open=true');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({
      elderName: '王桂兰',
      month: m1,
      amountFen: 10000,
      failReason: '账户已销户',
      accountProblem: '账户已销户',
      bankAccountMasked: '****0085',
      retriedInMonth: null,
    });
    expect(list.body).not.toContain(people.wang.idNumber);
    // The application says so too: the account to correct, the returned month with the reason.
    const app = (await w.community.get(`/api/v1/allowance-applications/${people.wang.id}`)).json();
    expect(app.accountProblem).toBe('账户已销户');
    expect(app.payments.find((p: { month: string }) => p.month === m1)).toMatchObject({ failReason: '账户已销户' });
    // Another street's staff see nothing of it.
    expect((await w.communityB.get('/api/v1/allowance-failed-payments')).json().items).toHaveLength(0);
  });

  it('refuses a file without the needed columns (4xx, nothing changed) and a roll out of reach is a 404', async () => {
    const bad = await upload(w.district, `/api/v1/allowance-rolls/${rollM1}/returns`, 'x.csv', Buffer.from('a,b\n1,2\n'));
    expect(bad.statusCode).toBe(409);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const none = await upload(
      w.district,
      '/api/v1/allowance-rolls/00000000-0000-4000-8000-000000000009/returns',
      'x.csv',
      returnCsv(),
    );
    expect(none.statusCode).toBe(404);
  });
});

describe('death-record import and overpayment recovery', () => {
  const deathFile = () =>
    writeXlsx(
      '死亡名单',
      ['姓名', '身份证号', '死亡日期'],
      [
        ['赵淑珍', people.zhao.idNumber, `${m2}-10`],
        ['无档案', '110101193001010018', `${m2}-03`],
        ['日期错', people.li.idNumber, '2099-01-01'],
      ],
    );

  it('records the death in the archive, stops the allowance and opens a recovery of the months paid after it; re-import changes nothing', async () => {
    const r = await upload(w.district, '/api/v1/allowance-death-records/import?source=police', '死亡.xlsx', await deathFile());
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ recorded: 1, alreadyRecorded: 0, unmatched: 1, rejected: 1, overpaidFen: 10000 });
    const elder = await w.district.get(`/api/v1/elders/${people.zhao.elderId}`);
    expect(elder.json()).toMatchObject({ status: 'deceased' });
    const app = await w.community.get(`/api/v1/allowance-applications/${people.zhao.id}`);
    expect(app.json()).toMatchObject({ status: 'stopped', stoppedAfter: m2, overpaidFen: 10000 });

    const rec = await w.community.get('/api/v1/allowance-recoveries');
    expect(rec.json().items).toHaveLength(1);
    expect(rec.json().items[0]).toMatchObject({ elderName: '赵淑珍', months: 1, amountFen: 10000, repaidFen: 0, status: 'open' });

    const again = await upload(
      w.district,
      '/api/v1/allowance-death-records/import?source=police',
      '死亡.xlsx',
      await deathFile(),
    );
    expect(again.json()).toMatchObject({ recorded: 0, alreadyRecorded: 1, overpaidFen: 0 });
    expect((await w.community.get('/api/v1/allowance-recoveries')).json().items).toHaveLength(1);
    // Li (the bad date) is untouched.
    expect((await w.community.get(`/api/v1/allowance-applications/${people.li.id}`)).json().status).toBe('active');
  });

  it('repayments are posted to the ledger and settle the recovery; more than is owed is refused', async () => {
    const before = await balances();
    const url = `/api/v1/allowance-applications/${people.zhao.id}/recovery/repayments`;
    const part = await w.community.post(url, { amountFen: 4000, paidOn: `${m1}-05`, note: '家属退回' });
    expect(part.statusCode, part.body).toBe(201);
    expect(part.json()).toMatchObject({ repaidFen: 4000, status: 'partial' });
    const over = await w.community.post(url, { amountFen: 7000, paidOn: `${m1}-06` });
    expect(over.statusCode).toBe(422);
    const rest = await w.community.post(url, { amountFen: 6000, paidOn: `${m1}-06` });
    expect(rest.json()).toMatchObject({ repaidFen: 10000, status: 'recovered' });
    const after = await balances();
    expect(after.fund - before.fund).toBe(10000);
    expect(after.payout - before.payout).toBe(-10000);
    expect((await w.community.post(url, { amountFen: 1, paidOn: `${m1}-06` })).statusCode).toBe(409);
    expect((await w.communityB.post(url, { amountFen: 1, paidOn: `${m1}-06` })).statusCode).toBe(404);
  });
});

describe('the next roll retries the returned payment once', () => {
  it('carries the failed month as a retry line once; correcting the account clears the flag', async () => {
    const g = await w.district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur });
    expect(g.statusCode, g.body).toBe(200);
    const lines = await w.s.ctx.db.select().from(allowanceRollLines).where(eq(allowanceRollLines.rollId, g.json().id));
    const wang = lines.filter((l) => l.elderId === people.wang.elderId).map((l) => [l.month, l.kind, l.amountFen]);
    expect(wang.sort()).toEqual([
      [m1, 'retry', 10000],
      [cur, 'regular', 10000],
    ]);
    // Zhao died: nothing more. Li: this month only.
    expect(lines.filter((l) => l.elderId === people.zhao.elderId)).toHaveLength(0);
    expect(lines.filter((l) => l.elderId === people.li.elderId).map((l) => l.kind)).toEqual(['regular']);
    expect(g.json().totalFen).toBe(10000 + 10000 + 20000);
    // Generated again: the same roll, no second retry.
    const again = await w.district.post('/api/v1/allowance-rolls', { regionCode: TREE.district, month: cur });
    expect(again.json().id).toBe(g.json().id);
    const retries = await w.s.ctx.db.select().from(allowanceRollLines).where(eq(allowanceRollLines.kind, 'retry'));
    expect(retries).toHaveLength(1);

    const fix = await w.community.put(`/api/v1/allowance-applications/${people.wang.id}/bank-account`, {
      ...bank,
      bankAccount: '6217000011112222',
    });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json()).toMatchObject({ bankAccountMasked: '****2222', accountProblem: null });
    expect((await w.community.get('/api/v1/allowance-failed-payments?open=true')).json().items).toHaveLength(0);
    expect((await w.community.get(`/api/v1/allowance-applications/${people.wang.id}`)).json().accountProblem).toBeNull();
    const all = (await w.community.get('/api/v1/allowance-failed-payments')).json().items;
    expect(all[0]).toMatchObject({ retriedInMonth: cur, accountProblem: null });
  });
});

describe('document scans', () => {
  const PNG = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('fake-png-body-0123456789'),
  ]);

  it('stores a scan encrypted, lists it, serves the same bytes with an audited read; refuses other types', async () => {
    const url = `/api/v1/allowance-applications/${people.li.id}/documents`;
    const up = await upload(w.community, `${url}?kind=id_card`, '身份证.png', PNG);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ kind: 'id_card', contentType: 'image/png', bytes: PNG.length });
    const [raw] = await queryRows<{ data_enc: string }>(
      w.s.ctx.db,
      sql`SELECT data_enc FROM allowance_documents WHERE id = ${up.json().id}`,
    );
    expect(raw.data_enc).not.toContain(PNG.toString('base64').slice(0, 16));

    const list = await w.community.get(url);
    expect(list.json().items.map((d: { id: string }) => d.id)).toEqual([up.json().id]);
    const read = await w.community.get(`${url}/${up.json().id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(Buffer.from(read.rawPayload).equals(PNG)).toBe(true);
    const reads = await w.s.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'allowance.document.read'));
    expect(reads).toHaveLength(1);

    const text = await upload(w.community, `${url}?kind=other`, 'a.pdf', Buffer.from('hello, not a pdf'));
    expect(text.statusCode).toBe(422);
    expect((await w.communityB.get(url)).statusCode).toBe(404);
    expect((await upload(w.communityB, `${url}?kind=other`, 'a.png', PNG)).statusCode).toBe(404);
    expect((await w.community.get(url)).json().items).toHaveLength(1);
  });
});

describe('report', () => {
  it('counts per community, verification per channel, payments per month with returns apart, overpayments', async () => {
    // A failed face check at a community kiosk (what the survival module writes): counted under its channel.
    await w.s.ctx.db.execute(sql`INSERT INTO allowance_verifications (elder_id, period, method, result, channel)
      VALUES (${people.li.elderId}, ${cur}, 'face', 'failed', 'kiosk')`);
    const r = await w.district.get(`/api/v1/allowance-reports?regionCode=${TREE.district}&from=${m2}&to=${cur}`);
    expect(r.statusCode, r.body).toBe(200);
    const a1 = r.json().communities.find((c: { regionCode: string }) => c.regionCode === TREE.communityA1);
    expect(a1).toMatchObject({ paying: 2, suspended: 0, stopped: 1 });
    expect(a1.eligible).toBeGreaterThanOrEqual(2);
    expect(r.json().verification.channels).toEqual([
      { method: 'in_person', passed: 3, failed: 0 },
      { method: 'kiosk', passed: 0, failed: 1 },
    ]);
    const m1row = r.json().payments.find((p: { month: string }) => p.month === m1);
    expect(m1row).toMatchObject({ lines: 2, paidFen: 30000, failedLines: 1, failedFen: 10000 });
    expect(r.json().overpayments).toMatchObject({ flagged: 1, flaggedFen: 10000, recoveredFen: 10000, outstandingFen: 0 });
    // Community B's staff ask for the district: out of reach.
    expect(
      (await w.communityB.get(`/api/v1/allowance-reports?regionCode=${TREE.district}&from=${m1}&to=${cur}`)).statusCode,
    ).toBe(404);
    expect((await w.district.get(`/api/v1/allowance-reports?from=${cur}&to=${m2}`)).statusCode).toBe(422);
    const x = await w.district.get(`/api/v1/allowance-reports/export?from=${m2}&to=${cur}`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });
});
