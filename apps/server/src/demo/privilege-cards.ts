import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { cardNumber, expiryOf } from '../modules/privilege-cards/privilege-cards.rules.ts';
import { DEMO_DISTRICT } from './district.ts';

/** Demo cards: a few dozen, quick to seed. */
export const DEMO_CARDS = 36;
const PASSED = [
  { source: 'hrss', passed: true, reason: null },
  { source: 'police', passed: true, reason: null },
  { source: 'health', passed: true, reason: null },
];

/**
 * Demo step `privilege-cards`: 36 issued 老年人优待证 in the demo district — demo-elder's elder first
 * (so the phone page shows the card), then demo elders of 60+ in a fixed order — numbered 1…36 of
 * the district's sequence, issued today (China) and valid five years. Bulk SQL; a re-run adds none.
 */
export async function seedPrivilegeCards(ctx: AppContext) {
  const district = DEMO_DISTRICT.code;
  const today = cstDate();
  await ctx.db.transaction(async (tx) => {
    // Seeded once: a re-run (or a district that already issues cards) adds none.
    const [had] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM privilege_cards WHERE region_code LIKE ${`${district}%`}`,
    );
    if (had.n > 0) return;
    const elders = await queryRows<{ id: string; region_code: string }>(
      tx,
      sql`SELECT e.id, e.region_code FROM elders e
        LEFT JOIN users u ON u.elder_id = e.id AND u.username = 'demo-elder'
        WHERE e.is_demo AND e.status = 'active' AND e.region_code LIKE ${`${district}%`}
          AND e.birth_date <= (${today}::date - interval '60 years')
          AND NOT EXISTS (SELECT 1 FROM privilege_cards c WHERE c.elder_id = e.id)
        ORDER BY (u.id IS NULL), e.region_code, e.birth_date, e.name, e.id_number_hash
        LIMIT ${DEMO_CARDS}`,
    );
    if (!elders.length) return;
    const [seq] = await queryRows<{ next_no: number }>(
      tx,
      sql`INSERT INTO privilege_card_sequences (region_code, next_no) VALUES (${district}, ${elders.length + 1})
        ON CONFLICT (region_code) DO UPDATE SET next_no = privilege_card_sequences.next_no + ${elders.length}
        RETURNING next_no`,
    );
    const first = seq.next_no - elders.length;
    const rows = elders.map(
      (e, i) => sql`(${e.id}::uuid, ${e.region_code}, 'staff', 'issued', ${JSON.stringify(PASSED)}::jsonb, now(), now(),
        ${cardNumber(district, today.slice(0, 4), first + i)}, ${today}::date, ${expiryOf(today)}::date)`,
    );
    await tx.execute(sql`
      INSERT INTO privilege_cards (elder_id, region_code, source, status, check_results, checked_at, decided_at,
        card_no, issued_on, expires_on)
      VALUES ${sql.join(rows, sql`, `)} ON CONFLICT DO NOTHING`);
  });
}
