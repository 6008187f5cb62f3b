import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import {
  type InspectedOrgType,
  inspectionFindings,
  inspectionRounds,
  inspectionScores,
  inspections,
  inspectionTemplates,
  orgGrades,
} from './inspections.schema.ts';

/** All SQL of inspections: checklists, rounds, inspections, scores, findings, grades, status. */

/**
 * The rows of `alias` (a table with region_code and org_id) the actor reaches: a region-scoped
 * actor its subtree, an organisation's staff their own organisation, no one else.
 */
export function reach(actor: Actor, alias: string) {
  const region = sql.raw(`${alias}.region_code`);
  const org = sql.raw(`${alias}.org_id`);
  if (actor.role === 'system') return sql`TRUE`;
  if (isRegionScoped(actor))
    return actor.regionCode === null ? sql`TRUE` : sql`${region} LIKE ${`${escapeLike(actor.regionCode)}%`}`;
  if (actor.orgId) return sql`${org} = ${actor.orgId}::uuid`;
  return sql`FALSE`;
}

/** Checklists the actor may use: the national ones and those of a district over or under its region. */
export async function listTemplates(db: DbOrTx, actor: Actor) {
  const own = actor.regionCode
    ? sql`region_code IS NULL OR region_code LIKE ${`${escapeLike(actor.regionCode)}%`} OR ${actor.regionCode} LIKE region_code || '%'`
    : sql`TRUE`;
  return db
    .select()
    .from(inspectionTemplates)
    .where(own)
    .orderBy(inspectionTemplates.orgType, inspectionTemplates.code, desc(inspectionTemplates.version));
}

export async function findTemplate(db: DbOrTx, id: string) {
  return (await db.select().from(inspectionTemplates).where(eq(inspectionTemplates.id, id)).limit(1))[0];
}

/** Insert the next version of a checklist; earlier versions stay (old inspections keep theirs). */
export async function insertTemplateVersion(tx: DbOrTx, row: Omit<typeof inspectionTemplates.$inferInsert, 'version'>) {
  const [{ next }] = await queryRows<{ next: number }>(
    tx,
    sql`SELECT coalesce(max(version), 0)::int + 1 AS next FROM inspection_templates WHERE code = ${row.code}`,
  );
  await tx
    .update(inspectionTemplates)
    .set({ active: false })
    .where(and(eq(inspectionTemplates.code, row.code), eq(inspectionTemplates.active, true)));
  return (
    await tx
      .insert(inspectionTemplates)
      .values({ ...row, version: next })
      .returning()
  )[0];
}

/** The national template's region (null) or the district's; another district's code is taken. */
export async function templateCodeOwner(db: DbOrTx, code: string) {
  return (await db.select().from(inspectionTemplates).where(eq(inspectionTemplates.code, code)).limit(1))[0];
}

export interface RoundRow {
  id: string;
  region_code: string;
  kind: 'quarterly' | 'annual';
  period: string;
  name: string;
  due_on: string;
  inspections: number;
  finished: number;
  open_findings: number;
}
export async function listRounds(db: DbOrTx, actor: Actor, id?: string) {
  return queryRows<RoundRow>(
    db,
    sql`SELECT r.id, r.region_code, r.kind, r.period, r.name, r.due_on::text AS due_on,
        (SELECT count(*)::int FROM inspections i WHERE i.round_id = r.id AND ${reach(actor, 'i')}) AS inspections,
        (SELECT count(*)::int FROM inspections i WHERE i.round_id = r.id AND i.status = 'finished' AND ${reach(actor, 'i')}) AS finished,
        (SELECT count(*)::int FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id
           WHERE i.round_id = r.id AND f.status <> 'closed' AND ${reach(actor, 'i')}) AS open_findings
      FROM inspection_rounds r
      WHERE ${id ? sql`r.id = ${id}` : sql`TRUE`}
        AND (${isRegionScoped(actor) || actor.role === 'system' ? reach(actor, 'r') : sql`FALSE`}
             OR EXISTS (SELECT 1 FROM inspections i WHERE i.round_id = r.id AND ${reach(actor, 'i')}))
      ORDER BY r.period DESC, r.created_at DESC`,
  );
}

export async function insertRound(tx: DbOrTx, row: typeof inspectionRounds.$inferInsert) {
  return (await tx.insert(inspectionRounds).values(row).onConflictDoNothing().returning())[0];
}

/** Open organisations of a type in a region subtree (the ones a round inspects). */
export async function openOrgs(db: DbOrTx, regionCode: string, type: InspectedOrgType) {
  return queryRows<{ id: string; region_code: string }>(
    db,
    sql`SELECT id, region_code FROM organizations
      WHERE type = ${type} AND status = 'active' AND region_code LIKE ${`${escapeLike(regionCode)}%`} ORDER BY name`,
  );
}

export async function insertInspections(tx: DbOrTx, rows: Array<typeof inspections.$inferInsert>) {
  if (!rows.length) return 0;
  return (await tx.insert(inspections).values(rows).onConflictDoNothing().returning({ id: inspections.id })).length;
}

export interface InspectionRow {
  id: string;
  round_id: string;
  round_name: string;
  org_id: string;
  org_name: string;
  org_type: InspectedOrgType;
  region_code: string;
  template_id: string;
  template_name: string;
  max_score: number;
  period: string;
  status: 'self_assessment' | 'assessing' | 'finished';
  self_score: number | null;
  self_submitted_at: Date | string | null;
  total_score: number | null;
  grade: number | null;
  assessor_name: string | null;
  finished_at: Date | string | null;
  open_findings: number;
}
export async function listInspections(
  db: DbOrTx,
  actor: Actor,
  f: { id?: string; roundId?: string; orgId?: string; status?: string },
) {
  return queryRows<InspectionRow>(
    db,
    sql`SELECT i.id, i.round_id, r.name AS round_name, i.org_id, o.name AS org_name, i.org_type, i.region_code,
        i.template_id, t.name AS template_name, t.max_score::float8 AS max_score, i.period, i.status,
        i.self_score::float8 AS self_score, i.self_submitted_at, i.total_score::float8 AS total_score, i.grade::int AS grade,
        i.assessor_name, i.finished_at,
        (SELECT count(*)::int FROM inspection_findings f WHERE f.inspection_id = i.id AND f.status <> 'closed') AS open_findings
      FROM inspections i
      JOIN inspection_rounds r ON r.id = i.round_id
      JOIN organizations o ON o.id = i.org_id
      JOIN inspection_templates t ON t.id = i.template_id
      WHERE ${reach(actor, 'i')}
        ${f.id ? sql`AND i.id = ${f.id}` : sql``}
        ${f.roundId ? sql`AND i.round_id = ${f.roundId}` : sql``}
        ${f.orgId ? sql`AND i.org_id = ${f.orgId}` : sql``}
        ${f.status ? sql`AND i.status = ${f.status}` : sql``}
      ORDER BY r.period DESC, o.name
      LIMIT 2000`,
  );
}

export async function scoresOf(db: DbOrTx, inspectionId: string) {
  return db.select().from(inspectionScores).where(eq(inspectionScores.inspectionId, inspectionId));
}

/** Save the organisation's own scores (`self`) or the assessor's, item by item. */
export async function upsertScores(
  tx: DbOrTx,
  inspectionId: string,
  who: 'self' | 'assessor',
  lines: Array<{ itemCode: string; score: number | null; note?: string }>,
) {
  for (const l of lines) {
    const values = who === 'self' ? { selfScore: l.score, selfNote: l.note ?? null } : { score: l.score, note: l.note ?? null };
    await tx
      .insert(inspectionScores)
      .values({ inspectionId, itemCode: l.itemCode, ...values })
      .onConflictDoUpdate({
        target: [inspectionScores.inspectionId, inspectionScores.itemCode],
        set: { ...values, updatedAt: new Date() },
      });
  }
}

export async function updateInspection(tx: DbOrTx, id: string, patch: Partial<typeof inspections.$inferInsert>) {
  return (
    await tx
      .update(inspections)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(inspections.id, id))
      .returning()
  )[0];
}

/** Finish an inspection once: a conditional update, so a second finish (or a race) changes nothing. */
export async function finishInspection(
  tx: DbOrTx,
  id: string,
  v: { totalScore: number; grade: number | null; assessorId: string | null; assessorName: string },
) {
  return (
    await tx
      .update(inspections)
      .set({ ...v, status: 'finished', finishedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(inspections.id, id), sql`${inspections.status} <> 'finished'`))
      .returning()
  )[0];
}

export async function insertGrade(tx: DbOrTx, row: typeof orgGrades.$inferInsert) {
  await tx.insert(orgGrades).values(row);
}

export async function gradeHistory(db: DbOrTx, orgId: string) {
  return queryRows<{
    inspection_id: string;
    period: string;
    grade: number;
    score: number;
    template_code: string;
    awarded_on: string;
  }>(
    db,
    sql`SELECT g.inspection_id, i.period, g.grade::int AS grade, g.score::float8 AS score, g.template_code,
        g.awarded_on::text AS awarded_on
      FROM org_grades g JOIN inspections i ON i.id = g.inspection_id
      WHERE g.org_id = ${orgId} ORDER BY g.awarded_on DESC, g.created_at DESC`,
  );
}

export interface FindingRow {
  id: string;
  inspection_id: string;
  org_id: string;
  org_name: string;
  region_code: string;
  inspection_status: string;
  item_code: string | null;
  description: string;
  severity: 'general' | 'serious';
  due_on: string;
  status: 'open' | 'rectified' | 'closed';
  rectification: string | null;
  rectified_at: Date | string | null;
  recheck_note: string | null;
  rechecked_at: Date | string | null;
  org_type: InspectedOrgType;
}
export async function listFindings(
  db: DbOrTx,
  actor: Actor,
  f: { id?: string; inspectionId?: string; orgId?: string; status?: string },
) {
  return queryRows<FindingRow>(
    db,
    sql`SELECT f.id, f.inspection_id, f.org_id, o.name AS org_name, i.region_code, i.status AS inspection_status,
        i.org_type, f.item_code, f.description, f.severity, f.deadline::text AS due_on, f.status, f.rectification,
        f.rectified_at, f.recheck_note, f.rechecked_at
      FROM inspection_findings f
      JOIN inspections i ON i.id = f.inspection_id
      JOIN organizations o ON o.id = f.org_id
      WHERE ${reach(actor, 'i')}
        ${f.id ? sql`AND f.id = ${f.id}` : sql``}
        ${f.inspectionId ? sql`AND f.inspection_id = ${f.inspectionId}` : sql``}
        ${f.orgId ? sql`AND f.org_id = ${f.orgId}` : sql``}
        ${f.status ? sql`AND f.status = ${f.status}` : sql``}
      ORDER BY f.deadline, f.created_at
      LIMIT 2000`,
  );
}

export async function insertFinding(tx: DbOrTx, row: typeof inspectionFindings.$inferInsert) {
  return (await tx.insert(inspectionFindings).values(row).returning())[0];
}

/** Move a finding from one status to the next, only if it is still in `from` (a race changes nothing). */
export async function moveFinding(
  tx: DbOrTx,
  id: string,
  from: 'open' | 'rectified',
  patch: Partial<typeof inspectionFindings.$inferInsert>,
) {
  return (
    await tx
      .update(inspectionFindings)
      .set(patch)
      .where(and(eq(inspectionFindings.id, id), eq(inspectionFindings.status, from)))
      .returning()
  )[0];
}

export interface StatusRow {
  org_id: string;
  name: string;
  org_type: InspectedOrgType;
  region_code: string;
  status: string;
  residents: number | null;
  beds: number | null;
  staff_today: number | null;
  open_alarms: number;
  open_findings: number;
  last_id: string | null;
  last_period: string | null;
  last_finished_at: Date | string | null;
  last_score: number | null;
  grade: number | null;
}
/** Every institution and centre in reach with today's figures. */
export async function operatingStatus(db: DbOrTx, actor: Actor, day: string) {
  return queryRows<StatusRow>(
    db,
    sql`SELECT o.id AS org_id, o.name, o.type AS org_type, o.region_code, o.status,
        CASE WHEN o.type = 'institution' THEN
          (SELECT count(*)::int FROM admissions a WHERE a.org_id = o.id AND a.status = 'admitted') END AS residents,
        CASE WHEN o.type = 'institution' THEN
          (SELECT count(*)::int FROM beds b WHERE b.org_id = o.id AND b.status <> 'out_of_service') END AS beds,
        CASE WHEN o.type = 'institution' THEN
          (SELECT count(DISTINCT c.by_user)::int FROM care_records c WHERE c.org_id = o.id AND c.day = ${day}::date) END AS staff_today,
        (SELECT count(*)::int FROM alarms al WHERE al.org_id = o.id AND al.open) AS open_alarms,
        (SELECT count(*)::int FROM inspection_findings f WHERE f.org_id = o.id AND f.status <> 'closed') AS open_findings,
        li.id AS last_id, li.period AS last_period, li.finished_at AS last_finished_at, li.total_score::float8 AS last_score,
        (SELECT g.grade::int FROM org_grades g WHERE g.org_id = o.id ORDER BY g.awarded_on DESC, g.created_at DESC LIMIT 1) AS grade
      FROM organizations o
      LEFT JOIN LATERAL (SELECT i.id, i.period, i.finished_at, i.total_score FROM inspections i
        WHERE i.org_id = o.id AND i.status = 'finished' ORDER BY i.finished_at DESC LIMIT 1) li ON TRUE
      WHERE o.type IN ('institution', 'community_centre') AND ${reachOrg(actor)}
      ORDER BY o.type DESC, o.name`,
  );
}

/** `reach` for the organizations table itself (its id is the org). */
function reachOrg(actor: Actor) {
  if (actor.role === 'system') return sql`TRUE`;
  if (isRegionScoped(actor))
    return actor.regionCode === null ? sql`TRUE` : sql`o.region_code LIKE ${`${escapeLike(actor.regionCode)}%`}`;
  if (actor.orgId) return sql`o.id = ${actor.orgId}::uuid`;
  return sql`FALSE`;
}

/** Institutions for the public: name, address, region, beds and the newest grade; nothing of a person. */
export async function publicInstitutions(db: DbOrTx) {
  return queryRows<{
    id: string;
    name: string;
    address: string | null;
    region_code: string;
    grade: number | null;
    awarded_on: string | null;
    beds: number;
    free_beds: number;
  }>(
    db,
    sql`SELECT o.id, o.name, o.address, o.region_code, g.grade::int AS grade, g.awarded_on::text AS awarded_on,
        (SELECT count(*)::int FROM beds b WHERE b.org_id = o.id AND b.status <> 'out_of_service') AS beds,
        (SELECT count(*)::int FROM beds b WHERE b.org_id = o.id AND b.status = 'free') AS free_beds
      FROM organizations o
      LEFT JOIN LATERAL (SELECT grade, awarded_on FROM org_grades WHERE org_id = o.id
        ORDER BY awarded_on DESC, created_at DESC LIMIT 1) g ON TRUE
      WHERE o.type = 'institution' AND o.status = 'active'
      ORDER BY g.grade DESC NULLS LAST, o.name
      LIMIT 1000`,
  );
}
