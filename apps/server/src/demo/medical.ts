import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { openElderPrivate } from '../modules/elders/elders.private.ts';
import { privateBox } from '../modules/elders/elders.repo.ts';
import { DEFAULT_CRITERIA } from '../modules/medical/episodes.service.ts';
import { backfillMedicalSeals } from '../modules/medical/medical.sealed.ts';
import { communityCode, DEMO_DISTRICT, streetCode } from './district.ts';
import type { DemoState } from './seed.ts';

/** The doctors' demo logins (role doctor), one per team; the demo password like every demo account. */
export const DEMO_DOCTORS = [
  { username: 'demo-doctor', name: '王建华', team: 0 },
  { username: 'demo-doctor-2', name: '刘芳', team: 1 },
  { username: 'demo-doctor-3', name: '陈志强', team: 2 },
] as const;

/** 0–99 from a row id and a salt: the same data always draws the same. */
const draw = (idSql: string, salt: string) =>
  sql.raw(`(('x' || substr(md5(${idSql}::text || '${salt}'), 1, 7))::bit(28)::int % 100)`);

/**
 * Demo step `medical` (医养结合): two community health centres (锦华, 望江) with three family-doctor
 * teams covering the district's 36 communities (two streets each), each team a doctor with a login,
 * a nurse and a public-health doctor; contracts for about 60 % of the active elders aged 65+ (the
 * package by their conditions and ability); the district's 家庭病床 criteria and five open episodes
 * with past rounds and their billing lines; today's home visits for demo-doctor (asked by a family
 * and the call centre, and a 家庭病床 round); partnerships of 福寿养老院 and two 养老服务站 with the
 * centres (福寿 with the green channel) and referrals in each state. A re-run adds nothing.
 */
export async function seedMedical(ctx: AppContext, state: DemoState) {
  const district = DEMO_DISTRICT.code;
  const today = cstDate();
  const hash = await hashPassword(state.demoPassword);
  await ctx.db.transaction(async (tx) => {
    const [had] = await queryRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM medical_orgs WHERE is_demo`);
    if (had.n > 0) return;
    const orgs = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO medical_orgs (name, kind, region_code, licence_no, address, phone, is_demo) VALUES
        ('锦华街道社区卫生服务中心', 'community_health_centre', ${streetCode(0)}, 'PDY00001-510107', '锦华路88号', '028-85550001', true),
        ('望江街道社区卫生服务中心', 'community_health_centre', ${streetCode(2)}, 'PDY00002-510107', '望江路16号', '028-85550002', true)
        RETURNING id`,
    );
    const teamDefs = [
      { org: orgs[0].id, name: '王建华家庭医生团队', streets: [0, 1] },
      { org: orgs[0].id, name: '刘芳家庭医生团队', streets: [2, 3] },
      { org: orgs[1].id, name: '陈志强家庭医生团队', streets: [4, 5] },
    ];
    const teams: string[] = [];
    for (const t of teamDefs) {
      const communities = t.streets.flatMap((s) => Array.from({ length: 6 }, (_x, c) => communityCode(s, c)));
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO doctor_teams (org_id, name, region_code, communities, is_demo)
          VALUES (${t.org}, ${t.name}, (SELECT region_code FROM medical_orgs WHERE id = ${t.org}),
            ARRAY[${sql.join(
              communities.map((c) => sql`${c}`),
              sql`, `,
            )}]::text[], true) RETURNING id`,
      );
      teams.push(row.id);
    }
    for (const [i, d] of DEMO_DOCTORS.entries()) {
      const [u] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO users (username, display_name, role, password_hash, must_change_password, is_demo)
          VALUES (${d.username}, ${`${d.name}（家庭医生）`}, 'doctor', ${hash}, false, true)
          ON CONFLICT DO NOTHING RETURNING id`,
      );
      const userId =
        u?.id ?? (await queryRows<{ id: string }>(tx, sql`SELECT id FROM users WHERE username = ${d.username}`))[0].id;
      await tx.execute(sql`INSERT INTO doctor_team_members (team_id, user_id, name, role, licence_no, is_leader) VALUES
        (${teams[d.team]}, ${userId}, ${d.name}, 'doctor', ${`11051010000${i + 1}`}, true),
        (${teams[d.team]}, NULL, ${['赵丽', '孙敏', '周静'][i]}, 'nurse', ${`N5101070000${i + 1}`}, false),
        (${teams[d.team]}, NULL, ${['钱勇', '吴磊', '郑红'][i]}, 'public_health', ${`G5101070000${i + 1}`}, false)`);
    }
    // Contracts: about 60 % of the active elders aged 65+, the demo elder 郑秀英 among them. The
    // health notes are sealed (elders.private.ts), so who has a chronic condition is read here.
    const health = (
      await queryRows<{ id: string; ability_level: string | null; elder_private: string }>(
        tx,
        sql`SELECT e.id, e.ability_level, ${privateBox('e')} AS elder_private FROM elders e
          WHERE e.status = 'active' AND e.region_code LIKE ${`${district}%`}`,
      )
    ).map((r) => ({ ...r, chronic: openElderPrivate(ctx.cipher, r.elder_private).chronicConditions }));
    const chronicIds = JSON.stringify(health.filter((h) => h.chronic.length > 0).map((h) => h.id));
    await tx.execute(sql`
      INSERT INTO doctor_contracts (elder_id, team_id, region_code, package, starts_on, ends_on, signed_at, is_demo)
      SELECT e.id, t.id, e.region_code,
        CASE WHEN e.ability_level IN ('severe', 'total') THEN 'disabled'
             WHEN e.id IN (SELECT value::uuid FROM json_array_elements_text(${chronicIds}::json)) THEN 'chronic' ELSE 'elderly' END,
        ${today}::date - (${draw('e.id', 'start')} * 3),
        ${today}::date - (${draw('e.id', 'start')} * 3) + interval '1 year' - interval '1 day',
        (${today}::date - (${draw('e.id', 'start')} * 3))::timestamp AT TIME ZONE 'Asia/Shanghai', true
      FROM elders e JOIN doctor_teams t ON e.region_code = ANY (t.communities) AND t.is_demo
      WHERE e.status = 'active' AND e.region_code LIKE ${`${district}%`}
        AND e.birth_date <= (${today}::date - interval '65 years')::date
        AND (${draw('e.id', 'contract')} < 60
          OR e.id = (SELECT u.elder_id FROM users u WHERE u.username = 'demo-elder'))`);

    // 家庭病床: the district's criteria and five open episodes of demo-doctor's team, among contracted elders who meet them.
    await tx.execute(sql`INSERT INTO home_bed_criteria (region_code, min_age, chronic_conditions, ability_levels)
      VALUES (${district}, ${DEFAULT_CRITERIA.minAge}, ARRAY[${sql.join(
        DEFAULT_CRITERIA.chronicConditions.map((c) => sql`${c}`),
        sql`, `,
      )}]::text[], ARRAY['moderate', 'severe', 'total']::text[])
      ON CONFLICT (region_code) DO NOTHING`);
    const chronicOf = new Map(health.map((h) => [h.id, h.chronic]));
    const qualifying = ['高血压', '糖尿病', '慢阻肺', '冠心病', '脑卒中后遗症'];
    const beds = (
      await queryRows<{ elder_id: string; region_code: string; ability_level: string | null; age: number }>(
        tx,
        sql`SELECT dc.elder_id, dc.region_code, e.ability_level,
            date_part('year', age(${today}::date, e.birth_date))::int AS age
          FROM doctor_contracts dc JOIN elders e ON e.id = dc.elder_id
          WHERE dc.team_id = ${teams[0]} AND dc.status = 'active'
          ORDER BY e.region_code, md5(e.id::text)`,
      )
    )
      .map((b) => ({ ...b, chronic: chronicOf.get(b.elder_id) ?? [] }))
      .filter(
        (b) => b.chronic.some((c) => qualifying.includes(c)) || ['moderate', 'severe', 'total'].includes(b.ability_level ?? ''),
      )
      .slice(0, 5)
      .map((b) => ({
        ...b,
        diagnosis: b.chronic.find((c) => DEFAULT_CRITERIA.chronicConditions.includes(c)) ?? '失能照护',
      }));
    const doctorMember = (
      await queryRows<{ id: string }>(
        tx,
        sql`SELECT m.id FROM doctor_team_members m JOIN users u ON u.id = m.user_id WHERE u.username = 'demo-doctor'`,
      )
    )[0].id;
    const plan = [
      { code: 'JCFY001', name: '家庭病床查床', amountFen: 3000 },
      { code: 'HLFY002', name: '上门护理', amountFen: 2000 },
      { code: 'JYFY003', name: '静脉采血', amountFen: 800 },
    ];
    for (const [i, b] of beds.entries()) {
      const admitted = addDays(today, -(7 + i * 4));
      const check = {
        eligible: true,
        checks: [
          { rule: 'min_age', passed: true, detail: `年龄 ${b.age} 岁（要求 ≥ ${DEFAULT_CRITERIA.minAge}）` },
          {
            rule: 'chronic_or_ability',
            passed: true,
            detail: b.diagnosis === '失能照护' ? '能力等级：失能' : `慢性病：${b.diagnosis}`,
          },
        ],
      };
      const [ep] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO home_bed_episodes (elder_id, team_id, region_code, diagnosis, admitted_on, criteria_check, visits_per_week,
            plan_items, is_demo)
          VALUES (${b.elder_id}, ${teams[0]}, ${b.region_code}, ${b.diagnosis}, ${admitted}, ${JSON.stringify(check)}::jsonb, 2,
            ${JSON.stringify(plan)}::jsonb, true) RETURNING id`,
      );
      // Rounds every three or four days since admission, each with its billing lines; one due today.
      for (let day = admitted; day < today; day = addDays(day, 3 + (i % 2))) {
        const [v] = await queryRows<{ id: string }>(
          tx,
          sql`INSERT INTO medical_visits (elder_id, region_code, team_id, source, episode_id, reason, status, scheduled_on, member_id,
              check_in_method, check_in_distance_m, findings, advice, vitals, visited_at, is_demo)
            VALUES (${b.elder_id}, ${b.region_code}, ${teams[0]}, 'episode', ${ep.id}, ${`家庭病床查床：${b.diagnosis}`}, 'done',
              ${day}, ${doctorMember}, 'gps', ${8 + i}, '生命体征平稳，伤口/症状较前好转', '继续当前治疗方案，注意休息',
              ${JSON.stringify({ systolic: 132 + i * 3, diastolic: 82, pulse: 76 })}::jsonb,
              (${day}::date + time '09:30')::timestamp AT TIME ZONE 'Asia/Shanghai', true) RETURNING id`,
        );
        await tx.execute(sql`INSERT INTO home_bed_billing_lines (episode_id, visit_id, item_code, item_name, quantity, amount_fen,
            service_on, is_demo)
          VALUES (${ep.id}, ${v.id}, 'JCFY001', '家庭病床查床', 1, 3000, ${day}, true),
                 (${ep.id}, ${v.id}, 'HLFY002', '上门护理', 1, 2000, ${day}, true)`);
      }
      await tx.execute(sql`INSERT INTO medical_visits (elder_id, region_code, team_id, source, episode_id, reason, status, scheduled_on,
          member_id, is_demo)
        VALUES (${b.elder_id}, ${b.region_code}, ${teams[0]}, 'episode', ${ep.id}, ${`家庭病床查床：${b.diagnosis}`}, 'scheduled',
          ${i < 2 ? today : addDays(today, 1 + i)}, ${doctorMember}, true)`);
    }

    // Today's asked-for visits of demo-doctor's team: from a family and from the call centre.
    await tx.execute(sql`
      INSERT INTO medical_visits (elder_id, region_code, team_id, source, reason, status, scheduled_on, member_id, is_demo)
      SELECT dc.elder_id, dc.region_code, dc.team_id, x.source, x.reason, x.status, x.on_day, x.member, true
      FROM (SELECT dc.*, row_number() OVER (ORDER BY md5(dc.elder_id::text || 'visit')) AS n
            FROM doctor_contracts dc WHERE dc.team_id = ${teams[0]} AND dc.status = 'active'
              AND dc.region_code = ${communityCode(0, 0)}
              AND NOT EXISTS (SELECT 1 FROM home_bed_episodes hb WHERE hb.elder_id = dc.elder_id)) dc
      JOIN (VALUES (1, 'family', '家属反映近两天头晕、血压偏高，请医生上门看看', 'requested', NULL::date, NULL::uuid),
                   (2, 'call_centre', '呼叫中心来电：老人腿脚浮肿，行动不便', 'scheduled', ${today}::date, ${doctorMember}::uuid),
                   (3, 'staff', '社区巡访发现老人服药不规律，请医生上门指导', 'requested', NULL::date, NULL::uuid))
        AS x(n, source, reason, status, on_day, member) ON x.n = dc.n`);

    // Partnerships: 福寿养老院 with the green channel; two community 养老服务站.
    const careOrgs = await queryRows<{ id: string; region_code: string; name: string }>(
      tx,
      sql`SELECT id, region_code, name FROM organizations WHERE is_demo AND (
          (type = 'institution') OR (type = 'community_centre' AND region_code IN (${communityCode(0, 0)}, ${communityCode(4, 0)})))
        ORDER BY type DESC, region_code`,
    );
    for (const o of careOrgs) {
      const medical = o.region_code.startsWith(streetCode(4)) ? orgs[1].id : orgs[0].id;
      await tx.execute(sql`INSERT INTO medical_partnerships (org_id, medical_org_id, region_code, agreement_no, starts_on, ends_on,
          green_channel, services, is_demo)
        VALUES (${o.id}, ${medical}, ${o.region_code}, ${`YYHZ-${today.slice(0, 4)}-${o.region_code.slice(-4)}`},
          ${addDays(today, -120)}, ${addDays(today, 610)}, ${o.name.includes('养老院')},
          ${o.name.includes('养老院') ? '每周巡诊两次；急症转诊绿色通道；慢病用药指导' : '每月健康讲座；签约老人随访'}, true)`);
    }

    // Referrals: from 福寿养老院 (green channel, waiting), from community staff (accepted, completed) and one refused.
    await tx.execute(sql`
      INSERT INTO medical_referrals (elder_id, region_code, source, from_org_id, medical_org_id, team_id, reason, urgency,
        green_channel, status, note, created_at, updated_at, is_demo)
      SELECT dc.elder_id, dc.region_code, x.source, CASE WHEN x.source = 'institution' THEN inst.id END, ${orgs[0].id}, ${teams[0]},
        x.reason, x.urgency, x.source = 'institution', x.status, x.note,
        now() - (x.n || ' days')::interval, now() - (x.n || ' hours')::interval, true
      FROM (SELECT dc.*, row_number() OVER (ORDER BY md5(dc.elder_id::text || 'referral')) AS n
            FROM doctor_contracts dc WHERE dc.team_id = ${teams[0]} AND dc.status = 'active') dc
      CROSS JOIN (SELECT id FROM organizations WHERE is_demo AND type = 'institution' LIMIT 1) inst
      JOIN (VALUES (1, 'institution', '跌倒后右髋疼痛，行走困难', 'urgent', 'pending', NULL),
                   (2, 'care_staff', '近一周食欲下降、乏力', 'normal', 'pending', NULL),
                   (3, 'care_staff', '血糖控制不佳', 'normal', 'accepted', '已接收，安排本周上门'),
                   (4, 'care_staff', '咳嗽两周未愈', 'normal', 'completed', '已上门诊治，症状缓解'),
                   (5, 'care_staff', '需要住院手术评估', 'normal', 'rejected', '超出社区诊疗范围，建议直接到区医院专科就诊'))
        AS x(n, source, reason, urgency, status, note) ON x.n = dc.n`);
  });
  // The visits, 家庭病床 and referrals above were drawn in SQL: seal them as every one is stored (0997).
  await backfillMedicalSeals(ctx);
}
