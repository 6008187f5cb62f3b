import { ASSESSMENT_ITEMS, parseIdNumber, scoreAssessment } from '@zhiyang/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { assessments } from '../modules/assessments/assessments.schema.ts';
import { clearValue } from '../modules/elders/elders.present.ts';
import { openElderRow } from '../modules/elders/elders.private.ts';
import { elders } from '../modules/elders/elders.schema.ts';
import { users } from '../modules/users/users.schema.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { seedDistrict } from './district.ts';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, seedElders } from './elders.ts';

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

  it('gives every elder a sex that agrees with the ID number and the given name', async () => {
    const rows = await s.ctx.db.select().from(elders);
    for (const r of rows) {
      const parsed = parseIdNumber(clearValue(s.ctx.cipher, r.idNumberEnc) ?? '');
      expect(parsed.ok && parsed.value.sex, r.name).toBe(r.sex);
      const given = r.name.slice(1);
      const list = r.sex === 'male' ? MALE_GIVEN_NAMES : FEMALE_GIVEN_NAMES;
      expect(list, `${r.name} (${r.sex})`).toContain(given);
    }
    expect(rows.find((r) => r.name === '郑秀英')?.sex).toBe('female');
  });

  it('writes addresses without a doubled character and a hukou that agrees with 本地户籍', async () => {
    const sealed = await s.ctx.db.select().from(elders);
    // Stored sealed (0995): nothing of the address in clear but the street for lists.
    for (const r of sealed)
      expect(r.plainAddress === null && r.privateEnc !== null && r.addressMasked?.endsWith('****')).toBe(true);
    const rows = sealed.map((r) => ({ ...r, address: openElderRow(s.ctx.cipher, r).address }));
    for (const r of rows) {
      expect(r.address ?? '').not.toMatch(/([\u4e00-\u9fff])\1/);
      expect(r.address ?? '').toMatch(/^[\u4e00-\u9fff]+[路街巷道]\d+号\d+栋\d单元\d+$/);
      expect(r.hukouLocal ? r.hukouRegionCode === '990101' : r.hukouRegionCode !== '990101').toBe(true);
    }
    expect(rows.some((r) => r.address?.startsWith('锦华路1') || r.address?.startsWith('锦华路2'))).toBe(true);
  });

  it('dates each archive before its assessments', async () => {
    const [row] = await queryRows<{ n: string }>(
      s.ctx.db,
      sql`SELECT count(*) AS n FROM assessments a JOIN elders e ON e.id = a.elder_id WHERE e.created_at > a.created_at`,
    );
    expect(Number(row.n)).toBe(0);
  });

  it('fills in assessment sheets whose answers, totals and levels agree', async () => {
    const rows = await s.ctx.db.select().from(assessments);
    const levels = new Set<string>();
    const max = Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, i.max]));
    for (const a of rows) {
      const scores = a.scores as Record<string, number>;
      const again = scoreAssessment(scores, a.background as never);
      expect(again.total).toBe(a.total);
      expect(again.level).toBe(a.level);
      expect(again.preliminaryLevel).toBe(a.preliminaryLevel);
      levels.add(a.level as string);
      // Whoever recognises no one has lost memory and orientation in time and place as well;
      // whoever cannot get from bed to chair cannot climb stairs.
      if (scores.person_orientation === 0) {
        expect(scores.memory).toBe(0);
        expect(scores.time_orientation).toBe(0);
        expect(scores.place_orientation).toBe(0);
      }
      if (scores.memory === max.memory) expect(scores.person_orientation).toBe(max.person_orientation);
      if (scores.bed_chair_transfer === 0) expect(scores.stairs).toBe(0);
      // A dementia diagnosis goes with marked cognitive decline on the sheet, and only with it.
      const mental = ['time_orientation', 'place_orientation', 'person_orientation', 'memory'].reduce((n, k) => n + scores[k], 0);
      const mentalMax = ['time_orientation', 'place_orientation', 'person_orientation', 'memory'].reduce((n, k) => n + max[k], 0);
      if ((a.background as { dementiaOrMentalDisorder: boolean }).dementiaOrMentalDisorder)
        expect(mental).toBeLessThanOrEqual(mentalMax * 0.6);
    }
    // Every level occurs, most elders are intact or mildly impaired.
    expect([...levels].sort()).toEqual(['intact', 'mild', 'moderate', 'severe', 'total']);
    const share = (l: string) => rows.filter((a) => a.level === l).length / rows.length;
    expect(share('intact') + share('mild')).toBeGreaterThan(0.5);
  });
});
