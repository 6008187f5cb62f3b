import { cstDate } from '../../lib/dates.ts';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer } from '../../testing/server.ts';

/** The 优待证 tests' world: a test server with the tree and staff at each level. */

export const today = cstDate();
/** Born `years` years before today, a day more or less: `bornAgo(60)` is 60 today, `bornAgo(60, 1)` 60 tomorrow. */
export function bornAgo(years: number, daysLater = 0) {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() + daysLater);
  return d.toISOString().slice(0, 10);
}

export async function cardWorld() {
  const s = await startTestServer();
  await seedTree(s.ctx);
  const district = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
  const street = (await clientAs(s.app, s.ctx, 'street_staff', { regionCode: TREE.streetA })).api;
  const community = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 })).api;
  const communityB = (await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 })).api;
  return { s, district, street, community, communityB };
}
