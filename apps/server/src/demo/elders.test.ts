import { parseIdNumber } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { clearValue } from '../modules/elders/elders.present.ts';
import { elders } from '../modules/elders/elders.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedDistrict(s.ctx, { demoPassword: 'Demo#Pass2026' });
  await seedElders(s.ctx);
});
afterAll(() => s.close());

describe('demo elders', () => {
  it('spreads 3,000 elders with valid ID numbers over all 36 communities, about half assessed', async () => {
    const rows = await s.ctx.db.select().from(elders);
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.regionCode)).size).toBe(36);
    const assessed = rows.filter((r) => r.abilityLevel).length;
    expect(assessed).toBeGreaterThan(1300);
    expect(assessed).toBeLessThan(1700);
    for (const r of rows.slice(0, 200)) {
      const parsed = parseIdNumber(clearValue(s.ctx.cipher, r.idNumberEnc) ?? '');
      expect(parsed.ok && parsed.value.birthDate).toBe(r.birthDate);
    }
    const [stats] = await queryRows<Record<string, unknown>>(
      s.ctx.db,
      sql`SELECT min(birth_date) AS oldest, max(birth_date) AS youngest, count(*) FILTER (WHERE 'centenarian' = ANY(categories)) AS c FROM elders`,
    );
    expect(String(stats.oldest) >= '1922-01-01').toBe(true);
    expect(String(stats.youngest) <= '1966-06-30').toBe(true);
    expect(Number(stats.c)).toBeGreaterThan(0);
  });

  it('binds the demo elder and family accounts to 郑秀英', async () => {
    const [u] = await s.ctx.db.select().from(users).where(eq(users.username, 'demo-family'));
    const [e] = await s.ctx.db
      .select()
      .from(elders)
      .where(eq(elders.id, u.elderId as string));
    expect(e.name).toBe('郑秀英');
  });
});
