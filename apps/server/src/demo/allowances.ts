import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { addMonths, cstMonth } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { ageForMonth } from '../modules/allowances/allowances.rules.ts';
import { approveRoll, generateRoll } from '../modules/allowances/rolls.service.ts';
import { DEMO_DISTRICT } from './district.ts';
import { seededRandom } from './random.ts';

/** At most this many demo recipients: enough to page through, quick to seed. */
export const DEMO_RECIPIENTS = 300;
const TIERS: Array<[number, number | null, number]> = [
  [80, 89, 10000],
  [90, 99, 20000],
  [100, null, 50000],
];
const BANKS = ['中国农业银行', '中国工商银行', '成都农商银行', '中国邮政储蓄银行'];
/** The first demo elders (锦华路社区, demo-community's) wait at each step of the chain, so every review list has something. */
const WAITING: Array<'community' | 'street' | 'district' | 'notice'> = ['community', 'community', 'street', 'district', 'notice'];

/**
 * Demo step `allowances`: the district's three tiers for this year and last, up to 300 recipients
 * among the demo elders aged 80+ (in a fixed order, bank accounts from a fixed seed), paid since
 * six months ago and verified last month, five applications waiting along the chain, and last
 * month's roll generated and approved through the same service as the console. Bulk SQL.
 */
export async function seedAllowances(ctx: AppContext) {
  const rnd = seededRandom(1700);
  const cur = cstMonth();
  const last = addMonths(cur, -1);
  const year = Number(cur.slice(0, 4));
  const district = DEMO_DISTRICT.code;
  await ctx.db.transaction(async (tx) => {
    for (const y of [year - 1, year])
      for (const [minAge, maxAge, fen] of TIERS)
        await tx.execute(sql`
          INSERT INTO allowance_tiers (region_code, year, min_age, max_age, monthly_fen, effective_from, effective_to)
          VALUES (${district}, ${y}, ${minAge}, ${maxAge}, ${fen}, ${`${y}-01-01`}, ${`${y}-12-31`})
          ON CONFLICT DO NOTHING`);
    await tx.execute(sql`INSERT INTO allowance_settings (region_code) VALUES (${district}) ON CONFLICT DO NOTHING`);
    const elders = (
      await queryRows<{ id: string; region_code: string; birth_date: string; name: string }>(
        tx,
        sql`SELECT id, region_code, birth_date::text AS birth_date, name FROM elders e
          WHERE is_demo AND status = 'active' AND hukou_local AND region_code LIKE ${`${district}%`}
            AND NOT EXISTS (SELECT 1 FROM allowance_applications a WHERE a.elder_id = e.id)
          ORDER BY region_code, birth_date, name, id_number_hash`,
      )
    )
      .filter((e) => ageForMonth(e.birth_date, addMonths(cur, -6)) >= 80)
      .slice(0, DEMO_RECIPIENTS + WAITING.length);
    const paidFrom = addMonths(cur, -6);
    for (let i = 0; i < elders.length; i += 100) {
      const rows = elders.slice(i, i + 100).map((e, k) => {
        const n = i + k;
        const status = n < WAITING.length ? WAITING[n] : 'active';
        const account = `6228${String(rnd.int(0, 999_999_999)).padStart(9, '0')}${String(n).padStart(4, '0')}`;
        return sql`(${e.id}::uuid, ${e.region_code}, 'staff', ${status}, ${rnd.pick(BANKS)}, ${ctx.cipher.encrypt(account)},
          ${e.name}, ${status === 'active' ? paidFrom : null}, ${status === 'notice' ? sql`CURRENT_DATE + 5` : null})`;
      });
      const inserted = await queryRows<{ id: string; status: string; elder_id: string }>(
        tx,
        sql`INSERT INTO allowance_applications (elder_id, region_code, source, status, bank_name, bank_account_enc,
              account_holder, paid_from, notice_ends_on)
            VALUES ${sql.join(rows, sql`, `)} ON CONFLICT DO NOTHING RETURNING id, status, elder_id`,
      );
      if (!inserted.length) continue;
      await tx.execute(sql`
        INSERT INTO allowance_events (application_id, action, from_status, to_status, actor_name)
        VALUES ${sql.join(
          inserted.map(
            (a) => sql`(${a.id}::uuid, 'applied', NULL, ${a.status === 'active' ? 'community' : a.status}, '示范数据')`,
          ),
          sql`, `,
        )}`);
      const active = inserted.filter((a) => a.status === 'active');
      if (active.length)
        await tx.execute(sql`
          INSERT INTO allowance_verifications (elder_id, period, method, result, note)
          VALUES ${sql.join(
            active.map((a) => sql`(${a.elder_id}::uuid, ${last}, 'in_person', 'passed', '社区工作人员入户核验')`),
            sql`, `,
          )}`);
    }
  });
  const roll = await generateRoll(ctx, SYSTEM_ACTOR, { regionCode: district, month: last });
  if (roll.status === 'draft') await approveRoll(ctx, SYSTEM_ACTOR, roll.id);
}
