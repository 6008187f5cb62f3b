import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import * as repo from '../modules/care-visits/care-visits.repo.ts';
import { communityCode, DEMO_DISTRICT } from './district.ts';

/** How many days of visits the demo has behind it. */
export const DEMO_VISIT_DAYS = 28;

const RULES = [
  { groups: ['alone', 'age_90'], riskLevel: 'high', intervalDays: 7 },
  { groups: ['alone', 'age_80'], riskLevel: 'high', intervalDays: 14 },
  { groups: ['disabled'], riskLevel: 'high', intervalDays: 14 },
  { groups: ['empty_nest', 'age_80'], riskLevel: 'medium', intervalDays: 30 },
  { groups: ['semi_disabled'], riskLevel: 'medium', intervalDays: 30 },
  { groups: ['special_family'], riskLevel: 'medium', intervalDays: 30 },
  { groups: ['tekun'], riskLevel: 'low', intervalDays: 60 },
];

/** 0–99 from a row id and a salt: the same data always draws the same. */
const draw = (idSql: string, salt: string) =>
  sql.raw(`(('x' || substr(md5(${idSql}::text || '${salt}'), 1, 7))::bit(28)::int % 100)`);

/**
 * Demo step `care-visits`: the district's visit rules, groups computed from the demo archive,
 * plans (锦华路社区's split between demo-community and the grid worker demo-responder), four
 * weeks of visits — most on time, some late, a few never (overdue, escalated to the street) —
 * with findings from the form and their follow-ups, three in four closed. Bulk SQL, one day at a
 * time; a re-run adds nothing (the district already has rules).
 */
export async function seedCareVisits(ctx: AppContext) {
  const district = DEMO_DISTRICT.code;
  const today = cstDate();
  const start = addDays(today, -DEMO_VISIT_DAYS);
  await ctx.db.transaction(async (tx) => {
    const [had] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM care_visit_rules WHERE region_code = ${district}`,
    );
    if (had.n > 0) return;
    await repo.replaceRules(tx, district, RULES, null);
    await repo.computeGroups(tx, district, today);
    await repo.syncPlans(tx, district);
    // 锦华路社区: every other plan to the grid worker.
    await tx.execute(sql`UPDATE care_visit_plans p SET assignee_id = u.id FROM users u
      WHERE u.username = 'demo-responder' AND p.region_code = ${communityCode(0, 0)} AND ${draw('p.elder_id', 'grid')} < 50`);
    await repo.scheduleDue(tx, district, start);
    // New plans were due on the first day of the history.
    await tx.execute(sql`UPDATE care_visits SET due_on = ${start}::date - (${draw('id', 'start')} % 5), is_demo = true
      WHERE region_code LIKE ${`${district}%`} AND status = 'scheduled'`);
    for (let day = start; day < today; day = addDays(day, 1)) await visitDay(tx, district, day);
    await followUps(tx, district, today);
    const s = await repo.getSettings(tx, district);
    await repo.escalateOverdue(tx, district, today, s.escalateAfterDays);
    await households(tx, ctx);
  });
}

/** One day: due visits are made (most on their day, some a day or two late, a few never). */
async function visitDay(tx: DbOrTx, district: string, day: string) {
  const h = draw('v.id', 'form');
  const late = draw('v.id', 'late');
  await tx.execute(sql`
    WITH made AS (
      UPDATE care_visits v SET status = 'done',
        outcome = CASE WHEN ${h} < 5 THEN 'not_home' ELSE 'met' END,
        check_in_method = CASE WHEN ${late} < 20 THEN 'qr' ELSE 'gps' END,
        check_in_distance_m = CASE WHEN ${late} < 20 THEN NULL ELSE 5 + ${late} END,
        visited_by = v.assignee_id,
        visited_at = (${day}::date + time '09:00' + (${late} * interval '5 minutes')) AT TIME ZONE 'Asia/Shanghai',
        form = CASE WHEN ${h} < 5 THEN NULL ELSE jsonb_build_object(
          'health', CASE WHEN ${h} BETWEEN 22 AND 29 THEN 'poor' WHEN ${h} < 50 THEN 'fair' ELSE 'good' END,
          'mood', CASE WHEN ${h} BETWEEN 30 AND 33 THEN 'low' ELSE 'good' END,
          'gas', CASE WHEN ${h} BETWEEN 5 AND 8 THEN 'hazard' ELSE 'ok' END,
          'electricity', CASE WHEN ${h} = 9 THEN 'hazard' ELSE 'ok' END,
          'fallsRisk', CASE WHEN ${h} BETWEEN 10 AND 16 THEN 'high' ELSE 'low' END,
          'food', CASE WHEN ${h} BETWEEN 17 AND 21 THEN 'short' ELSE 'enough' END,
          'hygiene', 'ok',
          'medicines', CASE WHEN ${h} BETWEEN 34 AND 36 THEN 'problem' ELSE 'ok' END,
          'needs', CASE WHEN ${h} BETWEEN 37 AND 41 THEN '["adaptation"]'::jsonb WHEN ${h} BETWEEN 42 AND 44 THEN '["meal"]'::jsonb
                        ELSE '[]'::jsonb END) END,
        notes = CASE WHEN ${h} < 5 THEN '敲门无人应答，已电话联系家属' WHEN ${h} < 45 THEN '已向老人说明，需跟进' ELSE NULL END
      WHERE v.status = 'scheduled' AND v.region_code LIKE ${`${district}%`}
        AND v.due_on + (${late} % 3) <= ${day}::date AND ${draw('v.elder_id', 'never')} >= 6
      RETURNING v.id, v.elder_id, v.region_code, v.outcome, v.form, v.visited_at
    )
    INSERT INTO care_visit_findings (visit_id, elder_id, region_code, type, severity, detail, found_at, is_demo)
    SELECT m.id, m.elder_id, m.region_code, f.type, f.severity, f.detail, m.visited_at, true
    FROM made m CROSS JOIN LATERAL (VALUES
      ('not_home', m.outcome = 'not_home', 'concern', NULL),
      ('health', m.form->>'health' = 'poor', 'concern', NULL),
      ('mood', m.form->>'mood' = 'low', 'concern', NULL),
      ('gas', m.form->>'gas' = 'hazard', 'urgent', NULL),
      ('electricity', m.form->>'electricity' = 'hazard', 'urgent', NULL),
      ('falls', m.form->>'fallsRisk' = 'high', 'concern', NULL),
      ('food', m.form->>'food' = 'short', 'concern', NULL),
      ('medicines', m.form->>'medicines' = 'problem', 'concern', NULL),
      ('need', m.form->'needs' ? 'adaptation', 'concern', 'adaptation'),
      ('need', m.form->'needs' ? 'meal', 'concern', 'meal')
    ) AS f(type, yes, severity, detail)
    WHERE f.yes`);
  // The next visit of each plan, from this one.
  await repo.scheduleDue(tx, district, day);
  await tx.execute(
    sql`UPDATE care_visits SET is_demo = true WHERE region_code LIKE ${`${district}%`} AND status = 'scheduled' AND NOT is_demo`,
  );
}

/** Findings acted on: by type, most of them, three in four closed (some after their deadline). */
async function followUps(tx: DbOrTx, district: string, today: string) {
  await tx.execute(sql`
    INSERT INTO care_follow_ups (finding_id, elder_id, region_code, type, deadline, detail, created_by, created_at, is_demo)
    SELECT f.id, f.elder_id, f.region_code,
      CASE f.type WHEN 'gas' THEN 'street_task' WHEN 'electricity' THEN 'street_task' WHEN 'falls' THEN 'home_adaptation'
        WHEN 'need' THEN CASE WHEN f.detail = 'adaptation' THEN 'home_adaptation' ELSE 'street_task' END
        WHEN 'not_home' THEN 'street_task' ELSE 'doctor_referral' END,
      ((f.found_at AT TIME ZONE 'Asia/Shanghai')::date + 7),
      CASE f.type WHEN 'gas' THEN '燃气软管老化，协调燃气公司上门更换' WHEN 'electricity' THEN '插线板过载，协调电工上门检修'
        WHEN 'falls' THEN '卫生间加装扶手、铺防滑垫' WHEN 'food' THEN '联系长寿食堂送餐上门' WHEN 'not_home' THEN '联系家属确认老人去向'
        WHEN 'need' THEN CASE WHEN f.detail = 'adaptation' THEN '申请适老化改造评估' ELSE '申请助餐服务' END
        ELSE '请家庭医生上门查看' END,
      v.visited_by, f.found_at + interval '10 minutes', true
    FROM care_visit_findings f JOIN care_visits v ON v.id = f.visit_id
    WHERE f.region_code LIKE ${`${district}%`} AND ${draw('f.id', 'act')} < 85`);
  await tx.execute(sql`
    UPDATE care_follow_ups fu SET status = 'closed', closing_note = '已处理完毕',
      closed_at = LEAST(fu.created_at + (2 + ${draw('fu.id', 'days')} % 10) * interval '1 day', now() - interval '1 hour')
    WHERE fu.region_code LIKE ${`${district}%`} AND fu.created_at < ${today}::date - 3 AND ${draw('fu.id', 'close')} < 75`);
}

/** 一户一册 for the elders of 锦华路社区 who live alone or in an empty nest. */
async function households(tx: DbOrTx, ctx: AppContext) {
  const rows = await queryRows<{ id: string; region_code: string; living_situation: string; n: number }>(
    tx,
    sql`SELECT id, region_code, living_situation, ${draw('id', 'house')} AS n FROM elders
      WHERE is_demo AND region_code = ${communityCode(0, 0)} AND living_situation IN ('alone', 'empty_nest')`,
  );
  for (const e of rows) {
    const together = e.living_situation === 'empty_nest' ? [{ name: '老伴', relationship: '配偶', age: 80 }] : [];
    await repo.upsertHousehold(tx, {
      elderId: e.id,
      regionCode: e.region_code,
      members: together,
      carerName: e.n < 50 ? '女儿' : '儿子',
      carerPhoneEnc: ctx.cipher.encrypt(`1390000${String(1000 + e.n * 37).slice(-4)}`),
      housing: e.n < 70 ? 'own' : 'rented',
      housingCondition: e.n < 10 ? 'poor' : e.n < 60 ? 'fair' : 'good',
      housingNote: e.n < 10 ? '老旧小区，无电梯，楼道照明差' : null,
      keyHolderName: e.n < 60 ? '对门邻居' : null,
      keyHolderPhoneEnc: null,
      by: null,
    });
  }
}
