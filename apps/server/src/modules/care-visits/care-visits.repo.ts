import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';

const like = (prefix: string) => `${escapeLike(prefix)}%`;
const and = (parts: Array<SQL | undefined | false>) => {
  const list = parts.filter((p): p is SQL => Boolean(p));
  return list.length ? sql.join(list, sql` AND `) : sql`true`;
};
/** The actor's reach over a row's region, plus an optional narrower region filter. */
export const scopeOf = (actor: Actor, column: SQL, regionCode?: string) =>
  and([regionScope(column, actor) ?? sql`true`, regionCode ? sql`${column} LIKE ${like(regionCode)}` : undefined]);

// ---------------------------------------------------------------------------------------------
// Groups

/**
 * Recompute the archive's groups of every active elder under `prefix`: living situation,
 * categories, disability level, the ability level of the latest approved assessment (kept on the
 * archive) and age on `today`. Rows no longer true go; staff-set rows are not touched.
 */
export async function computeGroups(tx: DbOrTx, prefix: string, today: string) {
  const [r] = await queryRows<{ added: number; removed: number }>(
    tx,
    sql`WITH target AS (
      SELECT e.id, e.region_code, g.code
      FROM elders e
      CROSS JOIN LATERAL (VALUES
        ('alone', e.living_situation = 'alone'),
        ('empty_nest', e.living_situation = 'empty_nest'),
        ('disabled', e.ability_level IN ('severe', 'total') OR 'disabled_care' = ANY (e.categories)),
        ('semi_disabled', e.ability_level = 'moderate'),
        ('severe_disability', 'severe_disability' = ANY (e.categories) OR e.disability_level IN (1, 2)),
        ('tekun', 'tekun' = ANY (e.categories)),
        ('dibao', 'dibao' = ANY (e.categories)),
        ('special_family', 'special_family' = ANY (e.categories)),
        ('age_80', e.birth_date <= (${today}::date - interval '80 years')::date),
        ('age_90', e.birth_date <= (${today}::date - interval '90 years')::date),
        ('age_100', e.birth_date <= (${today}::date - interval '100 years')::date OR 'centenarian' = ANY (e.categories))
      ) AS g(code, yes)
      WHERE g.yes AND e.status = 'active' AND e.region_code LIKE ${like(prefix)}
    ), removed AS (
      DELETE FROM care_group_members m
      WHERE m.source = 'computed' AND m.region_code LIKE ${like(prefix)}
        AND NOT EXISTS (SELECT 1 FROM target t WHERE t.id = m.elder_id AND t.code = m.group_code)
      RETURNING 1
    ), added AS (
      INSERT INTO care_group_members (elder_id, group_code, source, region_code)
      SELECT id, code, 'computed', region_code FROM target
      ON CONFLICT (elder_id, group_code, source) DO UPDATE SET region_code = EXCLUDED.region_code
        WHERE care_group_members.region_code <> EXCLUDED.region_code
      RETURNING (xmax = 0) AS inserted
    )
    SELECT (SELECT count(*) FROM added WHERE inserted)::int AS added, (SELECT count(*) FROM removed)::int AS removed`,
  );
  return r;
}

export async function groupCounts(db: DbOrTx, actor: Actor, regionCode?: string) {
  return queryRows<{ group: string; elders: number }>(
    db,
    sql`SELECT m.group_code AS "group", count(DISTINCT m.elder_id)::int AS elders
      FROM care_group_members m JOIN elders e ON e.id = m.elder_id
      WHERE e.status = 'active' AND ${scopeOf(actor, sql`e.region_code`, regionCode)}
      GROUP BY m.group_code`,
  );
}

export interface MemberRow {
  elder_id: string;
  elder_name: string;
  age: number;
  region_code: string;
  region_name: string | null;
  groups: Array<{ group: string; source: 'computed' | 'staff' }>;
  risk_level: 'high' | 'medium' | 'low' | null;
  interval_days: number | null;
  assignee_id: string | null;
  assignee_name: string | null;
  plan_active: boolean | null;
  last_visited_at: Date | null;
  next_due_on: string | null;
}

const memberSelect = (today: string) => sql`
  SELECT e.id AS elder_id, e.name AS elder_name,
    date_part('year', age(${today}::date, e.birth_date))::int AS age,
    e.region_code, r.name AS region_name,
    (SELECT coalesce(json_agg(json_build_object('group', m.group_code, 'source', m.source) ORDER BY m.group_code, m.source), '[]')
       FROM care_group_members m WHERE m.elder_id = e.id) AS groups,
    p.risk_level, p.interval_days, p.assignee_id, u.display_name AS assignee_name, p.active AS plan_active,
    (SELECT max(v.visited_at) FROM care_visits v WHERE v.elder_id = e.id AND v.status = 'done') AS last_visited_at,
    (SELECT to_char(v.due_on, 'YYYY-MM-DD') FROM care_visits v WHERE v.elder_id = e.id AND v.status = 'scheduled') AS next_due_on
  FROM elders e
  LEFT JOIN regions r ON r.code = e.region_code
  LEFT JOIN care_visit_plans p ON p.elder_id = e.id
  LEFT JOIN users u ON u.id = p.assignee_id`;

export async function listMembers(
  db: DbOrTx,
  actor: Actor,
  q: { group?: string; regionCode?: string; unassigned?: boolean; limit: number; offset: number },
  today: string,
) {
  const where = and([
    sql`e.status = 'active'`,
    scopeOf(actor, sql`e.region_code`, q.regionCode),
    q.group
      ? sql`EXISTS (SELECT 1 FROM care_group_members m WHERE m.elder_id = e.id AND m.group_code = ${q.group})`
      : sql`EXISTS (SELECT 1 FROM care_group_members m WHERE m.elder_id = e.id)`,
    q.unassigned ? sql`p.active AND p.assignee_id IS NULL` : undefined,
  ]);
  return queryRows<MemberRow>(
    db,
    sql`${memberSelect(today)} WHERE ${where}
      ORDER BY CASE p.risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END, e.region_code, e.name, e.id
      LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
}

export async function countMembers(db: DbOrTx, actor: Actor, q: { group?: string; regionCode?: string; unassigned?: boolean }) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM elders e LEFT JOIN care_visit_plans p ON p.elder_id = e.id
      WHERE ${and([
        sql`e.status = 'active'`,
        scopeOf(actor, sql`e.region_code`, q.regionCode),
        q.group
          ? sql`EXISTS (SELECT 1 FROM care_group_members m WHERE m.elder_id = e.id AND m.group_code = ${q.group})`
          : sql`EXISTS (SELECT 1 FROM care_group_members m WHERE m.elder_id = e.id)`,
        q.unassigned ? sql`p.active AND p.assignee_id IS NULL` : undefined,
      ])}`,
  );
  return r.n;
}

export async function findMember(db: DbOrTx, elderId: string, today: string) {
  const [r] = await queryRows<MemberRow>(db, sql`${memberSelect(today)} WHERE e.id = ${elderId}`);
  return r;
}

/** The elder as the actor may see it (scope), or undefined. */
export async function findElderFor(db: DbOrTx, actor: Actor, elderId: string) {
  const [r] = await queryRows<{
    id: string;
    name: string;
    region_code: string;
    status: string;
    lat: number | null;
    lng: number | null;
    is_demo: boolean;
  }>(
    db,
    sql`SELECT id, name, region_code, status, lat, lng, is_demo FROM elders
      WHERE id = ${elderId} AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
  return r;
}

export async function replaceStaffGroups(
  tx: DbOrTx,
  elder: { id: string; region_code: string },
  groups: string[],
  note: string | null,
  by: string | null,
) {
  await tx.execute(sql`DELETE FROM care_group_members WHERE elder_id = ${elder.id} AND source = 'staff'
    AND NOT (group_code = ANY (${sql.raw(`ARRAY[${groups.map((g) => `'${g}'`).join(',')}]::text[]`)}))`);
  for (const g of groups)
    await tx.execute(sql`INSERT INTO care_group_members (elder_id, group_code, source, region_code, note, set_by)
      VALUES (${elder.id}, ${g}, 'staff', ${elder.region_code}, ${note}, ${by})
      ON CONFLICT (elder_id, group_code, source) DO UPDATE SET note = EXCLUDED.note, set_by = EXCLUDED.set_by`);
}

// ---------------------------------------------------------------------------------------------
// Households

export interface HouseholdRow {
  elder_id: string;
  members: Array<{ name: string; relationship: string; age?: number | null }>;
  carer_name: string | null;
  carer_phone_enc: string | null;
  housing: string | null;
  housing_condition: string | null;
  housing_note: string | null;
  key_holder_name: string | null;
  key_holder_phone_enc: string | null;
  updated_at: Date | null;
}

export async function findHousehold(db: DbOrTx, elderId: string) {
  const [r] = await queryRows<HouseholdRow>(db, sql`SELECT * FROM care_households WHERE elder_id = ${elderId}`);
  return r;
}

export async function contactKeyHolders(db: DbOrTx, elderId: string) {
  return (
    await queryRows<{ name: string; relationship: string }>(
      db,
      sql`SELECT name, relationship FROM elder_contacts WHERE elder_id = ${elderId} AND holds_key ORDER BY call_order`,
    )
  ).map((c) => `${c.name}（${c.relationship}）`);
}

export async function upsertHousehold(
  tx: DbOrTx,
  h: {
    elderId: string;
    regionCode: string;
    members: unknown[];
    carerName: string | null;
    carerPhoneEnc: string | null;
    housing: string | null;
    housingCondition: string | null;
    housingNote: string | null;
    keyHolderName: string | null;
    keyHolderPhoneEnc: string | null;
    by: string | null;
  },
) {
  await tx.execute(sql`INSERT INTO care_households (elder_id, region_code, members, carer_name, carer_phone_enc, housing,
      housing_condition, housing_note, key_holder_name, key_holder_phone_enc, updated_by, updated_at)
    VALUES (${h.elderId}, ${h.regionCode}, ${JSON.stringify(h.members)}::jsonb, ${h.carerName}, ${h.carerPhoneEnc}, ${h.housing},
      ${h.housingCondition}, ${h.housingNote}, ${h.keyHolderName}, ${h.keyHolderPhoneEnc}, ${h.by}, now())
    ON CONFLICT (elder_id) DO UPDATE SET region_code = EXCLUDED.region_code, members = EXCLUDED.members,
      carer_name = EXCLUDED.carer_name, carer_phone_enc = EXCLUDED.carer_phone_enc, housing = EXCLUDED.housing,
      housing_condition = EXCLUDED.housing_condition, housing_note = EXCLUDED.housing_note,
      key_holder_name = EXCLUDED.key_holder_name, key_holder_phone_enc = EXCLUDED.key_holder_phone_enc,
      updated_by = EXCLUDED.updated_by, updated_at = now()`);
}

// ---------------------------------------------------------------------------------------------
// Rules, settings, plans

export interface RuleRow {
  id: string;
  region_code: string;
  groups: string[];
  risk_level: 'high' | 'medium' | 'low';
  interval_days: number;
  assignee_kind: 'community' | 'grid' | 'volunteer';
}

export async function listRules(db: DbOrTx, district: string) {
  return queryRows<RuleRow>(
    db,
    sql`SELECT id, region_code, groups, risk_level, interval_days, assignee_kind FROM care_visit_rules
      WHERE region_code = ${district} ORDER BY interval_days, created_at, id`,
  );
}

export async function replaceRules(
  tx: DbOrTx,
  district: string,
  rules: Array<{ groups: string[]; riskLevel: string; intervalDays: number; assigneeKind?: string }>,
  by: string | null,
) {
  await tx.execute(sql`DELETE FROM care_visit_rules WHERE region_code = ${district}`);
  for (const r of rules)
    await tx.execute(sql`INSERT INTO care_visit_rules (region_code, groups, risk_level, interval_days, assignee_kind, created_by)
      VALUES (${district}, ${sql.raw(`ARRAY[${r.groups.map((g) => `'${g}'`).join(',')}]::text[]`)}, ${r.riskLevel},
        ${r.intervalDays}, ${r.assigneeKind ?? 'community'}, ${by})`);
}

export async function districtsWithRules(db: DbOrTx) {
  return (await queryRows<{ region_code: string }>(db, sql`SELECT DISTINCT region_code FROM care_visit_rules ORDER BY 1`)).map(
    (r) => r.region_code,
  );
}

export async function getSettings(db: DbOrTx, district: string) {
  const [r] = await queryRows<{ escalate_after_days: number; follow_up_days: number }>(
    db,
    sql`SELECT escalate_after_days, follow_up_days FROM care_visit_settings WHERE region_code = ${district}`,
  );
  return { escalateAfterDays: r?.escalate_after_days ?? 3, followUpDays: r?.follow_up_days ?? 7 };
}

export async function putSettings(
  tx: DbOrTx,
  district: string,
  s: { escalateAfterDays: number; followUpDays: number },
  by: string | null,
) {
  await tx.execute(sql`INSERT INTO care_visit_settings (region_code, escalate_after_days, follow_up_days, updated_by)
    VALUES (${district}, ${s.escalateAfterDays}, ${s.followUpDays}, ${by})
    ON CONFLICT (region_code) DO UPDATE SET escalate_after_days = EXCLUDED.escalate_after_days,
      follow_up_days = EXCLUDED.follow_up_days, updated_by = EXCLUDED.updated_by, updated_at = now()`);
}

/**
 * Plans from the rules: each active elder of the district in a group gets the matching rule with
 * the shortest interval (a rule matches when the elder is in all its groups); plans of elders no
 * rule matches any more stop, and their open visits are cancelled. A plan without an assignee
 * goes to the first community worker of the elder's community.
 */
export async function syncPlans(tx: DbOrTx, district: string) {
  const [r] = await queryRows<{ changed: number }>(
    tx,
    sql`WITH g AS (
      SELECT m.elder_id, array_agg(DISTINCT m.group_code) AS gs
      FROM care_group_members m JOIN elders e ON e.id = m.elder_id
      WHERE e.status = 'active' AND e.region_code LIKE ${like(district)}
      GROUP BY m.elder_id
    ), best AS (
      SELECT DISTINCT ON (g.elder_id) g.elder_id, e.region_code, r.id AS rule_id, r.risk_level, r.interval_days
      FROM g JOIN elders e ON e.id = g.elder_id
      JOIN care_visit_rules r ON r.region_code = ${district} AND r.groups <@ g.gs
      ORDER BY g.elder_id, r.interval_days, r.created_at, r.id
    ), up AS (
      INSERT INTO care_visit_plans (elder_id, region_code, rule_id, risk_level, interval_days, active)
      SELECT elder_id, region_code, rule_id, risk_level, interval_days, true FROM best
      ON CONFLICT (elder_id) DO UPDATE SET region_code = EXCLUDED.region_code, rule_id = EXCLUDED.rule_id,
        risk_level = EXCLUDED.risk_level, interval_days = EXCLUDED.interval_days, active = true, updated_at = now(),
        assignee_id = CASE WHEN care_visit_plans.region_code = EXCLUDED.region_code
          AND ((SELECT u.role = 'volunteer' FROM users u WHERE u.id = care_visit_plans.assignee_id)
            IS NOT DISTINCT FROM ((SELECT r.assignee_kind = 'volunteer' FROM care_visit_rules r WHERE r.id = EXCLUDED.rule_id)
              AND care_visit_plans.assignee_id IS NOT NULL))
          THEN care_visit_plans.assignee_id END
      WHERE (care_visit_plans.rule_id, care_visit_plans.risk_level, care_visit_plans.interval_days, care_visit_plans.active,
             care_visit_plans.region_code)
        IS DISTINCT FROM (EXCLUDED.rule_id, EXCLUDED.risk_level, EXCLUDED.interval_days, true, EXCLUDED.region_code)
      RETURNING 1
    ), stopped AS (
      UPDATE care_visit_plans p SET active = false, updated_at = now()
      WHERE p.active AND p.region_code LIKE ${like(district)} AND NOT EXISTS (SELECT 1 FROM best b WHERE b.elder_id = p.elder_id)
      RETURNING 1
    )
    SELECT ((SELECT count(*) FROM up) + (SELECT count(*) FROM stopped))::int AS changed`,
  );
  await tx.execute(sql`UPDATE care_visits v SET status = 'cancelled'
    FROM care_visit_plans p WHERE p.id = v.plan_id AND NOT p.active AND v.status = 'scheduled' AND p.region_code LIKE ${like(district)}`);
  // A volunteer no longer approved (or whose login is off) keeps no plan and no open visit.
  const gone = sql`(SELECT u.id FROM users u LEFT JOIN volunteers vo ON vo.user_id = u.id
    WHERE u.role = 'volunteer' AND (u.status <> 'active' OR vo.status IS DISTINCT FROM 'approved'))`;
  await tx.execute(sql`UPDATE care_visit_plans SET assignee_id = NULL, updated_at = now()
    WHERE active AND region_code LIKE ${like(district)} AND assignee_id IN ${gone}`);
  await tx.execute(sql`UPDATE care_visits SET assignee_id = NULL
    WHERE status = 'scheduled' AND region_code LIKE ${like(district)} AND assignee_id IN ${gone}`);
  await assignVolunteers(tx, district);
  await tx.execute(sql`UPDATE care_visit_plans p SET assignee_id = (
      SELECT u.id FROM users u WHERE u.role = 'community_staff' AND u.status = 'active' AND u.region_code = p.region_code
      ORDER BY u.created_at, u.username LIMIT 1)
    WHERE p.active AND p.assignee_id IS NULL AND p.region_code LIKE ${like(district)}`);
  await tx.execute(sql`UPDATE care_visits v SET assignee_id = p.assignee_id
    FROM care_visit_plans p WHERE p.id = v.plan_id AND v.status = 'scheduled' AND v.assignee_id IS NULL AND p.assignee_id IS NOT NULL
      AND p.region_code LIKE ${like(district)}`);
  return r.changed;
}

/**
 * Plans of a rule whose visitor is 志愿者 and without an assignee go to an approved volunteer
 * serving the elder's community, the least loaded first (fewest active plans; ties by name), one
 * plan at a time so a run spreads the elders. There is no 结对帮扶 pairing in the volunteers module
 * yet to prefer. Without an approved volunteer the plan falls to the community worker as before.
 */
export async function assignVolunteers(tx: DbOrTx, district: string) {
  const plans = await queryRows<{ id: string; region_code: string }>(
    tx,
    sql`SELECT p.id, p.region_code FROM care_visit_plans p JOIN care_visit_rules r ON r.id = p.rule_id
      WHERE p.active AND p.assignee_id IS NULL AND r.assignee_kind = 'volunteer' AND p.region_code LIKE ${like(district)}
      ORDER BY p.region_code, p.created_at, p.id`,
  );
  if (!plans.length) return 0;
  const vols = await queryRows<{ user_id: string; region_code: string; load: number }>(
    tx,
    sql`SELECT vo.user_id, vo.region_code,
        (SELECT count(*) FROM care_visit_plans p WHERE p.active AND p.assignee_id = vo.user_id)::int AS load
      FROM volunteers vo JOIN users u ON u.id = vo.user_id
      WHERE vo.status = 'approved' AND u.status = 'active' AND vo.region_code LIKE ${like(district)}
      ORDER BY vo.name, vo.id`,
  );
  let n = 0;
  for (const p of plans) {
    let best: (typeof vols)[number] | undefined;
    for (const v of vols) if (p.region_code.startsWith(v.region_code) && (!best || v.load < best.load)) best = v;
    if (!best) continue;
    best.load++;
    n++;
    await tx.execute(sql`UPDATE care_visit_plans SET assignee_id = ${best.user_id}, updated_at = now() WHERE id = ${p.id}`);
  }
  return n;
}

/**
 * The generator: every active plan without an open visit gets one, due `interval_days` after the
 * last recorded visit (today for an elder never visited). Idempotent (one open visit per elder).
 */
export async function scheduleDue(tx: DbOrTx, district: string, today: string, elderId?: string) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO care_visits (plan_id, elder_id, region_code, assignee_id, due_on, is_demo)
      SELECT p.id, p.elder_id, p.region_code, p.assignee_id,
        coalesce((SELECT max((v.visited_at AT TIME ZONE 'Asia/Shanghai')::date) FROM care_visits v
                  WHERE v.elder_id = p.elder_id AND v.status = 'done') + p.interval_days, ${today}::date),
        e.is_demo
      FROM care_visit_plans p JOIN elders e ON e.id = p.elder_id
      WHERE p.active AND p.region_code LIKE ${like(district)} ${elderId ? sql`AND p.elder_id = ${elderId}` : sql``}
        AND NOT EXISTS (SELECT 1 FROM care_visits v WHERE v.elder_id = p.elder_id AND v.status = 'scheduled')
      ON CONFLICT (elder_id) WHERE status = 'scheduled' DO NOTHING
      RETURNING id`,
  );
  return rows.length;
}

/** Open visits more than the district's delay past their due date go to the street (once). */
export async function escalateOverdue(tx: DbOrTx, district: string, today: string, afterDays: number) {
  return queryRows<{ id: string; region_code: string; escalated_to: string }>(
    tx,
    sql`UPDATE care_visits SET escalated_at = now(), escalated_to = left(region_code, 9)
      WHERE status = 'scheduled' AND escalated_at IS NULL AND region_code LIKE ${like(district)}
        AND due_on + ${afterDays}::int < ${today}::date
      RETURNING id, region_code, escalated_to`,
  );
}

export async function findPlan(db: DbOrTx, elderId: string) {
  const [r] = await queryRows<{ id: string; interval_days: number; active: boolean; assignee_id: string | null }>(
    db,
    sql`SELECT id, interval_days, active, assignee_id FROM care_visit_plans WHERE elder_id = ${elderId}`,
  );
  return r;
}

export async function setAssignee(tx: DbOrTx, elderId: string, assigneeId: string) {
  await tx.execute(sql`UPDATE care_visit_plans SET assignee_id = ${assigneeId}, updated_at = now() WHERE elder_id = ${elderId}`);
  await tx.execute(sql`UPDATE care_visits SET assignee_id = ${assigneeId} WHERE elder_id = ${elderId} AND status = 'scheduled'`);
}

export async function findWorker(db: DbOrTx, id: string) {
  const [r] = await queryRows<{
    id: string;
    display_name: string;
    role: string;
    region_code: string | null;
    status: string;
    volunteer_status: string | null;
  }>(
    db,
    sql`SELECT u.id, u.display_name, u.role, coalesce(vo.region_code, u.region_code) AS region_code, u.status,
        vo.status AS volunteer_status
      FROM users u LEFT JOIN volunteers vo ON vo.user_id = u.id WHERE u.id = ${id}`,
  );
  return r;
}

export const ASSIGNABLE_ROLES = ['community_staff', 'street_staff', 'responder'] as const;

/** Staff and grid workers, and approved volunteers (who serve one community). */
export async function listWorkers(db: DbOrTx, actor: Actor, regionCode?: string) {
  return queryRows<{ id: string; name: string; role: string; region_code: string | null }>(
    db,
    sql`SELECT id, name, role, region_code FROM (
        SELECT u.id, u.display_name AS name, u.role, coalesce(vo.region_code, u.region_code) AS region_code
        FROM users u LEFT JOIN volunteers vo ON vo.user_id = u.id
        WHERE u.status = 'active' AND (u.role IN ('community_staff', 'street_staff', 'responder')
          OR (u.role = 'volunteer' AND vo.status = 'approved'))
      ) w
      WHERE region_code IS NOT NULL AND ${scopeOf(actor, sql`w.region_code`, regionCode)}
      ORDER BY region_code, role, name LIMIT 500`,
  );
}
