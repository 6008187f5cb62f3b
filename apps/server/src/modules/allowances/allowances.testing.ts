import { expect } from 'vitest';
import { addMonths, cstMonth } from '../../lib/dates.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer } from '../../testing/server.ts';

/** The allowance tests' world: a test server with the tree, staff at each level, this year's and last year's tiers. */

// Months relative to the current month in China, so the tests hold on any day and at any hour.
export const cur = cstMonth();
export const m1 = addMonths(cur, -1);
export const m2 = addMonths(cur, -2);
export const m3 = addMonths(cur, -3);
export const Y = Number(cur.slice(0, 4));
export const bank = { bankName: '测试银行', bankAccount: '6222020000001234', accountHolder: '本人' };
/** Born on the 15th of January, `age` years before this year: the same band in every month tested. */
export const bornAged = (age: number) => `${Y - age}-01-15`;

export async function allowanceWorld() {
  const s = await startTestServer();
  await seedTree(s.ctx);
  const district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const street = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  const community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  const communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  for (const year of [Y - 1, Y]) {
    for (const [minAge, maxAge, monthlyFen] of [
      [80, 89, 10000],
      [90, 99, 20000],
      [100, null, 50000],
    ] as const) {
      const r = await district.post('/api/v1/allowance-tiers', {
        regionCode: TREE.district,
        year,
        minAge,
        maxAge,
        monthlyFen,
        effectiveFrom: `${year}-01-01`,
        effectiveTo: `${year}-12-31`,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  }
  /** A walk-in application by community A1's staff. */
  async function apply(elderId: string, body: Record<string, unknown> = {}) {
    const r = await community.post('/api/v1/allowance-applications', { elderId, ...bank, ...body });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  }
  return { s, district, street, community, communityB, apply };
}
