import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** Every query of 长护险 (policies, enrolments, claims). */

export interface PolicyRow {
  id: string;
  region_code: string;
  name: string;
  eligible_levels: string[];
  item_ids: string[];
  monthly_hours: number;
  monthly_cap_fen: number;
  pay_percent: number;
  valid_from: string;
  valid_to: string | null;
  status: 'active' | 'ended';
  enrolled: number;
  items: Array<{ id: string; name: string }>;
}

/**
 * Policies the actor reaches: a district's policy is seen by the staff of every street and
 * community under it (and the bureau sees those of its subtree).
 */
function policyReach(actor: Actor): SQL {
  if (!isRegionScoped(actor)) return sql`false`;
  if (actor.regionCode === null) return sql`true`;
  return sql`(p.region_code LIKE ${`${escapeLike(actor.regionCode)}%`} OR ${actor.regionCode} LIKE p.region_code || '%')`;
}

const POLICY_SELECT = sql`SELECT p.id, p.region_code, p.name, p.eligible_levels, p.item_ids, p.monthly_hours, p.monthly_cap_fen,
    p.pay_percent, p.valid_from::text AS valid_from, p.valid_to::text AS valid_to, p.status,
    (SELECT count(*)::int FROM ltc_enrolments e WHERE e.policy_id = p.id AND e.status = 'active') AS enrolled,
    COALESCE((SELECT json_agg(json_build_object('id', si.id, 'name', si.name) ORDER BY si.name)
                FROM service_items si WHERE si.id = ANY (p.item_ids)), '[]'::json) AS items
  FROM ltc_policies p`;

export function listPolicies(db: DbOrTx, actor: Actor) {
  return queryRows<PolicyRow>(db, sql`${POLICY_SELECT} WHERE ${policyReach(actor)} ORDER BY p.created_at DESC`);
}

export async function findPolicy(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await queryRows<PolicyRow>(db, sql`${POLICY_SELECT} WHERE p.id = ${id} AND ${policyReach(actor)}`);
  return row;
}

export async function insertPolicy(
  db: DbOrTx,
  p: {
    regionCode: string;
    name: string;
    eligibleLevels: string[];
    itemIds: string[];
    monthlyHours: number;
    monthlyCapFen: number;
    payPercent: number;
    validFrom: string;
    validTo?: string;
    createdBy: string | null;
    isDemo?: boolean;
  },
) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO ltc_policies (region_code, name, eligible_levels, item_ids, monthly_hours, monthly_cap_fen, pay_percent,
          valid_from, valid_to, created_by, is_demo)
        VALUES (${p.regionCode}, ${p.name}, ${`{${p.eligibleLevels.join(',')}}`}::text[], ${`{${p.itemIds.join(',')}}`}::uuid[],
          ${p.monthlyHours}, ${p.monthlyCapFen}, ${p.payPercent}, ${p.validFrom}, ${p.validTo ?? null}, ${p.createdBy}, ${p.isDemo ?? false})
        RETURNING id`,
  );
  return row.id;
}

export function countItems(db: DbOrTx, ids: string[]) {
  return queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM service_items WHERE id = ANY (${`{${ids.join(',')}}`}::uuid[])`,
  );
}

/** The latest signed GB/T 42195 assessment of each elder (its level decides eligibility). */
const LATEST_SIGNED = sql`SELECT DISTINCT ON (a.elder_id) a.elder_id, a.id, a.level FROM assessments a
  WHERE a.status = 'signed' ORDER BY a.elder_id, a.assessed_on DESC, a.created_at DESC`;

export interface CandidateRow {
  elder_id: string;
  name: string;
  region_code: string;
  level: string;
  assessment_id: string;
}

/** Elders in the policy's region and the actor's reach, living, whose latest signed level is eligible; not enrolled. */
export function candidates(db: DbOrTx, actor: Actor, policy: PolicyRow, elderId?: string) {
  return queryRows<CandidateRow>(
    db,
    sql`SELECT elders.id AS elder_id, elders.name, elders.region_code, la.level, la.id AS assessment_id
          FROM elders JOIN (${LATEST_SIGNED}) la ON la.elder_id = elders.id
         WHERE elders.region_code LIKE ${`${escapeLike(policy.region_code)}%`}
           AND elders.status IN ('active', 'in_hospital')
           AND la.level = ANY (${`{${policy.eligible_levels.join(',')}}`}::text[])
           AND ${elderVisibleTo(actor) ?? sql`true`}
           ${elderId ? sql`AND elders.id = ${elderId}` : sql``}
           AND NOT EXISTS (SELECT 1 FROM ltc_enrolments e WHERE e.policy_id = ${policy.id} AND e.elder_id = elders.id)
         ORDER BY elders.name LIMIT 200`,
  );
}

/** Why an elder in reach is not eligible: their latest signed level (null: no signed assessment). */
export async function latestSignedLevel(db: DbOrTx, actor: Actor, elderId: string) {
  const [row] = await queryRows<{ id: string; level: string | null; status: string; region_code: string }>(
    db,
    sql`SELECT elders.id, la.level, elders.status, elders.region_code FROM elders
          LEFT JOIN (${LATEST_SIGNED}) la ON la.elder_id = elders.id
         WHERE elders.id = ${elderId} AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
  return row;
}

export interface EnrolmentRow {
  id: string;
  policy_id: string;
  elder_id: string;
  elder_name: string;
  region_code: string;
  ability_level: string;
  status: 'active' | 'ended';
  enrolled_at: Date;
}

const ENROLMENT_SELECT = sql`SELECT e.id, e.policy_id, e.elder_id, elders.name AS elder_name, elders.region_code, e.ability_level,
    e.status, e.enrolled_at FROM ltc_enrolments e JOIN elders ON elders.id = e.elder_id`;

export function listEnrolments(db: DbOrTx, actor: Actor, policyId: string) {
  return queryRows<EnrolmentRow>(
    db,
    sql`${ENROLMENT_SELECT} WHERE e.policy_id = ${policyId} AND ${elderVisibleTo(actor) ?? sql`true`} ORDER BY elders.name LIMIT 1000`,
  );
}

export async function insertEnrolment(
  db: DbOrTx,
  e: { policyId: string; elderId: string; level: string; assessmentId: string; enrolledBy: string | null },
) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO ltc_enrolments (policy_id, elder_id, ability_level, assessment_id, enrolled_by)
        VALUES (${e.policyId}, ${e.elderId}, ${e.level}, ${e.assessmentId}, ${e.enrolledBy})
        ON CONFLICT (policy_id, elder_id) DO NOTHING RETURNING id`,
  );
  if (!row) return undefined;
  const [full] = await queryRows<EnrolmentRow>(db, sql`${ENROLMENT_SELECT} WHERE e.id = ${row.id}`);
  return full;
}

/** The package of the elder's active enrolment (for the FHIR CarePlan). */
export async function activeEnrolmentPackage(db: DbOrTx, elderId: string) {
  const [row] = await queryRows<{ policy_name: string; monthly_hours: number; items: string[] }>(
    db,
    sql`SELECT p.name AS policy_name, p.monthly_hours,
               ARRAY(SELECT si.name FROM service_items si WHERE si.id = ANY (p.item_ids) ORDER BY si.name) AS items
          FROM ltc_enrolments e JOIN ltc_policies p ON p.id = e.policy_id
         WHERE e.elder_id = ${elderId} AND e.status = 'active' AND p.status = 'active' ORDER BY e.enrolled_at DESC LIMIT 1`,
  );
  return row ? { policyName: row.policy_name, monthlyHours: row.monthly_hours, items: row.items } : undefined;
}

export interface OrderForLtc {
  id: string;
  no: string;
  elder_id: string;
  item_id: string;
  provider_id: string | null;
  status: string;
  region_code: string;
}

export async function findOrder(db: DbOrTx, id: string) {
  const [row] = await queryRows<OrderForLtc>(
    db,
    sql`SELECT id, no, elder_id, item_id, provider_id, status, region_code FROM service_orders WHERE id = ${id}`,
  );
  return row;
}

export async function isEnrolled(db: DbOrTx, policyId: string, elderId: string) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM ltc_enrolments WHERE policy_id = ${policyId} AND elder_id = ${elderId} AND status = 'active'`,
  );
  return rows.length > 0;
}

export interface ClaimCandidate {
  id: string;
  no: string;
  elder_id: string;
  item_id: string;
  served_on: string;
  minutes: number;
  amount_fen: number;
  verified: boolean;
}

/**
 * A provider's served orders of the month (China time) for the policy's enrolled elders and
 * items, with whether the visit is EVV-verified: checked in and out, and not flagged or held
 * unless the anomaly review cleared it (the service loop's rule for settlement).
 */
export function claimCandidates(db: DbOrTx, policy: PolicyRow, providerId: string, from: Date, to: Date) {
  return queryRows<ClaimCandidate>(
    db,
    sql`SELECT so.id, so.no, so.elder_id, so.item_id,
               to_char((COALESCE(v.check_in_at, so.scheduled_at) AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS served_on,
               COALESCE(GREATEST(1, round(extract(epoch FROM (v.check_out_at - v.check_in_at)) / 60))::int, so.duration_minutes) AS minutes,
               (si.ref_price_fen * so.quantity)::int AS amount_fen,
               (v.check_out_at IS NOT NULL AND so.review_status IN ('none', 'cleared')
                 AND (cardinality(v.flags) = 0 OR so.review_status = 'cleared')) AS verified
          FROM service_orders so
          JOIN service_items si ON si.id = so.item_id
          JOIN ltc_enrolments e ON e.elder_id = so.elder_id AND e.policy_id = ${policy.id} AND e.status = 'active'
          LEFT JOIN service_visits v ON v.order_id = so.id
         WHERE so.provider_id = ${providerId}
           AND so.item_id = ANY (${`{${policy.item_ids.join(',')}}`}::uuid[])
           AND so.status IN ('served', 'confirmed', 'settled')
           AND so.scheduled_at >= ${from.toISOString()}::timestamptz AND so.scheduled_at < ${to.toISOString()}::timestamptz
           AND NOT EXISTS (SELECT 1 FROM ltc_claim_lines l WHERE l.order_id = so.id)
         ORDER BY so.scheduled_at, so.id`,
  );
}

export interface ClaimRow {
  id: string;
  policy_id: string;
  policy_name: string;
  provider_id: string;
  provider_name: string;
  month: string;
  lines: number;
  amount_fen: number;
  claim_fen: number;
  excluded: Array<{ orderNo: string; reason: string }>;
  created_at: Date;
}

const CLAIM_SELECT = sql`SELECT c.id, c.policy_id, p.name AS policy_name, c.provider_id, o.name AS provider_name, c.month, c.lines,
    c.amount_fen::float8 AS amount_fen, c.claim_fen::float8 AS claim_fen, c.excluded, c.created_at
  FROM ltc_claims c JOIN ltc_policies p ON p.id = c.policy_id JOIN organizations o ON o.id = c.provider_id`;

export async function findClaimByKey(db: DbOrTx, policyId: string, providerId: string, month: string) {
  const [row] = await queryRows<ClaimRow>(
    db,
    sql`${CLAIM_SELECT} WHERE c.policy_id = ${policyId} AND c.provider_id = ${providerId} AND c.month = ${month}`,
  );
  return row;
}

export async function findClaim(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await queryRows<ClaimRow>(db, sql`${CLAIM_SELECT} WHERE c.id = ${id} AND ${policyReach(actor)}`);
  return row;
}

export function listClaims(db: DbOrTx, actor: Actor, month?: string) {
  return queryRows<ClaimRow>(
    db,
    sql`${CLAIM_SELECT} WHERE ${policyReach(actor)} ${month ? sql`AND c.month = ${month}` : sql``} ORDER BY c.month DESC, o.name LIMIT 500`,
  );
}

export async function insertClaim(
  db: DbOrTx,
  c: {
    policyId: string;
    providerId: string;
    month: string;
    lines: number;
    amountFen: number;
    claimFen: number;
    excluded: unknown;
    createdBy: string | null;
    isDemo?: boolean;
  },
) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO ltc_claims (policy_id, provider_id, month, lines, amount_fen, claim_fen, excluded, created_by, is_demo)
        VALUES (${c.policyId}, ${c.providerId}, ${c.month}, ${c.lines}, ${c.amountFen}, ${c.claimFen}, ${JSON.stringify(c.excluded)}::jsonb,
          ${c.createdBy}, ${c.isDemo ?? false}) RETURNING id`,
  );
  return row.id;
}

export async function insertClaimLine(
  db: DbOrTx,
  l: {
    claimId: string;
    orderId: string;
    elderId: string;
    itemId: string;
    servedOn: string;
    minutes: number;
    amountFen: number;
    claimFen: number;
    copayFen: number;
  },
) {
  await db.execute(sql`INSERT INTO ltc_claim_lines (claim_id, order_id, elder_id, item_id, served_on, minutes, amount_fen, claim_fen, copay_fen)
    VALUES (${l.claimId}, ${l.orderId}, ${l.elderId}, ${l.itemId}, ${l.servedOn}, ${l.minutes}, ${l.amountFen}, ${l.claimFen}, ${l.copayFen})`);
}

export interface ClaimLineRow {
  order_no: string;
  elder_name: string;
  id_number_enc: string;
  ability_level: string;
  item_name: string;
  served_on: string;
  minutes: number;
  check_in_at: Date | null;
  check_out_at: Date | null;
  check_in_method: string | null;
  amount_fen: number;
  claim_fen: number;
  copay_fen: number;
}

export function claimLines(db: DbOrTx, claimId: string) {
  return queryRows<ClaimLineRow>(
    db,
    sql`SELECT so.no AS order_no, elders.name AS elder_name, elders.id_number_enc, e.ability_level, si.name AS item_name,
               l.served_on::text AS served_on, l.minutes, v.check_in_at, v.check_out_at, v.check_in_method,
               l.amount_fen, l.claim_fen, l.copay_fen
          FROM ltc_claim_lines l
          JOIN ltc_claims c ON c.id = l.claim_id
          JOIN service_orders so ON so.id = l.order_id
          JOIN elders ON elders.id = l.elder_id
          JOIN service_items si ON si.id = l.item_id
          LEFT JOIN ltc_enrolments e ON e.elder_id = l.elder_id AND e.policy_id = c.policy_id
          LEFT JOIN service_visits v ON v.order_id = l.order_id
         WHERE l.claim_id = ${claimId} ORDER BY l.served_on, so.no`,
  );
}

export async function providerExists(db: DbOrTx, id: string) {
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM organizations WHERE id = ${id} AND type = 'provider'`);
  return rows.length > 0;
}

/** What the policy has already paid each elder this month (other providers' claims): fen and minutes. */
export async function usedThisMonth(db: DbOrTx, policyId: string, month: string) {
  const rows = await queryRows<{ elder_id: string; claim_fen: number; minutes: number }>(
    db,
    sql`SELECT l.elder_id, sum(l.claim_fen)::int AS claim_fen, sum(l.minutes)::int AS minutes
          FROM ltc_claim_lines l JOIN ltc_claims c ON c.id = l.claim_id
         WHERE c.policy_id = ${policyId} AND c.month = ${month} GROUP BY l.elder_id`,
  );
  return new Map(rows.map((r) => [r.elder_id, { fen: r.claim_fen, minutes: r.minutes }]));
}

export interface ElderCoverRow {
  enrolment_id: string;
  policy_id: string;
  name: string;
  item_ids: string[];
  monthly_hours: number;
  monthly_cap_fen: number;
  pay_percent: number;
}

/**
 * The elder's active enrolments in policies in force on `day`. With `lock` the enrolment rows are
 * locked for the transaction, so two bookings of one elder count the month's use one after the other.
 */
export function coversOfElder(db: DbOrTx, elderId: string, day: string, lock = false) {
  return queryRows<ElderCoverRow>(
    db,
    sql`SELECT e.id AS enrolment_id, p.id AS policy_id, p.name, p.item_ids, p.monthly_hours, p.monthly_cap_fen, p.pay_percent
          FROM ltc_enrolments e JOIN ltc_policies p ON p.id = e.policy_id
         WHERE e.elder_id = ${elderId} AND e.status = 'active' AND p.status = 'active'
           AND p.valid_from <= ${day}::date AND (p.valid_to IS NULL OR p.valid_to >= ${day}::date)
         ORDER BY e.enrolled_at, e.id ${lock ? sql`FOR UPDATE OF e` : sql``}`,
  );
}

/** What a policy already pays for the elder's orders booked in [from, to): minutes and its share in fen. */
export async function fundedUse(db: DbOrTx, policyId: string, elderId: string, from: Date, to: Date) {
  const [r] = await queryRows<{ minutes: number; pay_fen: number }>(
    db,
    sql`SELECT COALESCE(sum(o.duration_minutes), 0)::int AS minutes,
               COALESCE(sum(round(si.ref_price_fen * o.quantity * p.pay_percent / 100.0)), 0)::int AS pay_fen
          FROM order_fundings f
          JOIN service_orders o ON o.id = f.order_id
          JOIN service_items si ON si.id = o.item_id
          JOIN ltc_policies p ON p.id = f.policy_id
         WHERE f.funder = 'ltc' AND f.policy_id = ${policyId} AND o.elder_id = ${elderId}
           AND o.scheduled_at >= ${from.toISOString()} AND o.scheduled_at < ${to.toISOString()}
           AND o.status NOT IN ('cancelled', 'voided')`,
  );
  return { minutes: Number(r.minutes), payFen: Number(r.pay_fen) };
}
