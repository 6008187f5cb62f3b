import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from './risk-radar.rules.ts';

/**
 * The radar's scoring as set-based SQL: one statement scores every active elder (or the given
 * ones) from the other modules' tables, each signal an aggregate grouped by elder, joined once.
 * A district's weights and thresholds are its `risk_settings` row merged over the defaults, so
 * two districts score by their own rules in the same statement. Scores of a day are replaced
 * (delete + insert in the caller's transaction): rerunning a day is safe.
 *
 * Signals of modules that are not built are simply not in the statement.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const elderFilter = (ids: string[] | null, col: SQL) => {
  if (!ids) return sql`true`;
  const clean = ids.filter((id) => UUID.test(id));
  return sql`${col} = ANY (${`{${clean.join(',')}}`}::uuid[])`;
};

/** Replace the scores of `day` (all elders, or `elderIds`) as of the instant `asOf`. */
export async function scoreDay(tx: DbOrTx, day: string, asOf: Date, elderIds: string[] | null = null) {
  await tx.execute(sql`DELETE FROM risk_scores WHERE day = ${day}::date AND ${elderFilter(elderIds, sql.raw('elder_id'))}`);
  // Over every elder the planner underestimates the elders joined to their district's settings
  // (an expression join) and may loop over a CTE once per row; the full run is all hash and merge
  // joins by nature. An update of a few elders keeps nested loops, which use the elder indexes.
  if (!elderIds) await tx.execute(sql`SET LOCAL enable_nestloop = off`);
  const [r] = await queryRows<{ scored: number; top: number }>(tx, scoringStatement(day, asOf, elderIds));
  if (!elderIds) await tx.execute(sql`SET LOCAL enable_nestloop = on`);
  return { scored: Number(r.scored), top: Number(r.top) };
}

/** The scoring statement itself (also for EXPLAIN in bench/risk-radar.ts). */
export function scoringStatement(day: string, asOf: Date, elderIds: string[] | null = null) {
  const at = asOf.toISOString();
  return sql`
    WITH cfg AS (
      SELECT d.code AS district,
             ${JSON.stringify(DEFAULT_WEIGHTS)}::jsonb || coalesce(s.weights, '{}'::jsonb) AS w,
             ${JSON.stringify(DEFAULT_THRESHOLDS)}::jsonb || coalesce(s.thresholds, '{}'::jsonb) AS t
      FROM regions d LEFT JOIN risk_settings s ON s.district_code = d.code
      WHERE d.level = 'district'
    ),
    base AS (
      SELECT e.id, e.region_code, e.living_situation, cfg.w,
             (cfg.t->>'mealWindowDays')::int AS meal_days,
             (cfg.t->>'inactivityHours')::int AS inactivity_hours,
             (cfg.t->>'notWornDays')::int AS not_worn_days,
             (cfg.t->>'lowBatteryPercent')::int AS low_pct,
             (cfg.t->>'lowBatteryDays')::int AS low_days,
             (cfg.t->>'alarmWindowDays')::int AS alarm_days,
             (cfg.t->>'alarmCap')::int AS alarm_cap,
             (cfg.t->>'callWindowDays')::int AS call_days,
             (cfg.t->>'unansweredDials')::int AS unanswered_min,
             (cfg.t->>'orderWindowDays')::int AS order_days,
             (cfg.t->>'cancelledOrders')::int AS cancelled_min,
             (cfg.t->>'abilityWindowDays')::int AS ability_days,
             (cfg.t->>'hospitalWindowDays')::int AS hospital_days,
             (cfg.t->>'visitWindowDays')::int AS visit_days,
             (cfg.t->>'levelWatch')::int AS l_watch,
             (cfg.t->>'levelHigh')::int AS l_high,
             (cfg.t->>'levelTop')::int AS l_top
      FROM elders e JOIN cfg ON cfg.district = left(e.region_code, 6)
      WHERE e.status = 'active' AND ${elderFilter(elderIds, sql.raw('e.id'))}
    ),
    -- Missed-meal signals (meals module) in the window whose absence no served meal has ended.
    ms AS (
      SELECT b.id, count(*)::int AS n, max(m.last_meal_day) AS last_meal_day, max(m.days_absent)::int AS days_absent
      FROM base b JOIN meal_signals m ON m.elder_id = b.id
      WHERE m.day > ${day}::date - b.meal_days
        AND NOT EXISTS (SELECT 1 FROM meals x WHERE x.elder_id = b.id AND x.status = 'served' AND x.day > m.last_meal_day)
      GROUP BY b.id
    ),
    -- Devices (registry kept current by the intake): presence, wearing.
    dv AS (
      SELECT b.id,
             count(*) FILTER (WHERE d.type IN ('door', 'presence'))::int AS presence_n,
             max(coalesce(d.last_activity_at, d.created_at)) FILTER (WHERE d.type IN ('door', 'presence')) AS last_activity,
             count(*) FILTER (WHERE d.type IN ('pendant', 'watch') AND d.worn IS FALSE
                                AND d.worn_changed_at <= ${at}::timestamptz - b.not_worn_days * interval '1 day')::int AS not_worn_n,
             min(d.worn_changed_at) FILTER (WHERE d.type IN ('pendant', 'watch') AND d.worn IS FALSE
                                AND d.worn_changed_at <= ${at}::timestamptz - b.not_worn_days * interval '1 day') AS not_worn_since
      FROM base b JOIN devices d ON d.elder_id = b.id AND d.status = 'active'
      GROUP BY b.id
    ),
    -- Battery still low with its low-battery alarm raised days ago: nobody changed it.
    bat AS (
      SELECT b.id, count(DISTINCT d.id)::int AS n, min(d.battery)::int AS battery, min(a.raised_at) AS since
      FROM base b
      JOIN devices d ON d.elder_id = b.id AND d.status = 'active' AND d.battery <= b.low_pct
      JOIN alarms a ON a.elder_id = b.id AND a.device_id = d.id AND a.type = 'battery_low'
       AND a.raised_at > ${at}::timestamptz - interval '60 days'
       AND a.raised_at <= ${at}::timestamptz - b.low_days * interval '1 day'
      GROUP BY b.id
    ),
    -- Life-safety alarms (technical ones and false alarms left out), and hospital outcomes.
    al AS (
      SELECT b.id,
             count(*) FILTER (WHERE a.raised_at > ${at}::timestamptz - b.alarm_days * interval '1 day'
                                AND a.type NOT IN ('device_offline', 'devices_offline_mass', 'battery_low', 'not_worn', 'no_monthly_test', 'tamper')
                                AND a.outcome IS DISTINCT FROM 'false_alarm')::int AS n,
             max(a.raised_at) FILTER (WHERE a.raised_at > ${at}::timestamptz - b.alarm_days * interval '1 day'
                                AND a.type NOT IN ('device_offline', 'devices_offline_mass', 'battery_low', 'not_worn', 'no_monthly_test', 'tamper')
                                AND a.outcome IS DISTINCT FROM 'false_alarm') AS last_at,
             max(a.resolved_at) FILTER (WHERE a.outcome = 'taken_to_hospital'
                                AND a.resolved_at > ${at}::timestamptz - b.hospital_days * interval '1 day') AS hospital_at
      FROM base b JOIN alarms a ON a.elder_id = b.id
      WHERE a.raised_at > ${at}::timestamptz - interval '366 days' AND a.raised_at <= ${at}::timestamptz
      GROUP BY b.id
    ),
    -- Care calls (campaigns module): dials not answered since the last answered one; unreached tasks.
    ca AS (
      SELECT b.id, b.call_days, b.unanswered_min, a.result, a.at, t.id AS task_id, t.status AS task_status, t.closed_at,
             max(a.at) FILTER (WHERE a.result = 'answered') OVER (PARTITION BY b.id) AS answered_at
      FROM base b JOIN care_call_tasks t ON t.elder_id = b.id
      JOIN care_call_attempts a ON a.task_id = t.id
      WHERE a.attempt_date > ${day}::date - b.call_days AND a.at <= ${at}::timestamptz
    ),
    cl AS (
      SELECT id, min(unanswered_min) AS unanswered_min,
             count(*) FILTER (WHERE result IN ('no_answer', 'busy') AND at > coalesce(answered_at, '-infinity'))::int AS dials,
             count(DISTINCT task_id) FILTER (WHERE task_status = 'unreached' AND closed_at > coalesce(answered_at, '-infinity'))::int AS unreached,
             max(at) FILTER (WHERE result IN ('no_answer', 'busy')) AS last_at
      FROM ca GROUP BY id
    ),
    -- Service orders cancelled in the window.
    co AS (
      SELECT b.id, count(*)::int AS n, max(o.updated_at) AS last_at
      FROM base b JOIN service_orders o ON o.elder_id = b.id
      WHERE o.status = 'cancelled' AND o.updated_at > ${at}::timestamptz - b.order_days * interval '1 day'
        AND o.updated_at <= ${at}::timestamptz
      GROUP BY b.id
    ),
    -- The latest signed assessment against the one before it (assessments module).
    asx AS (
      SELECT a.elder_id, a.level, a.assessed_on, b.ability_days,
             lag(a.level) OVER (PARTITION BY a.elder_id ORDER BY a.assessed_on, a.created_at) AS prev_level,
             row_number() OVER (PARTITION BY a.elder_id ORDER BY a.assessed_on DESC, a.created_at DESC) AS rn
      FROM assessments a JOIN base b ON b.id = a.elder_id
      WHERE a.status = 'signed' AND a.assessed_on <= ${day}::date
    ),
    ab AS (
      SELECT x.elder_id AS id, x.prev_level, x.level, x.assessed_on
      FROM asx x
      WHERE x.rn = 1 AND x.prev_level IS NOT NULL AND x.assessed_on > ${day}::date - x.ability_days
        AND array_position(ARRAY['intact', 'mild', 'moderate', 'severe', 'total'], x.level)
          > array_position(ARRAY['intact', 'mild', 'moderate', 'severe', 'total'], x.prev_level)
    ),
    -- Care visits (care-visits module): open visits past their due date, visits that found nobody
    -- at home, and findings (health, mood, home safety …) recorded within the window.
    vs AS (
      SELECT b.id,
             count(*) FILTER (WHERE v.status = 'scheduled' AND v.due_on < ${day}::date)::int AS overdue,
             min(v.due_on) FILTER (WHERE v.status = 'scheduled' AND v.due_on < ${day}::date) AS overdue_since,
             count(*) FILTER (WHERE v.status = 'done' AND v.outcome = 'not_home'
                                AND v.visited_at > ${at}::timestamptz - b.visit_days * interval '1 day')::int AS not_home
      FROM base b JOIN care_visits v ON v.elder_id = b.id
      WHERE v.status = 'scheduled' OR (v.status = 'done' AND v.visited_at > ${at}::timestamptz - b.visit_days * interval '1 day')
      GROUP BY b.id
    ),
    vf AS (
      SELECT b.id, count(*)::int AS n, count(*) FILTER (WHERE f.severity = 'urgent')::int AS urgent, max(f.found_at) AS last_at
      FROM base b JOIN care_visit_findings f ON f.elder_id = b.id
      WHERE f.type <> 'not_home' AND f.found_at > ${at}::timestamptz - b.visit_days * interval '1 day' AND f.found_at <= ${at}::timestamptz
      GROUP BY b.id
    ),
    -- Family care beds (family-beds module): the latest checked month short and not released (the
    -- package was not delivered), or a device bound to the bed offline.
    fb AS (
      SELECT b.id,
             (SELECT m.month FROM family_bed_months m WHERE m.bed_id = f.id ORDER BY m.month DESC LIMIT 1) AS last_month,
             (SELECT m.status FROM family_bed_months m WHERE m.bed_id = f.id ORDER BY m.month DESC LIMIT 1) AS last_status,
             (SELECT count(*) FROM family_bed_devices fd JOIN devices d ON d.id = fd.device_id
               WHERE fd.bed_id = f.id AND d.status = 'active' AND d.online IS FALSE)::int AS offline
      FROM base b JOIN family_beds f ON f.elder_id = b.id AND f.status = 'active'
    ),
    parts AS (
      SELECT b.id, b.region_code, b.l_watch, b.l_high, b.l_top, array_remove(ARRAY[
        CASE WHEN ms.n > 0 AND (b.w->>'missed_meals')::int > 0 THEN jsonb_build_object('key', 'missed_meals',
          'weight', (b.w->>'missed_meals')::int,
          'evidence', jsonb_build_object('signals', ms.n, 'lastMealDay', ms.last_meal_day, 'daysAbsent', ms.days_absent)) END,
        CASE WHEN dv.presence_n > 0 AND dv.last_activity <= ${at}::timestamptz - b.inactivity_hours * interval '1 hour'
               AND (b.w->>'no_activity')::int > 0 THEN jsonb_build_object('key', 'no_activity',
          'weight', (b.w->>'no_activity')::int,
          'evidence', jsonb_build_object('lastActivityAt', dv.last_activity,
            'hours', floor(extract(epoch FROM (${at}::timestamptz - dv.last_activity)) / 3600)::int)) END,
        CASE WHEN dv.not_worn_n > 0 AND (b.w->>'not_worn')::int > 0 THEN jsonb_build_object('key', 'not_worn',
          'weight', (b.w->>'not_worn')::int,
          'evidence', jsonb_build_object('devices', dv.not_worn_n, 'since', dv.not_worn_since)) END,
        CASE WHEN bat.n > 0 AND (b.w->>'low_battery_ignored')::int > 0 THEN jsonb_build_object('key', 'low_battery_ignored',
          'weight', (b.w->>'low_battery_ignored')::int,
          'evidence', jsonb_build_object('devices', bat.n, 'battery', bat.battery, 'since', bat.since)) END,
        CASE WHEN al.n > 0 AND (b.w->>'alarms')::int > 0 THEN jsonb_build_object('key', 'alarms',
          'weight', (b.w->>'alarms')::int * least(al.n, b.alarm_cap),
          'evidence', jsonb_build_object('count', al.n, 'lastAt', al.last_at, 'windowDays', b.alarm_days)) END,
        CASE WHEN (cl.dials >= cl.unanswered_min OR cl.unreached > 0) AND (b.w->>'unanswered_calls')::int > 0
          THEN jsonb_build_object('key', 'unanswered_calls',
          'weight', (b.w->>'unanswered_calls')::int,
          'evidence', jsonb_build_object('dials', cl.dials, 'unreachedTasks', cl.unreached, 'lastAt', cl.last_at)) END,
        CASE WHEN co.n >= b.cancelled_min AND (b.w->>'cancelled_orders')::int > 0 THEN jsonb_build_object('key', 'cancelled_orders',
          'weight', (b.w->>'cancelled_orders')::int,
          'evidence', jsonb_build_object('count', co.n, 'lastAt', co.last_at, 'windowDays', b.order_days)) END,
        CASE WHEN ab.id IS NOT NULL AND (b.w->>'ability_drop')::int > 0 THEN jsonb_build_object('key', 'ability_drop',
          'weight', (b.w->>'ability_drop')::int,
          'evidence', jsonb_build_object('from', ab.prev_level, 'to', ab.level, 'assessedOn', ab.assessed_on)) END,
        CASE WHEN al.hospital_at IS NOT NULL AND (b.w->>'hospital_outcome')::int > 0 THEN jsonb_build_object('key', 'hospital_outcome',
          'weight', (b.w->>'hospital_outcome')::int,
          'evidence', jsonb_build_object('at', al.hospital_at)) END,
        CASE WHEN b.living_situation = 'alone' AND (b.w->>'living_alone')::int > 0 THEN jsonb_build_object('key', 'living_alone',
          'weight', (b.w->>'living_alone')::int, 'evidence', '{}'::jsonb) END,
        CASE WHEN (coalesce(vs.overdue, 0) + coalesce(vs.not_home, 0) + coalesce(vf.n, 0)) > 0 AND (b.w->>'visits')::int > 0
          THEN jsonb_build_object('key', 'visits', 'weight', (b.w->>'visits')::int,
          'evidence', jsonb_build_object('overdue', coalesce(vs.overdue, 0), 'overdueSince', vs.overdue_since,
            'notHome', coalesce(vs.not_home, 0), 'findings', coalesce(vf.n, 0), 'urgent', coalesce(vf.urgent, 0),
            'lastFindingAt', vf.last_at)) END,
        CASE WHEN (fb.last_status = 'short' OR fb.offline > 0) AND (b.w->>'care_bed')::int > 0
          THEN jsonb_build_object('key', 'care_bed', 'weight', (b.w->>'care_bed')::int,
          'evidence', jsonb_build_object('shortMonth', CASE WHEN fb.last_status = 'short' THEN fb.last_month END,
            'offlineDevices', fb.offline)) END
      ], NULL) AS signals
      FROM base b
      LEFT JOIN ms ON ms.id = b.id LEFT JOIN dv ON dv.id = b.id LEFT JOIN bat ON bat.id = b.id
      LEFT JOIN al ON al.id = b.id LEFT JOIN cl ON cl.id = b.id LEFT JOIN co ON co.id = b.id
      LEFT JOIN ab ON ab.id = b.id LEFT JOIN vs ON vs.id = b.id LEFT JOIN vf ON vf.id = b.id
      LEFT JOIN fb ON fb.id = b.id
    ),
    scored AS MATERIALIZED (
      SELECT p.*, least(100, (SELECT coalesce(sum((x->>'weight')::int), 0) FROM unnest(p.signals) AS x))::int AS score
      FROM parts p
    ),
    ins AS (
      INSERT INTO risk_scores (elder_id, day, region_code, score, level, signals, computed_at)
      SELECT id, ${day}::date, region_code, score,
             CASE WHEN score >= l_top THEN 'top' WHEN score >= l_high THEN 'high' WHEN score >= l_watch THEN 'watch' ELSE 'low' END,
             to_jsonb(signals), now()
      FROM scored WHERE score > 0
      RETURNING level
    )
    SELECT count(*)::int AS scored, count(*) FILTER (WHERE level = 'top')::int AS top FROM ins`;
}

export interface EnteredTop {
  id: string;
  elder_id: string;
  region_code: string;
  score: number;
}

/**
 * Keep `risk_elder_state.top_since` in step with the day's scores and open one task per entry
 * into the top level: an elder at the top whose state was not (null or no row) is an entry; one
 * who left the top has the state cleared, so a later return is a new entry. The unique index on
 * (elder, entered_on) keeps a rerun, or a race between the job and an event, at one task.
 */
export async function trackTopEntries(tx: DbOrTx, day: string, elderIds: string[] | null = null) {
  await tx.execute(sql`
    UPDATE risk_elder_state st SET top_since = NULL, updated_at = now()
    WHERE st.top_since IS NOT NULL AND ${elderFilter(elderIds, sql.raw('st.elder_id'))}
      AND NOT EXISTS (SELECT 1 FROM risk_scores r WHERE r.day = ${day}::date AND r.elder_id = st.elder_id AND r.level = 'top')`);
  return queryRows<EnteredTop>(
    tx,
    sql`
    WITH top AS (
      SELECT elder_id, region_code, score, signals FROM risk_scores
      WHERE day = ${day}::date AND level = 'top' AND ${elderFilter(elderIds, sql.raw('elder_id'))}
    ),
    entered AS (
      INSERT INTO risk_elder_state (elder_id, top_since)
      SELECT elder_id, ${day}::date FROM top
      ON CONFLICT (elder_id) DO UPDATE SET top_since = EXCLUDED.top_since, updated_at = now()
        WHERE risk_elder_state.top_since IS NULL
      RETURNING elder_id, top_since
    )
    INSERT INTO risk_tasks (elder_id, region_code, kind, entered_on, score, signals)
    SELECT t.elder_id, t.region_code, 'top_entry', e.top_since, t.score, t.signals
    FROM entered e JOIN top t ON t.elder_id = e.elder_id
    ON CONFLICT (elder_id, entered_on) WHERE kind = 'top_entry' DO NOTHING
    RETURNING id, elder_id, region_code, score`,
  );
}
