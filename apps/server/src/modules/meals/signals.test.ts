import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../jobs/workers.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, createOrg, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { mealJobs } from './meals.jobs.ts';
import { meals } from './meals.schema.ts';
import { runMissedMealCheck } from './signals.service.ts';

type Api = Awaited<ReturnType<typeof clientAs>>['api'];
let s: TestServer;
let bureau: Api;
let communityA1: Api;
let communityA2: Api;
let streetB: Api;
let kitchen: Api;
let canteen: string;
const today = cstDate();
const names: Record<string, string> = {};
let seq = 0;

/** Meals of an elder on days before today (0 = today), straight into the table. */
async function ate(elderId: string, regionCode: string, daysAgo: number[], status: 'served' | 'refunded' = 'served') {
  for (const d of daysAgo) {
    const day = addDays(today, -d);
    await s.ctx.db.insert(meals).values({
      ticketNo: `L${++seq}`,
      canteenId: canteen,
      elderId,
      regionCode,
      day,
      period: 'lunch',
      eatenAt: new Date(`${day}T12:00:00+08:00`),
      items: [],
      totalFen: 1000,
      subsidyFen: 0,
      selfPayFen: 1000,
      payMethod: 'cash',
      status,
      idempotencyKey: `signal-${seq}`,
      requestHash: '-',
    });
  }
}
async function elder(name: string, regionCode: string, extra: Parameters<typeof createElder>[2] = {}) {
  const e = await createElder(s.ctx, regionCode, { name, ...extra });
  names[e.id] = name;
  return e.id;
}
const listed = async (api: Api, q = '') =>
  (await api.get(`/api/v1/meal-signals${q}`))
    .json()
    .items.map((x: { elderName: string }) => x.elderName)
    .sort();

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  canteen = (await createOrg(s.ctx, 'canteen', TREE.communityA1, '甲一社区长寿食堂')).id;
  bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  communityA1 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  communityA2 = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA2 })).api;
  streetB = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetB })).api;
  kitchen = (await clientAs(s.app, s.ctx, 'canteen_staff', { orgId: canteen })).api;
  // Regular diners away for 3 days (A1, B1), one who came yesterday, one who ate twice, one who
  // is in hospital, one whose meals were refunded, one away for 12 days.
  await ate(await elder('常来未到', TREE.communityA1), TREE.communityA1, [3, 4, 5, 7]);
  await ate(await elder('乙区常客', TREE.communityB1), TREE.communityB1, [3, 5, 6]);
  await ate(await elder('昨天来过', TREE.communityA1), TREE.communityA1, [1, 4, 5, 6]);
  await ate(await elder('偶尔来', TREE.communityA1), TREE.communityA1, [4, 5]);
  await ate(await elder('住院老人', TREE.communityA1, { status: 'in_hospital' }), TREE.communityA1, [3, 4, 5]);
  await ate(await elder('退过餐', TREE.communityA1), TREE.communityA1, [3, 4, 5], 'refunded');
  await ate(await elder('久未来', TREE.communityA1), TREE.communityA1, [12, 13, 14]);
});
afterAll(() => s.close());

describe('missed-meal signal (未就餐提醒)', () => {
  it('the daily job raises a signal for regular diners away for 3 days, once per elder and day', async () => {
    const def = mealJobs.find((j) => j.name === 'meals.missed-check');
    if (!def) throw new Error('no missed-check job');
    expect(def.cron).toBeTruthy();
    await runJob(s.ctx, def, {});
    await runJob(s.ctx, def, {}); // a repeated run raises nothing twice
    const [{ n }] = await queryRows<{ n: string }>(s.ctx.db, sql`SELECT count(*) n FROM meal_signals`);
    expect(Number(n)).toBe(3);
    expect(await listed(bureau)).toEqual(['久未来', '乙区常客', '常来未到'].sort());
    const mine = (await communityA1.get('/api/v1/meal-signals')).json();
    expect(mine.items.map((x: { elderName: string }) => x.elderName).sort()).toEqual(['久未来', '常来未到'].sort());
    expect(mine.items.find((x: { elderName: string }) => x.elderName === '常来未到')).toMatchObject({
      kind: 'missed_meals',
      day: today,
      lastMealDay: addDays(today, -3),
      daysAbsent: 3,
      mealsInWindow: 4,
      canteenId: canteen,
      canteenName: '甲一社区长寿食堂',
    });
    const [{ n: audits }] = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) n FROM audit_log WHERE action = 'meal.missed-check'`,
    );
    expect(Number(audits)).toBe(1);
  });

  it('the same absence is not raised again the next day', async () => {
    const r = await runMissedMealCheck(s.ctx, addDays(today, 1));
    expect(r.raised).toBe(0);
  });

  it('each sees their own region’s signals; canteen staff do not see them', async () => {
    expect(await listed(streetB)).toEqual(['乙区常客']);
    expect(await listed(communityA2)).toEqual([]);
    expect((await kitchen.get('/api/v1/meal-signals')).statusCode).toBe(403);
    expect(await listed(communityA1, `?day=${addDays(today, -1)}`)).toEqual([]);
  });

  it('the rule is data the bureau sets; a new rule applies to the next run', async () => {
    expect((await communityA1.get('/api/v1/meal-signal-settings')).json()).toMatchObject({
      minMeals: 3,
      windowDays: 14,
      absentDays: 3,
    });
    expect(
      (await communityA1.put('/api/v1/meal-signal-settings', { minMeals: 2, windowDays: 14, absentDays: 4 })).statusCode,
    ).toBe(403);
    for (const bad of [
      { minMeals: 0, windowDays: 14, absentDays: 3 },
      { minMeals: 2, windowDays: 14 },
      { minMeals: 2, windowDays: 14, absentDays: 'x' },
    ])
      expect((await bureau.put('/api/v1/meal-signal-settings', bad)).statusCode).toBe(400);
    const res = await bureau.put('/api/v1/meal-signal-settings', { minMeals: 2, windowDays: 14, absentDays: 4 });
    expect(res.statusCode, res.body).toBe(200);
    // 偶尔来 (2 meals, last 4 days ago) is now a regular diner away for 4 days.
    expect((await runMissedMealCheck(s.ctx)).raised).toBe(1);
    expect(await listed(communityA1)).toContain('偶尔来');
  });

  it('the community worker handles a signal with a note: audited, it leaves the open list', async () => {
    const open = (await communityA1.get('/api/v1/meal-signals?status=open')).json();
    const sig = open.items.find((x: { elderName: string }) => x.elderName === '常来未到');
    expect(sig).toMatchObject({ status: 'open', outcome: null, handledAt: null });
    // Out of reach: another community's worker gets a 404; canteen staff may not; bad input 400.
    expect(
      (await communityA2.post(`/api/v1/meal-signals/${sig.id}/handle`, { outcome: 'called', note: '已电话联系' })).statusCode,
    ).toBe(404);
    expect(
      (await kitchen.post(`/api/v1/meal-signals/${sig.id}/handle`, { outcome: 'called', note: '已电话联系' })).statusCode,
    ).toBe(403);
    for (const bad of [{ outcome: 'called' }, { outcome: 'phoned', note: '已电话联系' }, { outcome: 'called', note: ' ' }]) {
      const r = await communityA1.post(`/api/v1/meal-signals/${sig.id}/handle`, bad);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('problem+json');
    }
    const res = await communityA1.post(`/api/v1/meal-signals/${sig.id}/handle`, {
      outcome: 'called',
      note: '女儿接去家里住几天，下周回来',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'handled',
      outcome: 'called',
      handleNote: '女儿接去家里住几天，下周回来',
      handledByName: expect.any(String),
    });
    expect(res.json().handledAt).toBeTruthy();
    const again = await communityA1.post(`/api/v1/meal-signals/${sig.id}/handle`, { outcome: 'visited', note: '再次处理' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already-handled');
    expect(await listed(communityA1, '?status=open')).not.toContain('常来未到');
    expect(await listed(communityA1, '?status=handled')).toEqual(['常来未到']);
    expect(await listed(communityA1)).toContain('常来未到');
    const audits = await queryRows<{ action: string; detail: { outcome: string } }>(
      s.ctx.db,
      sql`SELECT action, detail FROM audit_log WHERE target_id = ${sig.id}`,
    );
    expect(audits).toEqual([
      expect.objectContaining({ action: 'meal.signal.handle', detail: expect.objectContaining({ outcome: 'called' }) }),
    ]);
    // The street above sees it handled as well.
    const bureauView = (await bureau.get('/api/v1/meal-signals?status=handled')).json();
    expect(bureauView.items.map((x: { id: string }) => x.id)).toContain(sig.id);
    expect((await communityA1.get('/api/v1/meal-signals?status=closed')).statusCode).toBe(400);
  });
});
