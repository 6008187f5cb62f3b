import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { createElder } from '../../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';
import { checkLedger } from '../wallets/ledger.repo.ts';
import { release, reserve } from '../wallets/wallets.service.ts';
import { runGrant } from './policies.service.ts';

let s: TestServer;
let admin: Awaited<ReturnType<typeof clientAs>>['api'];
const year = new Date().getUTCFullYear();
const last = year - 1;
let elderId: string;
let n = 0;

const policy = (name: string, period: 'year' | 'month', amount: number) => ({
  name,
  kind: 'points_grant',
  amount,
  period,
  regionCode: TREE.streetA,
  // Only the elder of this test is 97 or older in street A.
  conditions: { minAge: 97 },
  validFrom: `${last}-01-01`,
  prorate: false,
  expireUnused: true,
});

beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
  admin = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  elderId = (await createElder(s.ctx, TREE.communityA1, { birthDate: `${year - 99}-01-01` })).id;
});
afterAll(() => s.close());

const available = async () => (await admin.get(`/api/v1/wallets/${elderId}`)).json().points.available as number;
const lot = async (policyId: string, key: string) =>
  Number(
    (
      await queryRows<{ remaining: number }>(
        s.ctx.db,
        sql`SELECT remaining FROM policy_grants WHERE policy_id = ${policyId} AND elder_id = ${elderId} AND period_key = ${key}`,
      )
    )[0]?.remaining,
  );

describe('expiry per policy, two policies in the same currency', () => {
  it("expires only the policy's own remainder, spent oldest-expiring first, and never twice", async () => {
    const a = (await admin.post('/api/v1/policies', policy('月度积分 A', 'month', 100))).json();
    const b = (await admin.post('/api/v1/policies', policy('年度积分 B', 'year', 300))).json();
    for (const p of [a, b]) expect((await admin.post(`/api/v1/policies/${p.id}/activate`)).statusCode).toBe(200);

    // March of last year: A grants 100 for the month, B 300 for the year.
    expect((await runGrant(s.ctx, a.id, { day: `${last}-03-05` })).granted).toBe(1);
    expect((await runGrant(s.ctx, b.id, { day: `${last}-03-05` })).granted).toBe(1);
    expect(await available()).toBe(400);

    // Spend 60 (a correction) and reserve 30 for an order: both drawn from A's March lot,
    // which expires first.
    const debit = await admin.post(
      `/api/v1/wallets/${elderId}/adjustments`,
      { currency: 'points', direction: 'debit', amount: 60, reason: '测试扣减' },
      { 'idempotency-key': `expiry-${++n}-${Date.now()}` },
    );
    expect(debit.statusCode).toBe(201);
    const orderId = randomUUID();
    await (s.ctx.db as Db).transaction((tx) => reserve(tx, { elderId, orderId, currency: 'points', amount: 30, actorId: null }));
    expect(await available()).toBe(310);
    expect([await lot(a.id, `${last}-03`), await lot(b.id, String(last))]).toEqual([10, 300]);

    // April: A's March remainder (10) expires, not 100 — B's points stay. Then April's 100.
    const april = await runGrant(s.ctx, a.id, { day: `${last}-04-10` });
    expect(april).toMatchObject({ expired: 10, granted: 1 });
    expect(await available()).toBe(400);
    expect(await lot(b.id, String(last))).toBe(300);
    // Running again expires and grants nothing.
    expect(await runGrant(s.ctx, a.id, { day: `${last}-04-10` })).toMatchObject({ expired: 0, granted: 0 });
    expect(await available()).toBe(400);

    // The order is cancelled after March ended: its 30 go back to A's March lot, and the next
    // run expires them (the order was honoured while open, the points were not spent).
    await (s.ctx.db as Db).transaction((tx) => release(tx, { elderId, orderId, currency: 'points', amount: 30 }));
    expect(await available()).toBe(430);
    expect(await runGrant(s.ctx, a.id, { day: `${last}-04-11` })).toMatchObject({ expired: 30, granted: 0 });
    expect(await runGrant(s.ctx, a.id, { day: `${last}-04-12` })).toMatchObject({ expired: 0, granted: 0 });
    expect(await available()).toBe(400);

    // New year: B's 300 of last year expire, A's April lot (100) is untouched by B's expiry.
    const jan = await runGrant(s.ctx, b.id, { day: `${year}-01-05` });
    expect(jan).toMatchObject({ expired: 300, granted: 1, amount: 300 });
    expect(await lot(a.id, `${last}-04`)).toBe(100);
    expect(await available()).toBe(400);
    expect((await runGrant(s.ctx, b.id, { day: `${year}-01-05` })).expired).toBe(0);
    expect(await available()).toBe(400);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });

  it('draws a spend larger than the first lot from the next one, in expiry order, and puts both back on release', async () => {
    const byName = async (name: string) =>
      (await queryRows<{ id: string }>(s.ctx.db, sql`SELECT id FROM policies WHERE name = ${name}`))[0].id;
    const [a, b] = [await byName('月度积分 A'), await byName('年度积分 B')];
    // Left from the test above: A's April lot of last year (100) expires before B's lot of this year (300).
    expect([await lot(a, `${last}-04`), await lot(b, String(year))]).toEqual([100, 300]);
    const orderId = randomUUID();
    await (s.ctx.db as Db).transaction((tx) => reserve(tx, { elderId, orderId, currency: 'points', amount: 130, actorId: null }));
    expect([await lot(a, `${last}-04`), await lot(b, String(year))]).toEqual([0, 270]);
    const draws = await queryRows<{ policy_id: string; period_key: string; amount: number }>(
      s.ctx.db,
      sql`SELECT policy_id, period_key, amount FROM grant_draws WHERE order_id = ${orderId} ORDER BY amount DESC`,
    );
    expect(draws.map((d) => [d.policy_id, d.period_key, Number(d.amount)])).toEqual([
      [a, `${last}-04`, 100],
      [b, String(year), 30],
    ]);
    expect(await available()).toBe(270);

    await (s.ctx.db as Db).transaction((tx) => release(tx, { elderId, orderId, currency: 'points', amount: 130 }));
    expect([await lot(a, `${last}-04`), await lot(b, String(year))]).toEqual([100, 300]);
    expect(await available()).toBe(400);
    expect((await checkLedger(s.ctx.db)).ok).toBe(true);
  });
});
