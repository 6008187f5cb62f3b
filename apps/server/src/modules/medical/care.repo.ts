import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { sealedBox } from '../../lib/sealed.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import { ageOn, and, myTeams, reach } from './medical.repo.ts';

// Home medical visits, 家庭病床 episodes and their billing lines, criteria, partnerships, referrals.

// ---------------------------------------------------------------------------------------------
// Visits

export interface VisitRow {
  id: string;
  elder_id: string;
  elder_name: string;
  elder_age: number;
  /** The elder's sealed address and health notes (elders.private.ts). */
  elder_private: string;
  elder_lat: number | null;
  elder_lng: number | null;
  region_code: string;
  region_name: string | null;
  team_id: string;
  team_name: string;
  source: string;
  referral_id: string | null;
  episode_id: string | null;
  /** Reason, findings, advice and vitals, sealed (open with medical.sealed.ts `openVisitHealth`). */
  box: string;
  status: string;
  scheduled_on: string | null;
  member_id: string | null;
  member_name: string | null;
  visited_at: Date | null;
  check_in_method: 'gps' | 'qr' | null;
  check_in_distance_m: number | null;
  created_at: Date;
  is_demo: boolean;
}

/** The sealed values of each 医养结合 row (lib/sealed.ts), with the plain columns of rows written before 0997. */
const VISIT_BOX = sealedBox('v', { reason: 'reason', findings: 'findings', advice: 'advice', vitals: 'vitals' });
const EPISODE_BOX = sealedBox('hb', {
  diagnosis: 'diagnosis',
  criteriaCheck: 'criteria_check',
  dischargeSummary: 'discharge_summary',
});
const REFERRAL_BOX = sealedBox('mr', { reason: 'reason' });

const visitSelect = (today: string) => sql`
  SELECT v.id, v.elder_id, e.name AS elder_name, ${ageOn(sql`e.birth_date`, today)} AS elder_age, ${privateBox('e')} AS elder_private,
    e.lat AS elder_lat, e.lng AS elder_lng, v.region_code, r.name AS region_name,
    v.team_id, t.name AS team_name, v.source, v.referral_id, v.episode_id, ${VISIT_BOX} AS box, v.status,
    to_char(v.scheduled_on, 'YYYY-MM-DD') AS scheduled_on, v.member_id, m.name AS member_name, v.visited_at,
    v.check_in_method, v.check_in_distance_m, v.created_at, v.is_demo
  FROM medical_visits v
  JOIN elders e ON e.id = v.elder_id
  JOIN doctor_teams t ON t.id = v.team_id
  LEFT JOIN doctor_team_members m ON m.id = v.member_id
  LEFT JOIN regions r ON r.code = v.region_code`;

export interface VisitFilter {
  status?: string;
  mine?: boolean;
  on?: string;
  elderId?: string;
  regionCode?: string;
  episodeId?: string;
}
const visitWhere = (actor: Actor, f: VisitFilter) =>
  and([
    reach(actor, { region: sql`v.region_code`, team: sql`v.team_id`, elder: sql`v.elder_id` }, f.regionCode),
    f.mine
      ? sql`v.team_id IN ${myTeams(actor)} AND (v.member_id IS NULL
          OR v.member_id IN (SELECT m2.id FROM doctor_team_members m2 WHERE m2.user_id = ${actor.id}::uuid))`
      : undefined,
    f.status ? sql`v.status = ${f.status}` : undefined,
    f.on ? sql`(v.scheduled_on = ${f.on}::date OR (v.status = 'requested'))` : undefined,
    f.elderId ? sql`v.elder_id = ${f.elderId}` : undefined,
    f.episodeId ? sql`v.episode_id = ${f.episodeId}` : undefined,
  ]);

export async function listVisits(db: DbOrTx, actor: Actor, f: VisitFilter, today: string, limit: number, offset: number) {
  return queryRows<VisitRow>(
    db,
    sql`${visitSelect(today)} WHERE ${visitWhere(actor, f)}
      ORDER BY (v.status IN ('requested', 'scheduled')) DESC, v.scheduled_on NULLS FIRST, v.created_at DESC, v.id
      LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countVisits(db: DbOrTx, actor: Actor, f: VisitFilter) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM medical_visits v WHERE ${visitWhere(actor, f)}`,
  );
  return r.n;
}

export async function findVisit(db: DbOrTx, actor: Actor, id: string, today: string) {
  const [r] = await queryRows<VisitRow>(db, sql`${visitSelect(today)} WHERE v.id = ${id} AND ${visitWhere(actor, {})}`);
  return r;
}

export async function findVisitByKey(db: DbOrTx, userId: string, key: string) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM medical_visits WHERE visited_by = ${userId} AND client_key = ${key}`,
  );
  return r;
}

export async function insertVisit(
  tx: DbOrTx,
  v: {
    elderId: string;
    regionCode: string;
    teamId: string;
    source: string;
    /** The reason, sealed (medical.sealed.ts `sealVisitHealth`). */
    privateEnc: string;
    referralId?: string | null;
    episodeId?: string | null;
    status?: 'requested' | 'scheduled';
    scheduledOn?: string | null;
    memberId?: string | null;
    requestedBy: string | null;
    isDemo?: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO medical_visits (elder_id, region_code, team_id, source, private_enc, referral_id, episode_id, status,
        scheduled_on, member_id, requested_by, is_demo)
      VALUES (${v.elderId}, ${v.regionCode}, ${v.teamId}, ${v.source}, ${v.privateEnc}, ${v.referralId ?? null},
        ${v.episodeId ?? null}, ${v.status ?? 'requested'}, ${v.scheduledOn ?? null}, ${v.memberId ?? null},
        ${v.requestedBy}, ${v.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

export async function scheduleVisit(tx: DbOrTx, id: string, on: string, memberId: string | null) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE medical_visits SET status = 'scheduled', scheduled_on = ${on}, member_id = ${memberId}
      WHERE id = ${id} AND status IN ('requested', 'scheduled') RETURNING id`,
  );
  return rows.length > 0;
}

export async function markVisited(
  tx: DbOrTx,
  id: string,
  v: {
    method: 'gps' | 'qr';
    lat: number | null;
    lng: number | null;
    distanceM: number | null;
    /** Reason, findings, advice and vitals, sealed (medical.sealed.ts `sealVisitHealth`). */
    privateEnc: string;
    visitedBy: string;
    visitedAt: Date;
    clientKey: string | null;
    memberId: string | null;
  },
) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE medical_visits SET status = 'done', check_in_method = ${v.method}, check_in_lat = ${v.lat},
        check_in_lng = ${v.lng}, check_in_distance_m = ${v.distanceM}, private_enc = ${v.privateEnc},
        reason = NULL, findings = NULL, advice = NULL, vitals = NULL, visited_by = ${v.visitedBy},
        visited_at = ${v.visitedAt.toISOString()}, client_key = ${v.clientKey},
        member_id = COALESCE(member_id, ${v.memberId}::uuid),
        scheduled_on = COALESCE(scheduled_on, (${v.visitedAt.toISOString()}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date)
      WHERE id = ${id} AND status IN ('requested', 'scheduled') RETURNING id`,
  );
  return rows.length > 0;
}

export async function cancelVisits(tx: DbOrTx, where: { id?: string; episodeId?: string }) {
  return queryRows<{ id: string }>(
    tx,
    sql`UPDATE medical_visits SET status = 'cancelled'
      WHERE status IN ('requested', 'scheduled') AND ${where.id ? sql`id = ${where.id}` : sql`episode_id = ${where.episodeId}`}
      RETURNING id`,
  );
}

// ---------------------------------------------------------------------------------------------
// Billing lines

export interface BillingRow {
  id: string;
  visit_id: string | null;
  item_code: string;
  item_name: string;
  quantity: number;
  amount_fen: number;
  service_on: string;
}

export async function insertBilling(
  tx: DbOrTx,
  b: {
    episodeId: string;
    visitId: string | null;
    itemCode: string;
    itemName: string;
    quantity: number;
    amountFen: number;
    serviceOn: string;
    by: string | null;
    isDemo?: boolean;
  },
) {
  await tx.execute(
    sql`INSERT INTO home_bed_billing_lines (episode_id, visit_id, item_code, item_name, quantity, amount_fen, service_on, created_by, is_demo)
      VALUES (${b.episodeId}, ${b.visitId}, ${b.itemCode}, ${b.itemName}, ${b.quantity}, ${b.amountFen}, ${b.serviceOn},
        ${b.by}, ${b.isDemo ?? false})`,
  );
}

export async function billingOf(db: DbOrTx, where: { episodeId?: string; visitId?: string }) {
  return queryRows<BillingRow>(
    db,
    sql`SELECT id, visit_id, item_code, item_name, quantity, amount_fen, to_char(service_on, 'YYYY-MM-DD') AS service_on
      FROM home_bed_billing_lines
      WHERE ${where.visitId ? sql`visit_id = ${where.visitId}` : sql`episode_id = ${where.episodeId}`}
      ORDER BY service_on, created_at, id`,
  );
}

// ---------------------------------------------------------------------------------------------
// Criteria and episodes

export async function getCriteria(db: DbOrTx, district: string) {
  const [r] = await queryRows<{ min_age: number; chronic_conditions: string[]; ability_levels: string[] }>(
    db,
    sql`SELECT min_age, chronic_conditions, ability_levels FROM home_bed_criteria WHERE region_code = ${district}`,
  );
  return r ?? null;
}

export async function putCriteria(
  tx: DbOrTx,
  c: { regionCode: string; minAge: number; chronicConditions: string[]; abilityLevels: string[]; by: string | null },
) {
  const arr = (xs: string[]) =>
    xs.length
      ? sql`ARRAY[${sql.join(
          xs.map((x) => sql`${x}`),
          sql`, `,
        )}]::text[]`
      : sql`'{}'::text[]`;
  await tx.execute(
    sql`INSERT INTO home_bed_criteria (region_code, min_age, chronic_conditions, ability_levels, updated_by)
      VALUES (${c.regionCode}, ${c.minAge}, ${arr(c.chronicConditions)}, ${arr(c.abilityLevels)}, ${c.by})
      ON CONFLICT (region_code) DO UPDATE SET min_age = EXCLUDED.min_age, chronic_conditions = EXCLUDED.chronic_conditions,
        ability_levels = EXCLUDED.ability_levels, updated_by = EXCLUDED.updated_by, updated_at = now()`,
  );
}

export interface EpisodeRow {
  id: string;
  elder_id: string;
  elder_name: string;
  elder_age: number;
  region_code: string;
  region_name: string | null;
  team_id: string;
  team_name: string;
  status: 'open' | 'discharged';
  /** Diagnosis, criteria check and discharge summary, sealed (open with medical.sealed.ts `openEpisodeHealth`). */
  box: string;
  admitted_on: string;
  visits_per_week: number;
  plan_items: Array<{ code: string; name: string; amountFen: number }>;
  visits_done: number;
  billed_fen: number;
  discharged_on: string | null;
  is_demo: boolean;
}

const episodeSelect = (today: string) => sql`
  SELECT hb.id, hb.elder_id, e.name AS elder_name, ${ageOn(sql`e.birth_date`, today)} AS elder_age, hb.region_code,
    r.name AS region_name, hb.team_id, t.name AS team_name, hb.status, ${EPISODE_BOX} AS box,
    to_char(hb.admitted_on, 'YYYY-MM-DD') AS admitted_on, hb.visits_per_week, hb.plan_items,
    (SELECT count(*)::int FROM medical_visits v WHERE v.episode_id = hb.id AND v.status = 'done') AS visits_done,
    (SELECT COALESCE(sum(b.amount_fen * b.quantity), 0)::int FROM home_bed_billing_lines b WHERE b.episode_id = hb.id) AS billed_fen,
    to_char(hb.discharged_on, 'YYYY-MM-DD') AS discharged_on, hb.is_demo
  FROM home_bed_episodes hb
  JOIN elders e ON e.id = hb.elder_id
  JOIN doctor_teams t ON t.id = hb.team_id
  LEFT JOIN regions r ON r.code = hb.region_code`;

const episodeWhere = (actor: Actor, f: { status?: string; regionCode?: string }) =>
  and([
    reach(actor, { region: sql`hb.region_code`, team: sql`hb.team_id` }, f.regionCode),
    f.status ? sql`hb.status = ${f.status}` : undefined,
  ]);

export async function listEpisodes(
  db: DbOrTx,
  actor: Actor,
  f: { status?: string; regionCode?: string },
  today: string,
  limit: number,
  offset: number,
) {
  return queryRows<EpisodeRow>(
    db,
    sql`${episodeSelect(today)} WHERE ${episodeWhere(actor, f)}
      ORDER BY (hb.status = 'open') DESC, hb.admitted_on DESC, hb.id LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countEpisodes(db: DbOrTx, actor: Actor, f: { status?: string; regionCode?: string }) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM home_bed_episodes hb WHERE ${episodeWhere(actor, f)}`,
  );
  return r.n;
}

export async function findEpisode(db: DbOrTx, actor: Actor, id: string, today: string) {
  const [r] = await queryRows<EpisodeRow>(db, sql`${episodeSelect(today)} WHERE hb.id = ${id} AND ${episodeWhere(actor, {})}`);
  return r;
}

export async function insertEpisode(
  tx: DbOrTx,
  e: {
    elderId: string;
    teamId: string;
    regionCode: string;
    /** Diagnosis and criteria check, sealed (medical.sealed.ts `sealEpisodeHealth`). */
    privateEnc: string;
    admittedOn: string;
    visitsPerWeek: number;
    planItems: unknown;
    by: string | null;
    isDemo?: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO home_bed_episodes (elder_id, team_id, region_code, private_enc, admitted_on, visits_per_week,
        plan_items, created_by, is_demo)
      VALUES (${e.elderId}, ${e.teamId}, ${e.regionCode}, ${e.privateEnc}, ${e.admittedOn},
        ${e.visitsPerWeek}, ${JSON.stringify(e.planItems)}::jsonb, ${e.by}, ${e.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

/** `privateEnc`: the diagnosis, criteria check and now the discharge summary, sealed together. */
export async function dischargeEpisode(tx: DbOrTx, id: string, on: string, privateEnc: string) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE home_bed_episodes SET status = 'discharged', discharged_on = ${on}, private_enc = ${privateEnc},
        diagnosis = NULL, criteria_check = NULL, discharge_summary = NULL
      WHERE id = ${id} AND status = 'open' RETURNING id`,
  );
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Partnerships

export interface PartnershipRow {
  id: string;
  org_id: string;
  org_name: string;
  org_type: string;
  medical_org_id: string;
  medical_org_name: string;
  region_code: string;
  agreement_no: string | null;
  starts_on: string;
  ends_on: string;
  green_channel: boolean;
  services: string | null;
  status: 'active' | 'ended';
}

export async function listPartnerships(db: DbOrTx, actor: Actor, f: { regionCode?: string; status?: string; id?: string }) {
  const scope =
    actor.role === 'institution_staff'
      ? sql`p.org_id = ${actor.orgId}::uuid`
      : actor.role === 'doctor'
        ? sql`p.medical_org_id IN (SELECT t.org_id FROM doctor_teams t WHERE t.id IN ${myTeams(actor)})`
        : reach(actor, { region: sql`p.region_code` }, f.regionCode);
  return queryRows<PartnershipRow>(
    db,
    sql`SELECT p.id, p.org_id, o.name AS org_name, o.type AS org_type, p.medical_org_id, mo.name AS medical_org_name,
        p.region_code, p.agreement_no, to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(p.ends_on, 'YYYY-MM-DD') AS ends_on,
        p.green_channel, p.services, p.status
      FROM medical_partnerships p JOIN organizations o ON o.id = p.org_id JOIN medical_orgs mo ON mo.id = p.medical_org_id
      WHERE ${scope} ${f.status ? sql`AND p.status = ${f.status}` : sql``} ${f.id ? sql`AND p.id = ${f.id}` : sql``}
      ORDER BY p.status, o.name LIMIT 500`,
  );
}

export async function insertPartnership(
  tx: DbOrTx,
  p: {
    orgId: string;
    medicalOrgId: string;
    regionCode: string;
    agreementNo?: string;
    startsOn: string;
    endsOn: string;
    greenChannel: boolean;
    services?: string;
    by: string | null;
    isDemo?: boolean;
  },
) {
  const [r] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO medical_partnerships (org_id, medical_org_id, region_code, agreement_no, starts_on, ends_on, green_channel,
        services, created_by, is_demo)
      VALUES (${p.orgId}, ${p.medicalOrgId}, ${p.regionCode}, ${p.agreementNo ?? null}, ${p.startsOn}, ${p.endsOn},
        ${p.greenChannel}, ${p.services ?? null}, ${p.by}, ${p.isDemo ?? false}) RETURNING id`,
  );
  return r.id;
}

export async function endPartnership(tx: DbOrTx, id: string) {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`UPDATE medical_partnerships SET status = 'ended' WHERE id = ${id} AND status = 'active' RETURNING id`,
  );
  return rows.length > 0;
}

/** A live green-channel agreement between a care organisation and a medical organisation. */
export async function greenChannel(db: DbOrTx, orgId: string, medicalOrgId: string, today: string) {
  const [r] = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM medical_partnerships WHERE org_id = ${orgId} AND medical_org_id = ${medicalOrgId} AND status = 'active'
      AND green_channel AND starts_on <= ${today}::date AND ends_on >= ${today}::date LIMIT 1`,
  );
  return Boolean(r);
}

export async function findCareOrg(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<{ id: string; region_code: string; type: string }>(
    db,
    sql`SELECT id, region_code, type FROM organizations
      WHERE id = ${id} AND type IN ('institution', 'community_centre') AND ${regionScope(sql`region_code`, actor) ?? sql`true`}`,
  );
  return r;
}

export async function findMedicalOrg(db: DbOrTx, id: string) {
  const [r] = await queryRows<{ id: string; region_code: string; status: string }>(
    db,
    sql`SELECT id, region_code, status FROM medical_orgs WHERE id = ${id}`,
  );
  return r;
}

// ---------------------------------------------------------------------------------------------
// Referrals

export interface ReferralRow {
  id: string;
  elder_id: string;
  elder_name: string;
  region_code: string;
  region_name: string | null;
  source: string;
  from_org_name: string | null;
  medical_org_id: string;
  medical_org_name: string;
  team_id: string | null;
  team_name: string | null;
  /** The reason and the team's note, sealed (open with medical.sealed.ts `openReferralHealth`, passing `note`). */
  box: string;
  urgency: 'normal' | 'urgent';
  green_channel: boolean;
  status: string;
  follow_up_id: string | null;
  /** Only for a referral answered before notes were sealed, until the backfill seals it. */
  note: string | null;
  created_at: Date;
  updated_at: Date;
  is_demo: boolean;
}

const referralSelect = sql`
  SELECT mr.id, mr.elder_id, e.name AS elder_name, mr.region_code, r.name AS region_name, mr.source, fo.name AS from_org_name,
    mr.medical_org_id, mo.name AS medical_org_name, mr.team_id, t.name AS team_name, ${REFERRAL_BOX} AS box, mr.urgency, mr.green_channel,
    mr.status, mr.follow_up_id, mr.note, mr.created_at, mr.updated_at, mr.is_demo
  FROM medical_referrals mr
  JOIN elders e ON e.id = mr.elder_id
  JOIN medical_orgs mo ON mo.id = mr.medical_org_id
  LEFT JOIN doctor_teams t ON t.id = mr.team_id
  LEFT JOIN organizations fo ON fo.id = mr.from_org_id
  LEFT JOIN regions r ON r.code = mr.region_code`;

const referralWhere = (actor: Actor, f: { status?: string; regionCode?: string }) =>
  and([
    actor.role === 'institution_staff'
      ? sql`mr.from_org_id = ${actor.orgId}::uuid`
      : actor.role === 'doctor'
        ? sql`(mr.team_id IN ${myTeams(actor)} OR (mr.team_id IS NULL
            AND mr.medical_org_id IN (SELECT t2.org_id FROM doctor_teams t2 WHERE t2.id IN ${myTeams(actor)})))`
        : reach(actor, { region: sql`mr.region_code` }, f.regionCode),
    f.status ? sql`mr.status = ${f.status}` : undefined,
  ]);

export async function listReferrals(
  db: DbOrTx,
  actor: Actor,
  f: { status?: string; regionCode?: string },
  limit: number,
  offset: number,
) {
  return queryRows<ReferralRow>(
    db,
    sql`${referralSelect} WHERE ${referralWhere(actor, f)}
      ORDER BY (mr.status IN ('pending', 'accepted', 'visited')) DESC, (mr.urgency = 'urgent') DESC, mr.created_at DESC, mr.id
      LIMIT ${limit} OFFSET ${offset}`,
  );
}

export async function countReferrals(db: DbOrTx, actor: Actor, f: { status?: string; regionCode?: string }) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM medical_referrals mr WHERE ${referralWhere(actor, f)}`,
  );
  return r.n;
}

export async function findReferral(db: DbOrTx, actor: Actor, id: string) {
  const [r] = await queryRows<ReferralRow>(db, sql`${referralSelect} WHERE mr.id = ${id} AND ${referralWhere(actor, {})}`);
  return r;
}

export async function insertReferral(
  tx: DbOrTx,
  r: {
    elderId: string;
    regionCode: string;
    source: string;
    fromOrgId: string | null;
    medicalOrgId: string;
    teamId: string | null;
    /** The reason, sealed (medical.sealed.ts `sealReferralHealth`). */
    privateEnc: string;
    urgency: string;
    greenChannel: boolean;
    followUpId?: string | null;
    by: string | null;
    isDemo?: boolean;
  },
) {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO medical_referrals (elder_id, region_code, source, from_org_id, medical_org_id, team_id, private_enc, urgency,
        green_channel, follow_up_id, created_by, updated_by, is_demo)
      VALUES (${r.elderId}, ${r.regionCode}, ${r.source}, ${r.fromOrgId}, ${r.medicalOrgId}, ${r.teamId}, ${r.privateEnc}, ${r.urgency},
        ${r.greenChannel}, ${r.followUpId ?? null}, ${r.by}, ${r.by}, ${r.isDemo ?? false}) RETURNING id`,
  );
  return row.id;
}

/**
 * Move a referral from one of `from` to `to` (the row stays locked to the transaction's end); its
 * sealed box and any plain note written before notes were sealed, or null when someone moved it meanwhile.
 */
export async function moveReferral(
  tx: DbOrTx,
  id: string,
  from: readonly string[],
  to: string,
  p: { by: string | null; teamId: string | null },
) {
  const [row] = await queryRows<{ box: string; note: string | null }>(
    tx,
    sql`UPDATE medical_referrals mr SET status = ${to}, updated_by = ${p.by}, updated_at = now(),
        team_id = COALESCE(team_id, ${p.teamId}::uuid)
      WHERE id = ${id} AND status IN (${sql.join(
        from.map((s) => sql`${s}`),
        sql`, `,
      )}) RETURNING ${REFERRAL_BOX} AS box, mr.note`,
  );
  return row ?? null;
}

/** The referral's health values sealed again (with the team's note); its plain columns cleared. */
export async function resealReferral(tx: DbOrTx, id: string, privateEnc: string) {
  await tx.execute(sql`UPDATE medical_referrals SET private_enc = ${privateEnc}, reason = NULL, note = NULL WHERE id = ${id}`);
}

/** The medical organisation that should take a referral for an elder: the contracted team's, else one serving the community. */
export async function medicalOrgFor(db: DbOrTx, elderId: string, communityCode: string) {
  const [r] = await queryRows<{ org_id: string; team_id: string }>(
    db,
    sql`SELECT t.org_id, t.id AS team_id FROM doctor_contracts dc JOIN doctor_teams t ON t.id = dc.team_id
      WHERE dc.elder_id = ${elderId} AND dc.status = 'active'
      UNION ALL
      (SELECT t.org_id, t.id FROM doctor_teams t WHERE t.status = 'active' AND ${communityCode} = ANY (t.communities) ORDER BY t.name)
      LIMIT 1`,
  );
  if (r) return r;
  const [o] = await queryRows<{ org_id: string }>(
    db,
    sql`SELECT id AS org_id FROM medical_orgs WHERE status = 'active' AND region_code LIKE ${`${escapeLike(communityCode.slice(0, 6))}%`}
      ORDER BY (${communityCode} LIKE region_code || '%') DESC, name LIMIT 1`,
  );
  return o ? { org_id: o.org_id, team_id: null } : null;
}

// ---------------------------------------------------------------------------------------------
// Rows written before 0997, for medical.seal-backfill: locked and skipped, so two processes share the work.

const UNSEALED = {
  visits: {
    table: 'medical_visits',
    alias: 'v',
    box: VISIT_BOX,
    clear: 'reason = NULL, findings = NULL, advice = NULL, vitals = NULL',
    note: 'NULL',
    pending: 'v.private_enc IS NULL',
  },
  episodes: {
    table: 'home_bed_episodes',
    alias: 'hb',
    box: EPISODE_BOX,
    clear: 'diagnosis = NULL, criteria_check = NULL, discharge_summary = NULL',
    note: 'NULL',
    pending: 'hb.private_enc IS NULL',
  },
  // A referral answered before notes were sealed has its note in clear beside a sealed reason.
  referrals: {
    table: 'medical_referrals',
    alias: 'mr',
    box: REFERRAL_BOX,
    clear: 'reason = NULL, note = NULL',
    note: 'mr.note',
    pending: 'mr.private_enc IS NULL OR mr.note IS NOT NULL',
  },
} as const;
export type SealedTable = keyof typeof UNSEALED;

export function lockUnsealed(db: DbOrTx, table: SealedTable, limit: number) {
  const t = UNSEALED[table];
  return queryRows<{ id: string; box: string; note: string | null }>(
    db,
    sql`SELECT ${sql.raw(t.alias)}.id, ${t.box} AS box, ${sql.raw(t.note)}::text AS note FROM ${sql.raw(`${t.table} ${t.alias}`)}
      WHERE ${sql.raw(t.pending)} ORDER BY ${sql.raw(t.alias)}.id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

export async function sealRow(db: DbOrTx, table: SealedTable, id: string, privateEnc: string) {
  const t = UNSEALED[table];
  await db.execute(sql`UPDATE ${sql.raw(t.table)} SET private_enc = ${privateEnc}, ${sql.raw(t.clear)} WHERE id = ${id}`);
}
