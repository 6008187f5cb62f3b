import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { client, loginToken } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedHealthRecords } from './health-records.ts';
import { seedSafetyDevices } from './safety.ts';
import { seedServiceProviders } from './service-providers.ts';

let s: TestServer;
const PASSWORD = 'Demo#Pass2026';
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: PASSWORD });
  await seedElders(s.ctx);
  await seedServiceProviders(s.ctx, { demoPassword: PASSWORD });
  await seedSafetyDevices(s.ctx);
  await seedHealthRecords(s.ctx);
  await seedHealthRecords(s.ctx); // a re-run adds nothing
});
afterAll(() => s.close());

describe('demo 健康档案 and 长护险', () => {
  it('physicals, four weeks of watch readings, the pilot with enrolled elders and last month’s claims', async () => {
    const [c] = await queryRows<{
      physicals: number;
      readings: number;
      policies: number;
      enrolled: number;
      claims: number;
      lines: number;
    }>(
      s.ctx.db,
      sql`SELECT (SELECT count(*)::int FROM health_physicals) AS physicals, (SELECT count(*)::int FROM health_observations) AS readings,
                 (SELECT count(*)::int FROM ltc_policies) AS policies, (SELECT count(*)::int FROM ltc_enrolments) AS enrolled,
                 (SELECT count(*)::int FROM ltc_claims) AS claims, (SELECT count(*)::int FROM ltc_claim_lines) AS lines`,
    );
    expect(c.physicals).toBeGreaterThan(100);
    expect(c.readings).toBeGreaterThan(1000);
    expect(c.policies).toBe(1);
    expect(c.enrolled).toBeGreaterThan(5);
    expect(c.claims).toBeGreaterThan(0);
    expect(c.lines).toBeGreaterThan(c.enrolled);

    const district = client(s.app, await loginToken(s.app, 'demo-district', PASSWORD));
    const claims = (await district.get('/api/v1/ltc-claims')).json();
    expect(claims.items.every((x: { lines: number }) => x.lines > 0)).toBe(true);
    const [watchElder] = await queryRows<{ elder_id: string }>(
      s.ctx.db,
      sql`SELECT elder_id FROM devices WHERE type = 'watch' AND elder_id IS NOT NULL LIMIT 1`,
    );
    const trends = (await district.get(`/api/v1/elders/${watchElder.elder_id}/health/vitals?days=30&reason=演示`)).json();
    expect(trends.series.map((x: { code: string }) => x.code).sort()).toEqual(['diastolic', 'heart_rate', 'spo2', 'systolic']);
  });
});
