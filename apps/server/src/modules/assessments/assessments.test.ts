import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { elders } from '../elders/elders.schema.ts';

let s: TestServer;
let a1: Awaited<ReturnType<typeof clientAs>>;
let a2: Awaited<ReturnType<typeof clientAs>>;
let outsider: Awaited<ReturnType<typeof clientAs>>;

const full = () => Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, i.max]));
const bg = { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [] as Array<{ type: string; count: number }> };
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  a1 = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  a2 = await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA });
  outsider = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
});
afterAll(() => s.close());

async function draft(elderId: string, over: Record<string, unknown> = {}) {
  const res = await a1.api.post('/api/v1/assessments', {
    elderId,
    reason: 'first',
    assessedOn: today,
    background: bg,
    scores: full(),
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('assessment lifecycle', () => {
  it('scores on the server, needs two different assessors, then locks and sets the elder level', async () => {
    const e = await createElder(s.ctx, TREE.communityA1);
    const scores = { ...full(), eating: 1, bathing: 0, walking: 1, stairs: 0, memory: 1 };
    const a = await draft(e.id, { scores, background: { ...bg, dementiaOrMentalDisorder: true, diagnoses: ['阿尔茨海默病'] } });
    expect(a).toMatchObject({
      total: 74,
      preliminaryLevel: 'mild',
      level: 'moderate',
      adjustments: ['dementia_or_mental_disorder'],
      status: 'draft',
    });
    expect(a.subtotals).toEqual({ self_care: 25, motor: 9, mental: 25, perception: 15 });

    // Still editable before anyone signs.
    const edited = await a1.api.patch(`/api/v1/assessments/${a.id}`, { scores: { ...scores, memory: 4 } });
    expect(edited.json().total).toBe(77);

    const first = await a1.api.post(`/api/v1/assessments/${a.id}/sign`);
    expect(first.json()).toMatchObject({ status: 'draft', locked: true });
    expect((await a1.api.post(`/api/v1/assessments/${a.id}/sign`)).statusCode).toBe(409);
    expect((await a1.api.patch(`/api/v1/assessments/${a.id}`, { notes: 'x' })).statusCode).toBe(409);
    const second = await a2.api.post(`/api/v1/assessments/${a.id}/sign`);
    expect(second.statusCode).toBe(200);
    expect(second.json().status).toBe('signed');
    expect(second.json().assessors.map((x: { id: string }) => x.id)).toEqual([a1.account.id, a2.account.id]);
    const [row] = await s.ctx.db.select().from(elders).where(eq(elders.id, e.id));
    expect(row.abilityLevel).toBe('moderate');
    const y = Number(today.slice(0, 4)) + 1;
    expect(row.nextAssessmentDue?.slice(0, 4)).toBe(String(y));
    expect((await a2.api.post(`/api/v1/assessments/${a.id}/sign`)).statusCode).toBe(409);

    // The report prints both assessors, scores and the level.
    const report = await a1.api.get(`/api/v1/assessments/${a.id}/report`);
    expect(report.headers['content-type']).toContain('text/html');
    expect(report.body).toContain('中度失能');
    expect(report.body).toContain('<b>77</b>');
    expect(report.body).toContain(a1.account.displayName);
    expect(report.body).toContain(a2.account.displayName);
    expect(report.body).toContain('@media print');

    // A correction is a new assessment referring to the old one; signing it supersedes the old.
    expect(
      (
        await a1.api.post('/api/v1/assessments', {
          elderId: e.id,
          reason: 'dispute',
          assessedOn: today,
          background: bg,
          scores: full(),
          correctsId: a.id,
        })
      ).statusCode,
    ).toBe(400);
    const fix = await draft(e.id, { reason: 'dispute', correctsId: a.id, correctionReason: '记忆项误记' });
    await a2.api.post(`/api/v1/assessments/${fix.id}/sign`);
    await a1.api.post(`/api/v1/assessments/${fix.id}/sign`);
    expect((await a1.api.get(`/api/v1/assessments/${a.id}`)).json().status).toBe('superseded');
    const [after] = await s.ctx.db.select().from(elders).where(eq(elders.id, e.id));
    expect(after.abilityLevel).toBe('intact');

    const timeline = (await a1.api.get(`/api/v1/elders/${e.id}/timeline`)).json();
    expect(timeline.items.filter((i: { source: string }) => i.source === 'assessments')).toHaveLength(2);
  });

  it('applies coma and risk-event adjustments', async () => {
    const e = await createElder(s.ctx, TREE.communityA1);
    expect((await draft(e.id, { background: { ...bg, coma: true } })).level).toBe('total');
    const r = await draft(e.id, {
      background: {
        ...bg,
        riskEvents30d: [
          { type: 'fall', count: 1 },
          { type: 'choking', count: 1 },
        ],
      },
    });
    expect(r).toMatchObject({ total: 90, level: 'mild', adjustments: ['risk_events'] });
  });

  it('refuses incomplete or out-of-range sheets, future dates and elders outside scope', async () => {
    const e = await createElder(s.ctx, TREE.communityA1);
    const { eating: _e, ...missing } = full();
    const bad = await a1.api.post('/api/v1/assessments', {
      elderId: e.id,
      reason: 'first',
      assessedOn: today,
      background: bg,
      scores: { ...missing, stairs: 4 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((x: { path: string }) => x.path)
        .sort(),
    ).toEqual(['body.scores.eating', 'body.scores.stairs']);
    const future = await a1.api.post('/api/v1/assessments', {
      elderId: e.id,
      reason: 'first',
      assessedOn: '2999-01-01',
      background: bg,
      scores: full(),
    });
    expect(future.statusCode).toBe(400);
    expect(
      (
        await outsider.api.post('/api/v1/assessments', {
          elderId: e.id,
          reason: 'first',
          assessedOn: today,
          background: bg,
          scores: full(),
        })
      ).statusCode,
    ).toBe(400);
    const a = await draft(e.id);
    expect((await outsider.api.get(`/api/v1/assessments/${a.id}`)).statusCode).toBe(404);
    expect((await outsider.api.post(`/api/v1/assessments/${a.id}/sign`)).statusCode).toBe(404);
  });
});

describe('due and overdue', () => {
  it('lists never-assessed and overdue elders per community, honouring the configured interval', async () => {
    const never = await createElder(s.ctx, TREE.communityA2);
    const overdue = await createElder(s.ctx, TREE.communityA2, { nextAssessmentDue: '2020-01-01' });
    const fine = await createElder(s.ctx, TREE.communityA2, { nextAssessmentDue: '2999-01-01' });
    const list = (await a2.api.get(`/api/v1/assessments/due?regionCode=${TREE.communityA2}`)).json();
    const ids = list.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(never.id);
    expect(ids).toContain(overdue.id);
    expect(ids).not.toContain(fine.id);
    expect(list.items.find((i: { id: string }) => i.id === overdue.id).overdue).toBe(true);
    const summary = (await a2.api.get('/api/v1/assessments/due/summary')).json();
    expect(summary.find((r: { regionCode: string }) => r.regionCode === TREE.communityA2)).toMatchObject({
      overdue: 1,
      neverAssessed: 1,
    });
    expect((await outsider.api.get(`/api/v1/assessments/due?regionCode=${TREE.communityA2}`)).json().total).toBe(0);

    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect((await a1.api.put('/api/v1/assessments/settings', { intervalMonths: 6 })).statusCode).toBe(403);
    expect((await admin.api.put('/api/v1/assessments/settings', { intervalMonths: 6 })).json()).toEqual({ intervalMonths: 6 });
    const a = await draft(never.id.length ? (await createElder(s.ctx, TREE.communityA1)).id : '', { assessedOn: '2026-01-31' });
    await a1.api.post(`/api/v1/assessments/${a.id}/sign`);
    const signed = (await a2.api.post(`/api/v1/assessments/${a.id}/sign`)).json();
    expect(signed.nextDue).toBe('2026-07-31');
    await admin.api.put('/api/v1/assessments/settings', { intervalMonths: 12 });
  });

  it('serves the catalogue of 26 items', async () => {
    const cat = (await a1.api.get('/api/v1/assessments/catalogue')).json();
    expect(cat).toHaveLength(26);
    expect(cat[0].levels[0].zh).toContain('独立');
  });
});
