import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { cstMonth } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { drawClaim } from '../modules/health-records/ltc.service.ts';
import { backfillHealthSeals } from '../modules/health-records/records.sealed.ts';
import { DEMO_DISTRICT } from './district.ts';

/** 0–99 from a row's id and a salt: the same data always draws the same. */
const draw = (idSql: string, salt: string) =>
  sql.raw(`(('x' || substr(md5(${idSql}::text || '${salt}'), 1, 7))::bit(28)::int % 100)`);

const previousMonth = () => {
  const [y, m] = cstMonth().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * Demo step `health-records` (健康档案, 长护险): last year's physical for every active elder aged 65+
 * (values drawn per elder, a few above the bounds), four weeks of readings from every demo watch
 * (heart rate and SpO₂ every 6 hours, a morning blood pressure), the district's 长护险 pilot for
 * 重度 / 完全失能 paying 70 % of 生活照料 and 基础照护, up to 60 eligible elders enrolled, four verified
 * self-paid visits each last month, and last month's claim drawn for every provider that served
 * them. Bulk SQL, one transaction; a re-run adds nothing.
 */
export async function seedHealthRecords(ctx: AppContext) {
  const month = previousMonth();
  const year = Number(cstMonth().slice(0, 4)) - 1;
  const providers = await ctx.db.transaction(async (tx) => {
    const [had] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM ltc_policies WHERE is_demo`);
    if (had.n > 0) return [];
    await tx.execute(sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date, institution, height_cm, weight_kg, systolic,
        diastolic, heart_rate, fasting_glucose, total_cholesterol, triglycerides, ecg, conclusion, is_demo)
      SELECT e.id, ${year}, make_date(${year}, 4 + ${draw('e.id', 'm')} % 6, 1 + ${draw('e.id', 'd')} % 28),
             CASE WHEN ${draw('e.id', 'c')} < 50 THEN '锦华街道社区卫生服务中心' ELSE '望江街道社区卫生服务中心' END,
             CASE e.sex WHEN 'male' THEN 160 ELSE 150 END + ${draw('e.id', 'h')} % 16,
             CASE e.sex WHEN 'male' THEN 55 ELSE 47 END + ${draw('e.id', 'w')} % 25 + 0.5,
             112 + ${draw('e.id', 's')} % 50, 66 + ${draw('e.id', 'a')} % 28, 60 + ${draw('e.id', 'r')} % 30,
             round((4.6 + ${draw('e.id', 'g')} % 40 / 10.0)::numeric, 1), round((3.8 + ${draw('e.id', 'l')} % 30 / 10.0)::numeric, 1),
             round((0.8 + ${draw('e.id', 't')} % 20 / 10.0)::numeric, 1),
             CASE WHEN ${draw('e.id', 'e')} < 85 THEN '窦性心律' ELSE '窦性心律，ST段轻度改变' END,
             CASE WHEN 112 + ${draw('e.id', 's')} % 50 >= 140 THEN '血压偏高，建议社区随访复查'
                  WHEN ${draw('e.id', 'g')} >= 25 THEN '空腹血糖偏高，建议复查糖化血红蛋白'
                  ELSE '未见明显异常' END,
             true
        FROM elders e
       WHERE e.is_demo AND e.status = 'active' AND e.birth_date <= (now() - interval '65 years')::date
      ON CONFLICT (elder_id, exam_year) DO NOTHING`);
    // Four weeks of watch readings: heart rate and SpO₂ every 6 hours, blood pressure each morning.
    await tx.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source, device_id, is_demo)
      SELECT d.elder_id, c.code,
             CASE c.code WHEN 'heart_rate' THEN 64 + (${draw('d.id', 'hr')} % 14) + ((g * 7 + ${draw('d.id', 'x')}) % 11)
                         ELSE 94 + ((g * 3 + ${draw('d.id', 'o')}) % 5) END,
             date_trunc('hour', now()) - g * interval '6 hours', 'device', d.id, true
        FROM devices d CROSS JOIN generate_series(0, 111) g CROSS JOIN (VALUES ('heart_rate'), ('spo2')) c(code)
       WHERE d.is_demo AND d.type = 'watch' AND d.elder_id IS NOT NULL`);
    await tx.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source, device_id, is_demo)
      SELECT d.elder_id, c.code,
             CASE c.code WHEN 'systolic' THEN 118 + (${draw('d.id', 'bp')} % 30) + ((g * 5) % 13) ELSE 70 + (${draw('d.id', 'dp')} % 15) + (g % 7) END,
             date_trunc('day', now()) + interval '30 minutes' - g * interval '1 day', 'device', d.id, true
        FROM devices d CROSS JOIN generate_series(0, 27) g CROSS JOIN (VALUES ('systolic'), ('diastolic')) c(code)
       WHERE d.is_demo AND d.type = 'watch' AND d.elder_id IS NOT NULL`);

    const [policy] = await queryRows<{ id: string; item_ids: string[] }>(
      tx,
      sql`INSERT INTO ltc_policies (region_code, name, eligible_levels, item_ids, monthly_hours, monthly_cap_fen, pay_percent, valid_from, is_demo)
        SELECT ${DEMO_DISTRICT.code}, '智养示范区长期护理保险试点', '{severe,total}', array_agg(id ORDER BY code), 30, 120000, 70,
               make_date(${year}, 1, 1), true
          FROM service_items WHERE category IN ('daily_care', 'basic_care') AND active
        RETURNING id, item_ids`,
    );
    await tx.execute(sql`INSERT INTO ltc_enrolments (policy_id, elder_id, ability_level, assessment_id, enrolled_at, is_demo)
      SELECT ${policy.id}, la.elder_id, la.level, la.id, make_date(${year}, 6, 1), true
        FROM (SELECT DISTINCT ON (a.elder_id) a.elder_id, a.id, a.level FROM assessments a JOIN elders e ON e.id = a.elder_id
               WHERE a.status = 'signed' AND e.is_demo AND e.status = 'active'
               ORDER BY a.elder_id, a.assessed_on DESC, a.created_at DESC) la
       WHERE la.level IN ('severe', 'total')
       ORDER BY md5(la.elder_id::text) LIMIT 60`);
    // Last month: four visits each from a provider serving the elder's community, checked in and out.
    await tx.execute(sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, provider_id, worker_id, channel, status,
        scheduled_at, duration_minutes, payment, is_demo, served_at, confirmed_at)
      SELECT 'LTC' || replace(${month}, '-', '') || lpad((row_number() OVER ())::text, 5, '0'), e.elder_id, el.region_code, p.item_id,
             p.org_id, p.worker_id, 'console', 'confirmed',
             (${`${month}-01`}::date + (k * 7 - 4 + ${draw('e.elder_id', 'k')} % 3) * interval '1 day' + interval '1 hour') AT TIME ZONE 'UTC',
             si.duration_minutes, 'self', true, now(), now()
        FROM ltc_enrolments e JOIN elders el ON el.id = e.elder_id
        CROSS JOIN LATERAL (SELECT po.org_id, po.item_id, (SELECT ps.user_id FROM provider_staff ps WHERE ps.org_id = po.org_id
                              ORDER BY ps.user_id LIMIT 1) AS worker_id
                              FROM provider_offerings po JOIN provider_areas pa ON pa.org_id = po.org_id AND pa.region_code = el.region_code
                             WHERE po.item_id = ANY (${`{${policy.item_ids.join(',')}}`}::uuid[]) ORDER BY po.org_id, po.item_id LIMIT 1) p
        JOIN service_items si ON si.id = p.item_id
        CROSS JOIN generate_series(1, 4) k
       WHERE e.policy_id = ${policy.id} AND p.worker_id IS NOT NULL`);
    await tx.execute(sql`INSERT INTO service_visits (order_id, worker_id, check_in_at, check_in_method, check_out_at, check_out_method)
      SELECT so.id, so.worker_id, so.scheduled_at, 'gps', so.scheduled_at + so.duration_minutes * interval '1 minute', 'gps'
        FROM service_orders so WHERE so.is_demo AND so.no LIKE ${`LTC${month.replace('-', '')}%`}`);
    return queryRows<{ provider_id: string }>(
      tx,
      sql`SELECT DISTINCT provider_id FROM service_orders WHERE is_demo AND no LIKE ${`LTC${month.replace('-', '')}%`}`,
    ).then((rows) => rows.map((r) => ({ policyId: policy.id, providerId: r.provider_id })));
  });
  for (const p of providers) await drawClaim(ctx, SYSTEM_ACTOR, { ...p, month });
  await ctx.db.execute(sql`UPDATE ltc_claims SET is_demo = true WHERE policy_id IN (SELECT id FROM ltc_policies WHERE is_demo)`);
  // The physicals above were drawn in SQL: seal them as every physical is stored (0996).
  await backfillHealthSeals(ctx);
}
