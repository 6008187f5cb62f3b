import type { CreditLevel, CreditOrgKind } from '@zhiyang/shared';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { creditEvents, creditListings, creditRulesTable, creditStandings } from './credit.schema.ts';

/** The credit module's SQL. The derived events read other modules' tables, read-only. */

const KINDS = sql.raw(`('provider', 'canteen', 'institution')`);

/** Which organisations the actor reaches: region staff by subtree, an organisation's staff their own. */
function orgReach(actor: Actor): SQL {
  if (isRegionScoped(actor)) return regionScope(sql.raw('o.region_code'), actor) ?? sql`true`;
  return actor.orgId ? sql`o.id = ${actor.orgId}` : sql`false`;
}

export interface OrgRow {
  id: string;
  name: string;
  kind: CreditOrgKind;
  region_code: string;
  region_name: string | null;
  score: number | null;
  level: CreditLevel | null;
  listed: boolean | null;
  blocked: boolean | null;
  d_since: string | null;
  complaint_count: number | null;
  computed_at: Date | string | null;
}

const ORG_SELECT = sql`
  SELECT o.id, o.name, o.type AS kind, o.region_code, r.name AS region_name, cs.score, cs.level, cs.listed,
    cs.blocked, cs.d_since::text AS d_since, cs.complaint_count, cs.computed_at
  FROM organizations o
  LEFT JOIN regions r ON r.code = o.region_code
  LEFT JOIN credit_standings cs ON cs.org_id = o.id`;

export async function findOrg(db: DbOrTx, actor: Actor, id: string) {
  const [row] = await queryRows<OrgRow>(db, sql`${ORG_SELECT} WHERE o.id = ${id} AND o.type IN ${KINDS} AND ${orgReach(actor)}`);
  return row;
}

/** Any organisation of a credit kind, whoever asks (the blocking checks and the jobs). */
export async function findOrgById(db: DbOrTx, id: string) {
  const [row] = await queryRows<OrgRow>(db, sql`${ORG_SELECT} WHERE o.id = ${id} AND o.type IN ${KINDS}`);
  return row;
}

export async function listOrgs(
  db: DbOrTx,
  actor: Actor,
  f: { kind?: CreditOrgKind; level?: CreditLevel; q?: string },
  limit: number,
  offset: number,
) {
  const where = sql.join(
    [
      sql`o.type IN ${KINDS}`,
      orgReach(actor),
      f.kind ? sql`o.type = ${f.kind}` : undefined,
      f.level ? sql`cs.level = ${f.level}` : undefined,
      f.q ? sql`o.name LIKE ${`%${escapeLike(f.q)}%`}` : undefined,
    ].filter((c): c is SQL => !!c),
    sql` AND `,
  );
  const [rows, [{ n }]] = await Promise.all([
    queryRows<OrgRow>(
      db,
      sql`${ORG_SELECT} WHERE ${where}
        ORDER BY cs.blocked DESC NULLS LAST, cs.score ASC NULLS LAST, o.name, o.id LIMIT ${limit} OFFSET ${offset}`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM organizations o LEFT JOIN credit_standings cs ON cs.org_id = o.id WHERE ${where}`,
    ),
  ]);
  return { rows, total: Number(n) };
}

/** Organisations of the credit kinds in reach that have never been scored. */
export async function unscoredOrgIds(db: DbOrTx, actor?: Actor) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT o.id FROM organizations o WHERE o.type IN ${KINDS} ${actor ? sql`AND ${orgReach(actor)}` : sql``}
      AND NOT EXISTS (SELECT 1 FROM credit_standings cs WHERE cs.org_id = o.id)`,
  );
  return rows.map((r) => r.id);
}

export async function allOrgIds(db: DbOrTx) {
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM organizations WHERE type IN ${KINDS} ORDER BY id`);
  return rows.map((r) => r.id);
}

// ── The file's events ──

export const manualEvents = (db: DbOrTx, orgId: string) =>
  db.select().from(creditEvents).where(eq(creditEvents.orgId, orgId)).orderBy(desc(creditEvents.occurredOn));

export const addEvent = (db: DbOrTx, e: typeof creditEvents.$inferInsert) => db.insert(creditEvents).values(e).returning();

export interface DerivedRow {
  kind:
    | 'rating_poor'
    | 'complaint'
    | 'evv_anomaly'
    | 'settlement_hold'
    | 'licence_expired'
    | 'incident'
    | 'inspection_pass'
    | 'inspection_fail'
    | 'rectified'
    | 'rectification_overdue';
  source: 'orders' | 'settlements' | 'providers' | 'institutions' | 'inspections';
  source_id: string;
  day: string;
  /** The order number, settlement period, licence or incident kind the title is made of. */
  ref: string | null;
  /** Extra facts for the title: rating score, visit flags, held count, severity. */
  extra: string | null;
}

const cstDay = (col: string) => sql.raw(`(${col} AT TIME ZONE 'Asia/Shanghai')::date::text`);

/**
 * The events other modules' records say about the organisation since `since` (a day): poor
 * ratings and complaints on its orders, visits with EVV anomalies, settlements with held lines,
 * expired licences (providers); serious incidents (institutions); finished inspections (passed,
 * or failed with a serious finding), findings re-checked as rectified and findings past their
 * deadline still open (inspections). Meal complaints do not exist yet.
 */
export async function derivedEvents(db: DbOrTx, orgId: string, since: string, today: string) {
  return queryRows<DerivedRow>(
    db,
    sql`
    SELECT 'rating_poor' AS kind, 'orders' AS source, o.id::text AS source_id, ${cstDay('r.created_at')} AS day,
      o.no AS ref, r.score::text AS extra
    FROM service_ratings r JOIN service_orders o ON o.id = r.order_id
    WHERE o.provider_id = ${orgId} AND r.score <= 2 AND r.created_at >= ${since}::date
    UNION ALL
    SELECT 'complaint', 'orders', c.id::text, ${cstDay('c.created_at')}, o.no, NULL
    FROM service_complaints c LEFT JOIN service_orders o ON o.id = c.order_id
    WHERE c.provider_id = ${orgId} AND c.created_at >= ${since}::date
    UNION ALL
    SELECT 'evv_anomaly', 'orders', o.id::text, ${cstDay('v.check_in_at')}, o.no, array_to_string(v.flags, ',')
    FROM service_visits v JOIN service_orders o ON o.id = v.order_id
    WHERE o.provider_id = ${orgId} AND cardinality(v.flags) > 0 AND v.check_in_at >= ${since}::date
    UNION ALL
    SELECT 'settlement_hold', 'settlements', s.id::text, ${cstDay('s.created_at')}, s.period, s.held_count::text
    FROM settlements s WHERE s.provider_id = ${orgId} AND s.held_count > 0 AND s.created_at >= ${since}::date
    UNION ALL
    SELECT 'licence_expired', 'providers', l.id::text, (l.valid_until + 1)::text, l.kind, l.number
    FROM provider_licences l
    WHERE l.org_id = ${orgId} AND l.valid_until < ${today}::date AND l.valid_until >= ${since}::date
      AND NOT EXISTS (SELECT 1 FROM provider_licences n WHERE n.org_id = l.org_id AND n.kind = l.kind AND n.valid_until >= ${today}::date)
    UNION ALL
    SELECT 'incident', 'institutions', i.id::text, ${cstDay('i.occurred_at')}, i.kind, i.severity
    FROM institution_incidents i
    WHERE i.org_id = ${orgId} AND i.severity IN ('severe', 'death') AND i.occurred_at >= ${since}::date
    UNION ALL
    SELECT CASE WHEN EXISTS (SELECT 1 FROM inspection_findings f WHERE f.inspection_id = n.id AND f.severity = 'serious')
        THEN 'inspection_fail' ELSE 'inspection_pass' END,
      'inspections', n.id::text, ${cstDay('n.finished_at')}, n.period, n.grade::text
    FROM inspections n WHERE n.org_id = ${orgId} AND n.status = 'finished' AND n.finished_at >= ${since}::date
    UNION ALL
    SELECT 'rectified', 'inspections', f.id::text, ${cstDay('f.rechecked_at')}, left(f.description, 40), NULL
    FROM inspection_findings f WHERE f.org_id = ${orgId} AND f.status = 'closed' AND f.rechecked_at >= ${since}::date
    UNION ALL
    SELECT 'rectification_overdue', 'inspections', f.id::text, (f.deadline + 1)::text, left(f.description, 40), f.deadline::text
    FROM inspection_findings f WHERE f.org_id = ${orgId} AND f.status = 'open' AND f.deadline < ${today}::date
      AND f.deadline >= ${since}::date`,
  );
}

/** Complaints about the organisation in the last year (the public count). */
export async function complaintCount(db: DbOrTx, orgId: string, since: string) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM service_complaints WHERE provider_id = ${orgId} AND created_at >= ${since}::date`,
  );
  return Number(r?.n ?? 0);
}

// ── Standings ──

export async function upsertStanding(db: DbOrTx, s: typeof creditStandings.$inferInsert) {
  await db
    .insert(creditStandings)
    .values(s)
    .onConflictDoUpdate({
      target: creditStandings.orgId,
      set: {
        score: s.score,
        level: s.level,
        listed: s.listed,
        blocked: s.blocked,
        dSince: s.dSince,
        complaintCount: s.complaintCount,
        computedAt: new Date(),
      },
    });
}

// ── Listings ──

export const listingInForce = async (db: DbOrTx, orgId: string) =>
  (
    await db
      .select()
      .from(creditListings)
      .where(and(eq(creditListings.orgId, orgId), eq(creditListings.status, 'listed')))
  )[0];

export const listingsOf = (db: DbOrTx, orgId: string) =>
  db.select().from(creditListings).where(eq(creditListings.orgId, orgId)).orderBy(desc(creditListings.listedOn));

export async function lastRemovedOn(db: DbOrTx, orgId: string) {
  const [r] = await queryRows<{ d: string | null }>(
    db,
    sql`SELECT max(removed_on)::text AS d FROM credit_listings WHERE org_id = ${orgId} AND status = 'removed'`,
  );
  return r?.d ?? null;
}

export const insertListing = (db: DbOrTx, l: typeof creditListings.$inferInsert) =>
  db.insert(creditListings).values(l).returning();

export const updateListing = (db: DbOrTx, id: string, patch: Partial<typeof creditListings.$inferInsert>) =>
  db
    .update(creditListings)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(creditListings.id, id))
    .returning();

export interface ListingRow {
  id: string;
  org_id: string;
  org_name: string;
  org_kind: CreditOrgKind;
  region_code: string;
  basis: 'rule' | 'decision';
  reason: string;
  listed_on: string;
  status: 'listed' | 'removed';
  removed_on: string | null;
  removal_reason: string | null;
  appeal_status: 'none' | 'pending' | 'upheld' | 'rejected';
  appeal_text: string | null;
  appealed_on: string | null;
  appeal_decision: string | null;
  appeal_decided_on: string | null;
}

export async function listListings(db: DbOrTx, actor: Actor, f: { status: 'listed' | 'all' }, limit: number, offset: number) {
  const where = sql`o.type IN ${KINDS} AND ${orgReach(actor)} ${f.status === 'listed' ? sql`AND l.status = 'listed'` : sql``}`;
  const [rows, [{ n }]] = await Promise.all([
    queryRows<ListingRow>(
      db,
      sql`SELECT l.id, l.org_id, o.name AS org_name, o.type AS org_kind, o.region_code, l.basis, l.reason,
          l.listed_on::text AS listed_on, l.status, l.removed_on::text AS removed_on, l.removal_reason, l.appeal_status,
          l.appeal_text, l.appealed_on::text AS appealed_on, l.appeal_decision, l.appeal_decided_on::text AS appeal_decided_on
        FROM credit_listings l JOIN organizations o ON o.id = l.org_id
        WHERE ${where}
        ORDER BY (l.appeal_status = 'pending') DESC, l.status, l.listed_on DESC, l.id LIMIT ${limit} OFFSET ${offset}`,
    ),
    queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM credit_listings l JOIN organizations o ON o.id = l.org_id WHERE ${where}`,
    ),
  ]);
  return { rows, total: Number(n) };
}

/**
 * Keep the provider's own dishonesty flag (provider_profiles.dishonest, which dispatch and the
 * provider pages read) in step with the list: the credit module's listing is the one source.
 */
export async function mirrorProviderFlag(db: DbOrTx, orgId: string, listed: boolean, reason: string | null) {
  await db.execute(
    sql`UPDATE provider_profiles SET dishonest = ${listed}, dishonest_reason = ${listed ? reason : null}, updated_at = now()
        WHERE org_id = ${orgId}`,
  );
}

// ── Rules ──

export const storedRules = async (db: DbOrTx) =>
  (await db.select().from(creditRulesTable).where(eq(creditRulesTable.id, 'default')))[0];

export const saveRules = (db: DbOrTx, rules: Record<string, unknown>, by: string | null) =>
  db
    .insert(creditRulesTable)
    .values({ id: 'default', rules, updatedBy: by })
    .onConflictDoUpdate({ target: creditRulesTable.id, set: { rules, updatedBy: by, updatedAt: new Date() } });

// ── Public disclosure (no personal data: organisations and policies only) ──

export interface PublicOrgRow {
  id: string;
  grade: number | null;
  name: string;
  region_name: string | null;
  level: CreditLevel | null;
  listed: boolean | null;
  complaint_count: number | null;
}

/** Approved providers, open canteens and institutions, by name; `q` filters by name. */
export async function publicOrgs(db: DbOrTx, kind: CreditOrgKind, q?: string) {
  const approved =
    kind === 'provider'
      ? sql`AND EXISTS (SELECT 1 FROM provider_profiles p WHERE p.org_id = o.id AND p.approval_status = 'approved')`
      : sql``;
  return queryRows<PublicOrgRow>(
    db,
    sql`SELECT o.id, o.name, r.name AS region_name, cs.level, cs.listed, cs.complaint_count,
        (SELECT g.grade FROM org_grades g WHERE g.org_id = o.id ORDER BY g.awarded_on DESC, g.created_at DESC LIMIT 1) AS grade
      FROM organizations o
      LEFT JOIN regions r ON r.code = o.region_code
      LEFT JOIN credit_standings cs ON cs.org_id = o.id
      WHERE o.type = ${kind} AND o.status = 'active' ${approved}
        ${q ? sql`AND o.name LIKE ${`%${escapeLike(q)}%`}` : sql``}
      ORDER BY o.name, o.id LIMIT 500`,
  );
}

export async function publicPolicies(db: DbOrTx, today: string) {
  return queryRows<{
    id: string;
    name: string;
    kind: 'points_grant' | 'purchase_credit';
    amount: number;
    period: 'year' | 'month';
    region_name: string | null;
    valid_from: string;
    valid_to: string | null;
  }>(
    db,
    sql`SELECT p.id, p.name, p.kind, p.amount, p.period, r.name AS region_name, p.valid_from::text AS valid_from,
        p.valid_to::text AS valid_to
      FROM policies p LEFT JOIN regions r ON r.code = p.region_code
      WHERE p.status = 'active' AND p.valid_from <= ${today}::date AND (p.valid_to IS NULL OR p.valid_to >= ${today}::date)
      ORDER BY p.valid_from DESC, p.name LIMIT 200`,
  );
}

export async function publicHotlines(db: DbOrTx) {
  return queryRows<{ name: string; number: string }>(
    db,
    sql`SELECT name, number FROM call_hotlines WHERE active ORDER BY name, number LIMIT 20`,
  );
}

/**
 * Row locks on the organisation that order a credit check against a credit change: a creator
 * (new bed contract, new 长护险 funding …) takes `FOR SHARE` before it reads the standing, and
 * every change of a file (listing, event, rescore) takes `FOR NO KEY UPDATE` (which does not
 * block foreign-key checks). A listing that commits first is seen by the creator's check; a
 * creator that locked first commits before the listing does.
 */
export async function lockOrgForCheck(db: DbOrTx, orgId: string) {
  await queryRows(db, sql`SELECT id FROM organizations WHERE id = ${orgId} FOR SHARE`);
}

export async function lockOrgForChange(db: DbOrTx, orgId: string) {
  await queryRows(db, sql`SELECT id FROM organizations WHERE id = ${orgId} FOR NO KEY UPDATE`);
}
