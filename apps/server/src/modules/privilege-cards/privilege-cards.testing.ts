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
  const a1 = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
  const b1 = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityB1 });
  /** Upload a file as a multipart form (the import routes). */
  const upload = (token: string, url: string, m: { body: Buffer; contentType: string }) =>
    s.app.inject({
      method: 'POST',
      url,
      payload: m.body,
      headers: { authorization: `Bearer ${token}`, 'content-type': m.contentType },
    });
  return { s, district, street, community: a1.api, communityB: b1.api, tokens: { a1: a1.token, b1: b1.token }, upload };
}
