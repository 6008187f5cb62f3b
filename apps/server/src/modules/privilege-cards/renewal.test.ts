import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../../lib/spreadsheet.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, TREE } from '../../testing/factories.ts';
import { multipartBody } from '../../testing/xlsx-craft.ts';
import { auditLog } from '../audit/audit.schema.ts';
import { addDays, expiryOf } from './privilege-cards.rules.ts';
import { privilegeCards } from './privilege-cards.schema.ts';
import { bornAgo, cardWorld, today } from './privilege-cards.testing.ts';
import { signCardToken } from './privilege-cards.token.ts';

/** Validity per district and the renewal of an expired or soon-expiring card (both databases). */

type World = Awaited<ReturnType<typeof cardWorld>>;
let w: World;

beforeAll(async () => {
  w = await cardWorld();
});
afterAll(() => w.s.close());

const SETTINGS = '/api/v1/privilege-card-settings';
const verify = (token: string) => w.s.app.inject({ method: 'GET', url: `/api/v1/verify/card/${encodeURIComponent(token)}` });
const tokenOf = (cardNo: string, version = 1) => signCardToken(w.s.ctx.config.secretKey, cardNo, version);

/** An elder of 70 in community A1, applied, checked by all three sources and approved: an issued card. */
async function issued(name: string) {
  const elder = await createElder(w.s.ctx, TREE.communityA1, { birthDate: bornAgo(70), name });
  const r = await w.community.post('/api/v1/privilege-cards', { elderId: elder.id });
  expect(r.statusCode, r.body).toBe(201);
  const id = r.json().id as string;
  const file = await writeXlsx('核验结果', ['身份证号', '人社', '公安', '卫健'], [[elder.idNumber, '通过', '通过', '通过']]);
  const imp = await w.upload(w.tokens.a1, '/api/v1/privilege-card-checks/import', multipartBody('r.xlsx', file));
  expect(imp.json().passed, imp.body).toBe(1);
  const d = await w.district.post(`/api/v1/privilege-cards/${id}/decisions`, { decision: 'approve' });
  expect(d.statusCode, d.body).toBe(200);
  return { elder, id, card: d.json() };
}

/** Move a card's expiry (the only way to make a card old without waiting years). */
const expireOn = (id: string, day: string) =>
  w.s.ctx.db.update(privilegeCards).set({ expiresOn: day }).where(eq(privilegeCards.id, id));

const cardsOf = async (elderId: string) =>
  (await w.community.get(`/api/v1/privilege-cards?elderId=${elderId}`)).json().items as Array<Record<string, unknown>>;

describe('validity per district', () => {
  it('the district sets the years and the renewal window; new cards take them; the defaults are 5 years and 90 days', async () => {
    const before = (await w.street.get(`${SETTINGS}?regionCode=${TREE.district}`)).json();
    expect(before).toMatchObject({ validYears: 5, renewalWindowDays: 90 });
    const a = await issued('钱玉英');
    expect(a.card.expiresOn).toBe(expiryOf(today, 5));

    const rule = { regionCode: TREE.district, residenceRule: 'hukou', minResidenceYears: 0 };
    for (const bad of [
      { validYears: 0 },
      { validYears: 21 },
      { validYears: 2.5 },
      { renewalWindowDays: -1 },
      { renewalWindowDays: 366 },
    ]) {
      const r = await w.district.put(SETTINGS, { ...rule, ...bad });
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await w.street.get(`${SETTINGS}?regionCode=${TREE.district}`)).json()).toMatchObject({ validYears: 5 });
    expect((await w.community.put(SETTINGS, { ...rule, validYears: 3 })).statusCode).toBe(403);

    const put = await w.district.put(SETTINGS, { ...rule, validYears: 3, renewalWindowDays: 60 });
    expect(put.statusCode, put.body).toBe(200);
    // A body without the new fields (an older client) keeps them.
    expect((await w.district.put(SETTINGS, rule)).json()).toMatchObject({ validYears: 3, renewalWindowDays: 60 });
    const b = await issued('孙建华');
    expect(b.card.expiresOn).toBe(expiryOf(today, 3));
    // A card issued before the change keeps its validity.
    expect((await cardsOf(a.elder.id))[0].expiresOn).toBe(expiryOf(today, 5));
  });
});

describe('renewal', () => {
  it('an expired card is renewed at the desk: a new card and number, the old one replaced and kept, its code says so', async () => {
    const { validYears } = (await w.street.get(`${SETTINGS}?regionCode=${TREE.district}`)).json();
    const a = await issued('周桂芳');
    // Not due yet: a fresh card is refused, and says so.
    expect(a.card.renewalDue).toBe(false);
    const early = await w.community.post(`/api/v1/privilege-cards/${a.id}/renew`);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().code).toBe('renewal-not-due');

    const dueIds = async () =>
      ((await w.street.get('/api/v1/privilege-cards?renewalDue=true&limit=100')).json().items as Array<{ id: string }>).map(
        (c) => c.id,
      );
    expect(await dueIds()).not.toContain(a.id);
    await expireOn(a.id, '2021-03-31');
    expect((await cardsOf(a.elder.id))[0]).toMatchObject({ expired: true, renewalDue: true });
    expect(await dueIds()).toContain(a.id);
    const r = await w.community.post(`/api/v1/privilege-cards/${a.id}/renew`);
    expect(r.statusCode, r.body).toBe(201);
    const fresh = r.json();
    expect(fresh).toMatchObject({
      status: 'issued',
      issuedOn: today,
      // Expired: the new validity runs from today.
      expiresOn: expiryOf(today, validYears),
      renewalOf: a.id,
      expired: false,
      renewalDue: false,
      version: 1,
    });
    expect(fresh.id).not.toBe(a.id);
    // The external check is not asked again: the new card carries the answers the old one rested on.
    expect(fresh.checks).toEqual(a.card.checks);
    expect(fresh.checks).toHaveLength(3);
    expect(fresh.cardNo).not.toBe(a.card.cardNo);
    expect(fresh.cardNo).toMatch(new RegExp(`^${TREE.district}${today.slice(0, 4)}\\d{6}$`));

    // The history: both cards, the old one replaced with its number and dates intact.
    const all = await cardsOf(a.elder.id);
    expect(all.map((c) => [c.id, c.status])).toEqual(
      expect.arrayContaining([
        [a.id, 'replaced'],
        [fresh.id, 'issued'],
      ]),
    );
    expect(all).toHaveLength(2);
    expect(await dueIds()).not.toContain(fresh.id);
    const cardStage = (await w.community.get(`/api/v1/privilege-cards?stage=card&elderId=${a.elder.id}`)).json();
    expect(cardStage.total).toBe(2);
    const appStage = (await w.community.get(`/api/v1/privilege-cards?stage=application&elderId=${a.elder.id}`)).json();
    expect(appStage.total).toBe(0);
    expect(all.find((c) => c.id === a.id)).toMatchObject({ cardNo: a.card.cardNo, expiresOn: '2021-03-31' });
    const detail = (await w.street.get(`/api/v1/privilege-cards/${fresh.id}`)).json();
    expect(detail.history.map((h: { id: string }) => h.id).sort()).toEqual([a.id, fresh.id].sort());
    expect(detail.timeline.map((t: { step: string }) => t.step)).toEqual(['renewed']);
    const old = (await w.street.get(`/api/v1/privilege-cards/${a.id}`)).json();
    expect(old.timeline.map((t: { step: string }) => t.step)).toEqual(['applied', 'checked', 'approved', 'replaced']);

    // The old code verifies as replaced, the new one as valid.
    expect((await verify(tokenOf(a.card.cardNo))).json().verdict).toBe('replaced');
    expect((await verify(tokenOf(fresh.cardNo))).json()).toMatchObject({ verdict: 'valid', expiresOn: fresh.expiresOn });

    // The replaced card can be neither renewed again, nor reissued, nor revoked.
    for (const [path, body] of [
      ['renew', undefined],
      ['reissue', { reason: '补发' }],
      ['revoke', { reason: '注销' }],
    ] as const)
      expect((await w.community.post(`/api/v1/privilege-cards/${a.id}/${path}`, body)).statusCode, path).toBe(409);
    // Audited: the renewal on the new card, the replacement on the old one.
    const audit = await w.s.ctx.db
      .select({ action: auditLog.action, targetId: auditLog.targetId })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.targetType, 'privilege_card'),
          sql`${auditLog.action} IN ('privilege-card.renew', 'privilege-card.replace')`,
        ),
      )
      .orderBy(auditLog.id);
    expect(audit.filter((x) => x.targetId === a.id || x.targetId === fresh.id)).toEqual([
      { action: 'privilege-card.replace', targetId: a.id },
      { action: 'privilege-card.renew', targetId: fresh.id },
    ]);
  });

  it('renewed early on the phone page within the window, the new card starts after the old one ends', async () => {
    const { validYears, renewalWindowDays } = (await w.street.get(`${SETTINGS}?regionCode=${TREE.district}`)).json();
    const a = await issued('李秀珍');
    const self = await clientAs(w.s.app, w.s.ctx, 'elder');
    await w.s.ctx.db.execute(sql`UPDATE users SET elder_id = ${a.elder.id} WHERE id = ${self.account.id}`);

    // One day before the window opens: not due.
    await expireOn(a.id, addDays(today, renewalWindowDays + 1));
    expect((await self.api.get('/api/v1/privilege-card/mine')).json().card.renewalDue).toBe(false);
    expect((await self.api.post('/api/v1/privilege-card/mine/renew')).statusCode).toBe(409);

    // The window's first day: due, and the elder renews.
    const oldEnd = addDays(today, renewalWindowDays);
    await expireOn(a.id, oldEnd);
    const mine = (await self.api.get('/api/v1/privilege-card/mine')).json();
    expect(mine.card).toMatchObject({ id: a.id, renewalDue: true, expired: false });
    const r = await self.api.post('/api/v1/privilege-card/mine/renew');
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ source: 'self', issuedOn: today, expiresOn: expiryOf(addDays(oldEnd, 1), validYears) });
    const after = (await self.api.get('/api/v1/privilege-card/mine')).json();
    expect(after.card).toMatchObject({ id: r.json().id, status: 'issued', renewalDue: false });
    expect((await verify(after.qrToken)).json().verdict).toBe('valid');
  });

  it('an elder who moved away cannot renew; a card out of reach is 404; death revokes the renewed card', async () => {
    const a = await issued('吴德明');
    await expireOn(a.id, '2022-01-01');
    expect((await w.communityB.post(`/api/v1/privilege-cards/${a.id}/renew`)).statusCode).toBe(404);
    expect((await w.communityB.get(`/api/v1/privilege-cards/${a.id}`)).statusCode).toBe(404);
    // A family account bound to no elder has nothing to renew.
    const stranger = await clientAs(w.s.app, w.s.ctx, 'family');
    expect((await stranger.api.post('/api/v1/privilege-card/mine/renew')).statusCode).toBe(404);

    const moved = await w.street.post(`/api/v1/elders/${a.elder.id}/status`, { status: 'moved_away' });
    expect(moved.statusCode, moved.body).toBe(200);
    const refused = await w.community.post(`/api/v1/privilege-cards/${a.id}/renew`);
    expect(refused.statusCode, refused.body).toBe(422);
    expect((await cardsOf(a.elder.id)).map((c) => c.status)).toEqual(['issued']);

    const b = await issued('郑淑英');
    await expireOn(b.id, '2022-01-01');
    const renewed = (await w.community.post(`/api/v1/privilege-cards/${b.id}/renew`)).json();
    const died = await w.street.post(`/api/v1/elders/${b.elder.id}/status`, { status: 'deceased', date: today });
    expect(died.statusCode, died.body).toBe(200);
    await expect.poll(async () => (await verify(tokenOf(renewed.cardNo))).json().verdict, { timeout: 10_000 }).toBe('revoked');
    // The replaced card stays replaced (history), not revoked.
    expect((await cardsOf(b.elder.id)).find((c) => c.id === b.id)?.status).toBe('replaced');
  });

  it('the drawer’s detail lists the steps in order with who and why, and the read is audited', async () => {
    const a = await issued('冯玉兰');
    const rv = await w.community.post(`/api/v1/privilege-cards/${a.id}/revoke`, { reason: '冒用' });
    expect(rv.statusCode).toBe(200);
    const d = await w.district.get(`/api/v1/privilege-cards/${a.id}`);
    expect(d.statusCode, d.body).toBe(200);
    const steps = d.json().timeline as Array<{ step: string; status: string; reason: string | null; actorName: string | null }>;
    expect(steps.map((s) => [s.step, s.status])).toEqual([
      ['applied', 'checking'],
      ['checked', 'passed'],
      ['approved', 'issued'],
      ['revoked', 'revoked'],
    ]);
    expect(steps[3].reason).toBe('冒用');
    expect(steps.every((s) => s.actorName)).toBe(true);
    expect(d.body).not.toContain(a.elder.idNumber);
    const reads = await w.s.ctx.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, 'privilege-card.read'), eq(auditLog.targetId, a.id)));
    expect(reads).toHaveLength(1);
  });
});
