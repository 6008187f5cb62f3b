import { and, asc, count, desc, eq, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { appSettings } from '../../lib/idempotency.schema.ts';
import { elders } from '../elders/elders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { assessments } from './assessments.schema.ts';

export type AssessmentRow = typeof assessments.$inferSelect;

export interface AssessmentFilter {
  elderId?: string;
  regionCode?: string;
  status?: AssessmentRow['status'];
}

const visible = (actor: Actor) => regionScope(assessments.regionCode, actor);

export async function listAssessments(db: DbOrTx, actor: Actor, f: AssessmentFilter, limit: number, offset: number) {
  const where = and(
    visible(actor),
    f.elderId ? eq(assessments.elderId, f.elderId) : undefined,
    f.regionCode ? sql`${assessments.regionCode} LIKE ${`${escapeLike(f.regionCode)}%`}` : undefined,
    f.status ? eq(assessments.status, f.status) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db
      .select({ a: assessments, elderName: elders.name })
      .from(assessments)
      .innerJoin(elders, eq(elders.id, assessments.elderId))
      .where(where)
      .orderBy(desc(assessments.assessedOn), desc(assessments.createdAt))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(assessments).where(where),
  ]);
  return { items, total };
}

export async function findVisible(db: DbOrTx, actor: Actor, id: string, forUpdate = false) {
  const q = db
    .select()
    .from(assessments)
    .where(and(eq(assessments.id, id), visible(actor)))
    .limit(1);
  return (await (forUpdate ? q.for('update') : q))[0];
}

export async function insertAssessment(db: DbOrTx, row: typeof assessments.$inferInsert) {
  return (await db.insert(assessments).values(row).returning())[0];
}

export async function updateAssessment(db: DbOrTx, id: string, patch: Partial<typeof assessments.$inferInsert>) {
  return (
    await db
      .update(assessments)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(assessments.id, id))
      .returning()
  )[0];
}

export async function signedBefore(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return db
    .select()
    .from(assessments)
    .where(
      and(eq(assessments.elderId, elderId), sql`${assessments.status} <> 'draft'`, sql`${assessments.updatedAt} < ${before}`),
    )
    .orderBy(desc(assessments.updatedAt))
    .limit(limit);
}

/** Is another signed assessment of the elder newer than `assessedOn`? Then it keeps the current level. */
export async function newerSigned(db: DbOrTx, elderId: string, id: string, assessedOn: string) {
  const r = await db
    .select({ id: assessments.id })
    .from(assessments)
    .where(
      and(
        eq(assessments.elderId, elderId),
        eq(assessments.status, 'signed'),
        sql`${assessments.id} <> ${id}`,
        sql`${assessments.assessedOn} > ${assessedOn}`,
      ),
    )
    .limit(1);
  return r.length > 0;
}

const dueWhere = (actor: Actor, regionCode: string | undefined, until: string): SQL | undefined =>
  and(
    regionScope(elders.regionCode, actor),
    regionCode ? sql`${elders.regionCode} LIKE ${`${escapeLike(regionCode)}%`}` : undefined,
    eq(elders.status, 'active'),
    or(isNull(elders.nextAssessmentDue), lte(elders.nextAssessmentDue, until)),
  );

/** Active elders whose assessment is due by `until` (or who were never assessed), most overdue first. */
export async function dueElders(
  db: DbOrTx,
  actor: Actor,
  regionCode: string | undefined,
  until: string,
  limit: number,
  offset: number,
) {
  const where = dueWhere(actor, regionCode, until);
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        id: elders.id,
        name: elders.name,
        regionCode: elders.regionCode,
        regionName: regions.name,
        abilityLevel: elders.abilityLevel,
        nextAssessmentDue: elders.nextAssessmentDue,
      })
      .from(elders)
      .leftJoin(regions, eq(regions.code, elders.regionCode))
      .where(where)
      .orderBy(sql`${elders.nextAssessmentDue} ASC NULLS FIRST`, asc(elders.id))
      .limit(limit)
      .offset(offset),
    db.select({ total: count() }).from(elders).where(where),
  ]);
  return { items, total };
}

/** Per community: how many are overdue (due before today), due within the window, never assessed. */
export async function dueSummary(db: DbOrTx, actor: Actor, regionCode: string | undefined, today: string, until: string) {
  return db
    .select({
      regionCode: elders.regionCode,
      regionName: regions.name,
      overdue: sql<number>`count(*) FILTER (WHERE ${elders.nextAssessmentDue} < ${today})`.mapWith(Number),
      dueSoon: sql<number>`count(*) FILTER (WHERE ${elders.nextAssessmentDue} >= ${today})`.mapWith(Number),
      neverAssessed: sql<number>`count(*) FILTER (WHERE ${elders.nextAssessmentDue} IS NULL)`.mapWith(Number),
    })
    .from(elders)
    .leftJoin(regions, eq(regions.code, elders.regionCode))
    .where(dueWhere(actor, regionCode, until))
    .groupBy(elders.regionCode, regions.name)
    .orderBy(asc(elders.regionCode));
}

const INTERVAL_KEY = 'assessments.intervalMonths';

export async function intervalMonths(db: DbOrTx): Promise<number> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, INTERVAL_KEY)).limit(1);
  const v = (row?.value as { months?: number } | undefined)?.months;
  return typeof v === 'number' && v >= 1 ? v : 12;
}

export async function setIntervalMonths(db: DbOrTx, months: number) {
  await db
    .insert(appSettings)
    .values({ key: INTERVAL_KEY, value: { months } })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: { months }, updatedAt: new Date() } });
}
