import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../lib/dates.ts';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, TREE } from '../../testing/factories.ts';
import { multipartBody } from '../../testing/xlsx-craft.ts';
import { privilegeCards } from './privilege-cards.schema.ts';
import { bornAgo, cardWorld } from './privilege-cards.testing.ts';
import { signCardToken } from './privilege-cards.token.ts';

type World = Awaited<ReturnType<typeof cardWorld>>;
let s: World['s'];
let district: World['district'];
let street: World['street'];
let community: World['community'];
let communityB: World['communityB'];
let tokens: World['tokens'];
let upload: World['upload'];

beforeAll(async () => {
  ({ s, district, street, community, communityB, tokens, upload } = await cardWorld());
});
afterAll(() => s.close());

const HEAD = ['身份证号', '人社', '公安', '卫健', '原因'];

const IMPORT = '/api/v1/privilege-card-checks/import';
async function importChecks(token: string, rows: Array<Array<string | null>>) {
  return upload(token, IMPORT, multipartBody('核验结果.xlsx', await writeXlsx('核验结果', HEAD, rows)));
}

/** An elder of 70 in community A1 with an application under check. */
async function applied(name: string) {
  const e = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(70), name });
  const r = await community.post('/api/v1/privilege-cards', { elderId: e.id });
  expect(r.statusCode, r.body).toBe(201);
  return { elder: e, id: r.json().id as string };
}

/** Applied, checked by all three sources and approved by the district: an issued card. */
async function issued(name: string) {
  const a = await applied(name);
  const imp = await importChecks(tokens.a1, [[a.elder.idNumber, '通过', '通过', '通过', null]]);
  expect(imp.json().passed, imp.body).toBe(1);
  const d = await district.post(`/api/v1/privilege-cards/${a.id}/decisions`, { decision: 'approve' });
  expect(d.statusCode, d.body).toBe(200);
  return { ...a, card: d.json() };
}

const verify = (token: string) => s.app.inject({ method: 'GET', url: `/api/v1/verify/card/${encodeURIComponent(token)}` });

describe('external data check by import', () => {
  it('marks applications passed or failed with reasons; partial answers wait; unknown rows are reported without ID numbers', async () => {
    const a = await applied('李桂兰');
    const b = await applied('王建国');
    const c = await applied('周淑芬');
    const stranger = await createElder(s.ctx, TREE.communityA1, { birthDate: bornAgo(70) });
    const r = await importChecks(tokens.a1, [
      [a.elder.idNumber, '通过', '通过', '通过', null],
      [b.elder.idNumber, '通过', '不通过', '通过', '户籍信息不符'],
      [c.elder.idNumber, '通过', null, null, null],
      [stranger.idNumber, '通过', '通过', '通过', null],
      ['12345', '通过', '通过', '通过', null],
      [a.elder.idNumber, '也许', null, null, null],
    ]);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      rows: 6,
      passed: 1,
      failed: 1,
      pending: 1,
      skipped: [
        { row: 5, reason: 'no_application' },
        { row: 6, reason: 'bad_id' },
        { row: 7, reason: 'bad_result' },
      ],
      outcomes: [
        { row: 2, outcome: 'passed', elderName: '李桂兰', reason: null },
        { row: 3, outcome: 'failed', elderName: '王建国', reason: '户籍信息不符' },
        { row: 4, outcome: 'pending', elderName: '周淑芬', reason: null },
        { row: 5, outcome: 'no_application', elderName: null, reason: null },
        { row: 6, outcome: 'bad_id', elderName: null, reason: null },
        { row: 7, outcome: 'bad_result', elderName: null, reason: null },
      ],
    });
    expect(r.body).not.toContain(stranger.idNumber);
    const list = (await street.get('/api/v1/privilege-cards?limit=50')).json().items as Array<{
      id: string;
      status: string;
      reason: string | null;
    }>;
    const by = (id: string) => list.find((x) => x.id === id);
    expect(by(a.id)).toMatchObject({ status: 'passed' });
    expect(by(b.id)).toMatchObject({ status: 'failed', reason: '户籍信息不符' });
    expect(by(c.id)).toMatchObject({ status: 'checking' });
    // The rest of c's answers arrive in a second file.
    const r2 = await importChecks(tokens.a1, [[c.elder.idNumber, null, '通过', '通过', null]]);
    expect(r2.json()).toMatchObject({ passed: 1, pending: 0 });
  });

  it('another community’s import does not reach our applications; a file that is not a table is refused', async () => {
    const a = await applied('孙丽华');
    const r = await importChecks(tokens.b1, [[a.elder.idNumber, '通过', '通过', '通过', null]]);
    expect(r.json()).toMatchObject({ passed: 0, skipped: [{ row: 2, reason: 'no_application' }] });
    const bad = await upload(tokens.a1, IMPORT, multipartBody('x.xlsx', Buffer.from('not a spreadsheet')));
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
  });
});

describe('approval, number, QR code', () => {
  it('the district approves a passed application: per-district numbers, 5 years validity; others are refused', async () => {
    const a = await issued('陈玉兰');
    const b = await issued('刘德明');
    expect(a.card).toMatchObject({ status: 'issued', version: 1, expired: false });
    expect(a.card.cardNo).toMatch(new RegExp(`^${TREE.district}${a.card.issuedOn.slice(0, 4)}\\d{6}$`));
    expect(BigInt(b.card.cardNo) - BigInt(a.card.cardNo)).toBe(1n);
    // Valid five years: the last day is the day before the fifth anniversary of issue.
    const anniversary = new Date(`${a.card.issuedOn}T00:00:00Z`);
    anniversary.setUTCFullYear(anniversary.getUTCFullYear() + 5);
    expect(addDays(a.card.expiresOn, 1)).toBe(anniversary.toISOString().slice(0, 10));
    // Approving twice, approving one still under check, or approval by a community is refused.
    expect((await district.post(`/api/v1/privilege-cards/${a.id}/decisions`, { decision: 'approve' })).statusCode).toBe(409);
    const c = await applied('何春梅');
    expect((await district.post(`/api/v1/privilege-cards/${c.id}/decisions`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await community.post(`/api/v1/privilege-cards/${c.id}/decisions`, { decision: 'approve' })).statusCode).toBe(403);
    const rej = await district.post(`/api/v1/privilege-cards/${c.id}/decisions`, { decision: 'reject', reason: '材料不全' });
    expect(rej.json()).toMatchObject({ status: 'rejected', reason: '材料不全' });
    // A rejected application frees the elder to apply again.
    expect((await community.post('/api/v1/privilege-cards', { elderId: c.elder.id })).statusCode).toBe(201);
  });

  it('the phone page shows the card with a signed token; anyone verifies it; a tampered token is refused', async () => {
    const a = await issued('张秀英');
    const self = await clientAs(s.app, s.ctx, 'elder');
    await s.ctx.db.execute(sql`UPDATE users SET elder_id = ${a.elder.id} WHERE id = ${self.account.id}`);
    const mine = (await self.api.get('/api/v1/privilege-card/mine')).json();
    expect(mine.card).toMatchObject({ status: 'issued', cardNo: a.card.cardNo });
    const token = mine.qrToken as string;
    const v = await verify(token);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toEqual({
      verdict: 'valid',
      cardNo: a.card.cardNo,
      holderMasked: '张*英',
      issuedOn: a.card.issuedOn,
      expiresOn: a.card.expiresOn,
    });
    expect(v.body).not.toContain(a.elder.idNumber);
    expect(v.body).not.toContain('张秀英');
    // Tampering: another card number with the same signature, a changed signature, a version bump, garbage.
    const [no, ver, sig] = token.split('.');
    const other = String(BigInt(no) + 1n).padStart(16, '0');
    for (const bad of [
      `${other}.${ver}.${sig}`,
      `${no}.${ver}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      `${no}.2.${sig}`,
      'hello',
    ]) {
      const r = await verify(bad);
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    // A token signed with another key is refused too.
    expect((await verify(signCardToken(Buffer.alloc(32, 7), no, 1))).statusCode).toBe(400);
  });
});

describe('reissue, revocation, expiry, death', () => {
  it('a reissue invalidates the old QR code; a revoke shows revoked', async () => {
    const a = await issued('赵淑珍');
    const oldToken = signCardToken(s.ctx.config.secretKey, a.card.cardNo, 1);
    const re = await community.post(`/api/v1/privilege-cards/${a.id}/reissue`, { reason: '手机丢失' });
    expect(re.json()).toMatchObject({ status: 'issued', version: 2, cardNo: a.card.cardNo });
    expect((await verify(oldToken)).json().verdict).toBe('superseded');
    const newToken = signCardToken(s.ctx.config.secretKey, a.card.cardNo, 2);
    expect((await verify(newToken)).json().verdict).toBe('valid');
    expect((await community.post(`/api/v1/privilege-cards/${a.id}/revoke`, {})).statusCode).toBe(400);
    const rv = await community.post(`/api/v1/privilege-cards/${a.id}/revoke`, { reason: '冒用' });
    expect(rv.json()).toMatchObject({ status: 'revoked', reason: '冒用' });
    expect((await verify(newToken)).json().verdict).toBe('revoked');
    expect((await community.post(`/api/v1/privilege-cards/${a.id}/reissue`, { reason: '再发' })).statusCode).toBe(409);
  });

  it('a card past its expiry verifies as expired', async () => {
    const a = await issued('吴桂英');
    await s.ctx.db.update(privilegeCards).set({ expiresOn: '2020-01-01' }).where(eq(privilegeCards.id, a.id));
    const token = signCardToken(s.ctx.config.secretKey, a.card.cardNo, 1);
    expect((await verify(token)).json().verdict).toBe('expired');
    expect((await community.get(`/api/v1/privilege-cards?elderId=${a.elder.id}`)).json().items[0].expired).toBe(true);
  });

  it('death in the archive revokes the card and rejects an application under way', async () => {
    const a = await issued('郑国强');
    const b = await applied('冯玉珍');
    for (const e of [a.elder, b.elder]) {
      const r = await street.post(`/api/v1/elders/${e.id}/status`, { status: 'deceased', date: bornAgo(0) });
      expect(r.statusCode, r.body).toBe(200);
    }
    const token = signCardToken(s.ctx.config.secretKey, a.card.cardNo, 1);
    await expect.poll(async () => (await verify(token)).json().verdict, { timeout: 10_000 }).toBe('revoked');
    await expect
      .poll(async () => (await community.get(`/api/v1/privilege-cards?elderId=${b.elder.id}`)).json().items[0].status, {
        timeout: 10_000,
      })
      .toBe('rejected');
    const row = (await community.get(`/api/v1/privilege-cards?elderId=${a.elder.id}`)).json().items[0];
    expect(row).toMatchObject({ status: 'revoked', reason: '老人已故' });
  });

  it('cards out of reach answer 404; bad input 400', async () => {
    const a = await issued('褚秀兰');
    for (const [path, body] of [
      ['revoke', { reason: 'x' }],
      ['reissue', { reason: 'x' }],
    ] as const)
      expect((await communityB.post(`/api/v1/privilege-cards/${a.id}/${path}`, body)).statusCode).toBe(404);
    expect((await district.post('/api/v1/privilege-cards/not-a-uuid/decisions', { decision: 'approve' })).statusCode).toBe(400);
    for (const body of [
      {},
      { decision: 'maybe' },
      { decision: 'reject' },
      { decision: 'reject', reason: '' },
      { decision: 'approve', x: 1 },
    ])
      expect((await district.post(`/api/v1/privilege-cards/${a.id}/decisions`, body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await verify('x'.repeat(99))).statusCode).toBe(400);
    // Longer than any token: past Fastify's parameter length limit the route does not match —
    // 414 (URI too long), or 404 when the built console's catch-all route is registered (as in
    // production and CI) — a refusal either way, never a 500 and never a verification.
    expect([404, 414]).toContain((await verify('x'.repeat(200))).statusCode);
  });
});
