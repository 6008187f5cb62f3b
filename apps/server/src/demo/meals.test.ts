import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { unpackVectors } from '../modules/faces/faces.match.ts';
import { DEFAULT_MARGIN, DEFAULT_THRESHOLD } from '../modules/faces/faces.service.ts';
import { checkLedger } from '../modules/wallets/ledger.repo.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { communityCode, seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { DEMO_FACES_PER_CANTEEN, seedFaces } from './faces.ts';
import { DEMO_MEAL_DAYS, seedMeals } from './meals.ts';
import { seedServiceOrders } from './service-orders.ts';
import { seedServiceProviders } from './service-providers.ts';

let s: TestServer;
let seedMs = 0;
const today = cstDate();
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
  // The service loop first, as in the demo: elders hold fen wallets already and past months are settled.
  await seedServiceProviders(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedServiceOrders(s.ctx);
  const t = Date.now();
  await seedMeals(s.ctx);
  seedMs = Date.now() - t;
  await seedFaces(s.ctx);
}, 300_000);
afterAll(() => s.close());

const one = async <T>(q: ReturnType<typeof sql>) => (await queryRows<T>(s.ctx.db, q))[0];
const as = async (username: string) => client(s.app, await loginToken(s.app, username, 'Demo#Pass2026'));

describe('demo meals', () => {
  it('two canteens with profiles, and a week of menus ahead for every meal period', async () => {
    const bureau = await as('demo-district');
    const all = (await bureau.get('/api/v1/canteens')).json();
    expect(all.items.map((c: { name: string }) => c.name).sort()).toEqual(['锦华路社区长寿食堂', '青松路社区长寿食堂'].sort());
    const kitchen = await as('demo-canteen');
    const mine = (await kitchen.get('/api/v1/canteens')).json().items;
    expect(mine).toEqual([expect.objectContaining({ name: '锦华路社区长寿食堂', profiled: true, capacity: 80 })]);
    const menus = (await kitchen.get(`/api/v1/canteens/${mine[0].id}/menus?from=${today}&to=${addDays(today, 6)}`)).json();
    expect(menus.total).toBe(21);
    for (const m of menus.items) expect(m.items.length).toBeGreaterThan(1);
    expect(seedMs).toBeLessThan(30_000);
  });

  it('four weeks of meals up to yesterday, paid from the meal policies’ lots; the ledger and lots agree', async () => {
    const bureau = await as('demo-district');
    const st = (await bureau.get(`/api/v1/meal-stats?from=${addDays(today, -DEMO_MEAL_DAYS)}&to=${today}`)).json();
    expect(st.totals.meals).toBeGreaterThan(1000);
    expect(st.totals.subsidyFen).toBeGreaterThan(0);
    expect(st.totals.selfPayFen).toBeGreaterThan(0);
    expect(st.totals.eldersServed).toBeGreaterThanOrEqual(100);
    expect(st.totals.refunded).toBeGreaterThan(0);
    expect(st.topDishes[0].name).toBe('米饭');
    // A dish both canteens serve is one line of the district's top dishes.
    expect(new Set(st.topDishes.map((d: { name: string }) => d.name)).size).toBe(st.topDishes.length);
    expect(new Set(st.perDay.map((d: { canteenName: string }) => d.canteenName)).size).toBe(2);
    expect(Number((await one<{ n: string }>(sql`SELECT count(*) n FROM meals WHERE day >= ${today}`)).n)).toBe(0);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
    // Each lot: its amount less what meals drew (refunds put back).
    const lots = await one<{ n: string }>(sql`
      SELECT count(*) n FROM policy_grants g JOIN meal_subsidy_rules r ON r.policy_id = g.policy_id
      WHERE g.remaining <> g.amount - COALESCE((SELECT sum(d.amount) FROM grant_draws d
        WHERE d.policy_id = g.policy_id AND d.elder_id = g.elder_id AND d.period_key = g.period_key), 0)
         OR g.remaining < 0`);
    expect(Number(lots.n)).toBe(0);
    // Each meal's subsidy is the sum of its policies' parts, and the captures less refunds match the served meals.
    const parts = await one<{ n: string }>(sql`
      SELECT count(*) n FROM meals m WHERE m.subsidy_fen <> COALESCE((SELECT sum(amount_fen) FROM meal_subsidies s WHERE s.meal_id = m.id), 0)`);
    expect(Number(parts.n)).toBe(0);
    const money = await one<{ ledger: string; meals: string }>(sql`
      SELECT (SELECT COALESCE(sum(e.amount), 0) FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
                JOIN ledger_transactions t ON t.id = e.transaction_id
               WHERE a.kind = 'provider' AND a.owner_id IN (SELECT id FROM organizations WHERE type = 'canteen')
                 AND t.kind IN ('capture', 'refund')) AS ledger,
             (SELECT COALESCE(sum(subsidy_fen), 0) FROM meals WHERE status = 'served') AS meals`);
    expect(Number(money.ledger)).toBe(Number(money.meals));
  });

  it('regulars who stopped coming are on the community worker’s list', async () => {
    const bureau = await as('demo-district');
    const signals = (await bureau.get('/api/v1/meal-signals')).json();
    expect(signals.total).toBeGreaterThan(0);
    for (const x of signals.items) expect(x.daysAbsent).toBeGreaterThanOrEqual(3);
  });

  it('running the step again changes nothing', async () => {
    const count = async () => Number((await one<{ n: string }>(sql`SELECT count(*) n FROM meals`)).n);
    const before = await count();
    await seedMeals(s.ctx);
    expect(await count()).toBe(before);
    expect(Number((await one<{ n: string }>(sql`SELECT count(*) n FROM organizations WHERE type = 'canteen'`)).n)).toBe(2);
  });

  it('the demo canteen serves today: recommendations and a subsidised checkout', async () => {
    const kitchen = await as('demo-canteen');
    const canteen = (await kitchen.get('/api/v1/canteens')).json().items[0];
    const diner = await one<{ elder_id: string }>(sql`
      SELECT m.elder_id FROM meals m JOIN meal_subsidies s ON s.meal_id = m.id JOIN elders e ON e.id = m.elder_id
      WHERE m.canteen_id = ${canteen.id} AND e.region_code = ${communityCode(0, 0)}
      ORDER BY m.eaten_at DESC LIMIT 1`);
    const rec = await kitchen.get(`/api/v1/canteens/${canteen.id}/recommendations?elderId=${diner.elder_id}&period=lunch`);
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().items.length).toBeGreaterThan(1);
    const dish = rec.json().items.find((i: { warnings: string[] }) => !i.warnings.length);
    const meal = await kitchen.post(
      `/api/v1/canteens/${canteen.id}/meals`,
      { elderId: diner.elder_id, period: 'lunch', items: [{ dishId: dish.dishId }], payMethod: 'mobile' },
      { 'idempotency-key': 'demo-meal-test-1' },
    );
    expect(meal.statusCode, meal.body).toBe(201);
    expect(meal.json().subsidyFen).toBe(Math.min(rec.json().subsidyFen, dish.priceFen));
  });

  it("each canteen's kiosk has 100 elders enrolled with their consent, descriptors encrypted and synthetic", async () => {
    const perCanteen = await queryRows<{ n: string }>(s.ctx.db, sql`SELECT count(*) n FROM face_gallery_orgs GROUP BY org_id`);
    expect(perCanteen.map((r) => Number(r.n))).toEqual([DEMO_FACES_PER_CANTEEN, DEMO_FACES_PER_CANTEEN]);
    const rows = await queryRows<{ elder_id: string; descriptors_enc: string; consent_document_ref: string }>(
      s.ctx.db,
      sql`SELECT elder_id, descriptors_enc, consent_document_ref FROM face_enrolments ORDER BY elder_id LIMIT 3`,
    );
    const vectors = rows.map((r) => {
      expect(r.consent_document_ref).toMatch(/^人脸采集同意书 RL-\d{4}/);
      return unpackVectors(s.ctx.cipher.decrypt(r.descriptors_enc));
    });
    // Three unit descriptors per elder: one person's close together, two people's far apart.
    const cos = (a: Float32Array, i: number, b: Float32Array, j: number) => {
      let d = 0;
      for (let k = 0; k < 1024; k++) d += a[i * 1024 + k] * b[j * 1024 + k];
      return d;
    };
    expect(vectors[0].length).toBe(3 * 1024);
    expect(cos(vectors[0], 0, vectors[0], 0)).toBeCloseTo(1, 4);
    expect(cos(vectors[0], 0, vectors[0], 1)).toBeGreaterThan(DEFAULT_THRESHOLD + DEFAULT_MARGIN);
    expect(cos(vectors[0], 0, vectors[1], 0)).toBeLessThan(DEFAULT_THRESHOLD - DEFAULT_MARGIN);
    // The community worker sees the consent on the elder's record; running the step again adds nobody.
    const community = await as('demo-community');
    const mine = await one<{ elder_id: string }>(sql`
      SELECT f.elder_id FROM face_enrolments f JOIN elders e ON e.id = f.elder_id WHERE e.region_code = ${communityCode(0, 0)} LIMIT 1`);
    const status = await community.get(`/api/v1/elders/${mine.elder_id}/face`);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ enrolled: true, consent: { documentRef: expect.stringContaining('RL-') } });
    await seedFaces(s.ctx);
    expect(Number((await one<{ n: string }>(sql`SELECT count(*) n FROM face_enrolments`)).n)).toBe(2 * DEMO_FACES_PER_CANTEEN);
  });
});
