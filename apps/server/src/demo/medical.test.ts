import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedMedical } from './medical.ts';

let s: TestServer;
const PASSWORD = 'Demo#Pass2026';
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: PASSWORD });
  await seedElders(s.ctx);
  await seedMedical(s.ctx, { demoPassword: PASSWORD });
});
afterAll(() => s.close());

describe('demo 医养结合', () => {
  it('two centres, three teams, about 60 % of elders 65+ contracted, five open 家庭病床, demo-doctor has today’s visits', async () => {
    const login = async (u: string) => client(s.app, await loginToken(s.app, u, PASSWORD));
    const district = await login('demo-district');
    const orgs = (await district.get('/api/v1/medical-orgs')).json();
    expect(orgs.items).toHaveLength(2);
    const teams = (await district.get('/api/v1/doctor-teams')).json();
    expect(teams.items).toHaveLength(3);
    expect(teams.items.every((t: { members: unknown[] }) => t.members.length === 3)).toBe(true);
    const cov = (await district.get('/api/v1/doctor-contracts/coverage')).json();
    expect(cov.total.elders65).toBeGreaterThan(0);
    expect(cov.total.rate).toBeGreaterThan(0.5);
    expect(cov.total.rate).toBeLessThan(0.7);
    const beds = (await district.get('/api/v1/home-bed-episodes?status=open&count=true')).json();
    expect(beds.total).toBe(5);
    const partners = (await district.get('/api/v1/medical-partnerships')).json();
    expect(
      partners.items.some((p: { greenChannel: boolean; orgName: string }) => p.greenChannel && p.orgName === '福寿养老院'),
    ).toBe(true);

    const doctor = await login('demo-doctor');
    const today = (await doctor.get(`/api/v1/medical-visits?mine=true&on=${cstDate()}&count=true`)).json();
    expect(today.total).toBeGreaterThanOrEqual(4);
    const referrals = (await doctor.get('/api/v1/medical-referrals?status=pending')).json();
    expect(referrals.items.length).toBe(2);
    expect(referrals.items.every((r: { reason: string }) => r.reason.length > 0)).toBe(true);
    // Drawn in SQL, stored as every 医养结合 row is (0997): sealed, nothing in the plain columns.
    const [stored] = await queryRows<{ plain: number; sealed: number }>(
      s.ctx.db,
      sql`SELECT (SELECT count(*)::int FROM medical_visits WHERE private_enc IS NULL OR reason IS NOT NULL OR findings IS NOT NULL)
               + (SELECT count(*)::int FROM home_bed_episodes WHERE private_enc IS NULL OR diagnosis IS NOT NULL)
               + (SELECT count(*)::int FROM medical_referrals WHERE private_enc IS NULL OR reason IS NOT NULL) AS plain,
                 (SELECT count(*)::int FROM home_bed_episodes WHERE private_enc IS NOT NULL) AS sealed`,
    );
    expect(stored).toEqual({ plain: 0, sealed: 5 });
    // The elder's phone page: 郑秀英 has a family doctor.
    const elder = await login('demo-elder');
    expect((await elder.post('/api/v1/medical-visits', { reason: '想请医生上门量血压' })).statusCode).toBe(201);

    const before = (await district.get('/api/v1/doctor-contracts?count=true&limit=1')).json().total;
    await seedMedical(s.ctx, { demoPassword: PASSWORD });
    expect((await district.get('/api/v1/doctor-contracts?count=true&limit=1')).json().total).toBe(before);
  });
});
