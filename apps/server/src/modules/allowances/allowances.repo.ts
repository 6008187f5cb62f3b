import { and, asc, count, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { elders } from '../elders/elders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import {
  type ApplicationStatus,
  allowanceApplications,
  allowanceEvents,
  allowanceRollLines,
  allowanceRolls,
  allowanceSettings,
  allowanceTiers,
  allowanceVerifications,
} from './allowances.schema.ts';

export type TierRow = typeof allowanceTiers.$inferSelect;
export type RollRow = typeof allowanceRolls.$inferSelect;
type AppInsert = typeof allowanceApplications.$inferInsert;

/** Tiers of the districts that hold the actor's region or lie inside it. */
export function listTiers(db: DbOrTx, actor: Actor, f: { regionCode?: string; year?: number }) {
  const reach =
    actor.regionCode === null
      ? undefined
      : sql`(${allowanceTiers.regionCode} = left(${actor.regionCode}, 6) OR ${regionScope(allowanceTiers.regionCode, actor)})`;
  return db
    .select()
    .from(allowanceTiers)
    .where(
      and(
        reach,
        f.regionCode ? eq(allowanceTiers.regionCode, f.regionCode) : undefined,
        f.year ? eq(allowanceTiers.year, f.year) : undefined,
      ),
    )
    .orderBy(asc(allowanceTiers.regionCode), desc(allowanceTiers.year), asc(allowanceTiers.minAge));
}

export const tiersOfDistrict = (db: DbOrTx, district: string) =>
  db.select().from(allowanceTiers).where(eq(allowanceTiers.regionCode, district)).orderBy(asc(allowanceTiers.minAge));

export async function insertTier(db: DbOrTx, t: typeof allowanceTiers.$inferInsert) {
  return (await db.insert(allowanceTiers).values(t).returning())[0];
}

/** Does a tier of the district and year already cover part of this age band in overlapping dates? */
export async function overlappingTier(
  db: DbOrTx,
  t: { regionCode: string; year: number; minAge: number; maxAge: number | null },
) {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM allowance_tiers WHERE region_code = ${t.regionCode} AND year = ${t.year}
      AND min_age <= COALESCE(${t.maxAge}::int, 1000) AND COALESCE(max_age, 1000) >= ${t.minAge} LIMIT 1`,
  );
  return rows[0];
}

export async function getSettings(db: DbOrTx, district: string) {
  const [row] = await db.select().from(allowanceSettings).where(eq(allowanceSettings.regionCode, district));
  return row ?? { regionCode: district, noticeDays: 7, verificationPeriod: 'month' as const, missedPeriodsSuspend: 2 };
}

export async function putSettings(db: DbOrTx, s: typeof allowanceSettings.$inferInsert) {
  const { regionCode, ...rest } = s;
  return (
    await db
      .insert(allowanceSettings)
      .values(s)
      .onConflictDoUpdate({ target: allowanceSettings.regionCode, set: { ...rest, updatedAt: new Date() } })
      .returning()
  )[0];
}

/** An application with what the presenter and the rules need of its elder. */
const appColumns = {
  app: allowanceApplications,
  elderName: elders.name,
  idNumberEnc: elders.idNumberEnc,
  birthDate: elders.birthDate,
  sex: elders.sex,
  hukouLocal: elders.hukouLocal,
  categories: elders.categories,
  elderStatus: elders.status,
  elderStatusDate: elders.statusDate,
  regionName: regions.name,
};

function appQuery(db: DbOrTx) {
  return db
    .select(appColumns)
    .from(allowanceApplications)
    .innerJoin(elders, eq(elders.id, allowanceApplications.elderId))
    .leftJoin(regions, eq(regions.code, allowanceApplications.regionCode));
}
export type AppRow = Awaited<ReturnType<typeof findApplication>> & {};

/** One application, if its elder is visible to the actor (else undefined: a 404). */
export async function findApplication(db: DbOrTx, actor: Actor, id: string) {
  return (
    await appQuery(db)
      .where(and(eq(allowanceApplications.id, id), elderVisibleTo(actor, elders.id, elders.regionCode)))
      .limit(1)
  )[0];
}

export async function findApplicationForUpdate(db: DbOrTx, id: string) {
  const rows = await queryRows<{ id: string }>(db, sql`SELECT id FROM allowance_applications WHERE id = ${id} FOR UPDATE`);
  return rows[0];
}

export async function listApplications(
  db: DbOrTx,
  actor: Actor,
  f: { status?: ApplicationStatus; regionCode?: string; elderId?: string; limit: number; offset: number },
) {
  const where = and(
    elderVisibleTo(actor, elders.id, elders.regionCode),
    f.status ? eq(allowanceApplications.status, f.status) : undefined,
    f.regionCode ? like(allowanceApplications.regionCode, `${escapeLike(f.regionCode)}%`) : undefined,
    f.elderId ? eq(allowanceApplications.elderId, f.elderId) : undefined,
  );
  const [items, [{ n }]] = await Promise.all([
    appQuery(db)
      .where(where)
      .orderBy(desc(allowanceApplications.createdAt), asc(allowanceApplications.id))
      .limit(f.limit)
      .offset(f.offset),
    db
      .select({ n: count() })
      .from(allowanceApplications)
      .innerJoin(elders, eq(elders.id, allowanceApplications.elderId))
      .where(where),
  ]);
  return { items, total: n };
}

export async function insertApplication(db: DbOrTx, a: AppInsert) {
  return (await db.insert(allowanceApplications).values(a).onConflictDoNothing().returning())[0];
}

/** Move an application only from the status it was read in (a concurrent step loses: undefined). */
export async function updateApplication(db: DbOrTx, id: string, from: ApplicationStatus, patch: Partial<AppInsert>) {
  return (
    await db
      .update(allowanceApplications)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(allowanceApplications.id, id), eq(allowanceApplications.status, from)))
      .returning()
  )[0];
}

export async function insertEvent(db: DbOrTx, e: typeof allowanceEvents.$inferInsert) {
  await db.insert(allowanceEvents).values(e);
}

export const timeline = (db: DbOrTx, applicationId: string) =>
  db.select().from(allowanceEvents).where(eq(allowanceEvents.applicationId, applicationId)).orderBy(asc(allowanceEvents.id));

export async function elderInReach(db: DbOrTx, actor: Actor, elderId: string) {
  return (
    await db
      .select()
      .from(elders)
      .where(and(eq(elders.id, elderId), elderVisibleTo(actor)))
      .limit(1)
  )[0];
}

/**
 * Active elders of a district with no live or past application whose age reaches `minAge` for the
 * month (the age reached by the end of the month before), as (id, region) pairs.
 */
export function newlyEligible(db: DbOrTx, district: string, lastDayBefore: string, minAge: number) {
  return queryRows<{ id: string; region_code: string }>(
    db,
    sql`SELECT e.id, e.region_code FROM elders e
      WHERE e.region_code LIKE ${`${escapeLike(district)}%`} AND e.status = 'active'
        AND e.birth_date <= (${lastDayBefore}::date - make_interval(years => ${minAge}))::date
        AND NOT EXISTS (SELECT 1 FROM allowance_applications a WHERE a.elder_id = e.id)
      ORDER BY e.id`,
  );
}

export const districtsWithTiers = async (db: DbOrTx) =>
  (await queryRows<{ region_code: string }>(db, sql`SELECT DISTINCT region_code FROM allowance_tiers ORDER BY 1`)).map(
    (r) => r.region_code,
  );

/** The 公示 list: applications under notice, in the actor's reach. */
export function notices(db: DbOrTx, actor: Actor, regionCode?: string) {
  return appQuery(db)
    .where(
      and(
        eq(allowanceApplications.status, 'notice'),
        elderVisibleTo(actor, elders.id, elders.regionCode),
        regionCode ? like(allowanceApplications.regionCode, `${escapeLike(regionCode)}%`) : undefined,
      ),
    )
    .orderBy(asc(allowanceApplications.regionCode), asc(allowanceApplications.noticeEndsOn), asc(elders.name));
}

/** Applications of a district whose 公示 has ended (before `today`) with no open objection. */
export function noticesDue(db: DbOrTx, district: string, today: string) {
  return queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM allowance_applications WHERE status = 'notice' AND open_objections = 0
      AND notice_ends_on < ${today}::date AND region_code LIKE ${`${escapeLike(district)}%`} ORDER BY id`,
  );
}

export async function insertVerification(db: DbOrTx, v: typeof allowanceVerifications.$inferInsert) {
  await db.insert(allowanceVerifications).values(v);
}

/**
 * Elders of a district's live allowances with a passed verification in any of the periods. One
 * query by district (never a list of ids: a city's roll has 10⁵ elders, over the parameter limit).
 */
export async function verifiedElders(db: DbOrTx, district: string, periods: string[]) {
  if (!periods.length) return new Set<string>();
  const rows = await queryRows<{ elder_id: string }>(
    db,
    sql`SELECT DISTINCT v.elder_id FROM allowance_verifications v
      JOIN allowance_applications a ON a.elder_id = v.elder_id AND a.status IN ('active', 'suspended')
      WHERE a.region_code LIKE ${`${escapeLike(district)}%`} AND v.result = 'passed'
        AND v.period IN (${sql.join(
          periods.map((p) => sql`${p}`),
          sql`, `,
        )})`,
  );
  return new Set(rows.map((r) => r.elder_id));
}

/** Every payable application of a district (active, or suspended for arrears bookkeeping) with its elder. */
export function payableApplications(db: DbOrTx, district: string) {
  return appQuery(db)
    .where(
      and(
        like(allowanceApplications.regionCode, `${escapeLike(district)}%`),
        inArray(allowanceApplications.status, ['active', 'suspended']),
      ),
    )
    .orderBy(asc(allowanceApplications.id));
}

// --- Rolls -------------------------------------------------------------------------------------

/** Insert the roll of (district, month) unless it exists; undefined when another call made it. */
export async function insertRoll(db: DbOrTx, r: typeof allowanceRolls.$inferInsert) {
  return (await db.insert(allowanceRolls).values(r).onConflictDoNothing().returning())[0];
}

export async function rollOf(db: DbOrTx, district: string, month: string) {
  return (
    await db
      .select()
      .from(allowanceRolls)
      .where(and(eq(allowanceRolls.regionCode, district), eq(allowanceRolls.month, month)))
  )[0];
}

export async function findRoll(db: DbOrTx, actor: Actor, id: string) {
  return (
    await db
      .select()
      .from(allowanceRolls)
      .where(and(eq(allowanceRolls.id, id), districtReach(actor)))
  )[0];
}

/** A roll is the district's: only actors whose reach holds the whole district see it. */
const districtReach = (actor: Actor) => regionScope(allowanceRolls.regionCode, actor);

export const listRolls = (db: DbOrTx, actor: Actor, regionCode?: string, month?: string) =>
  db
    .select()
    .from(allowanceRolls)
    .where(
      and(
        districtReach(actor),
        regionCode ? eq(allowanceRolls.regionCode, regionCode) : undefined,
        month ? eq(allowanceRolls.month, month) : undefined,
      ),
    )
    .orderBy(desc(allowanceRolls.month), asc(allowanceRolls.regionCode));

/**
 * Insert lines; a (elder, month) already paid by any roll is skipped (the unique key). Returns how
 * many went in and their total. 5,000 rows a statement: 45,000 parameters, under PostgreSQL's 65,535.
 */
export async function insertLines(db: DbOrTx, lines: Array<typeof allowanceRollLines.$inferInsert>) {
  let count = 0;
  let total = 0;
  for (let i = 0; i < lines.length; i += 5000) {
    const rows = await db
      .insert(allowanceRollLines)
      .values(lines.slice(i, i + 5000))
      .onConflictDoNothing()
      .returning({ amountFen: allowanceRollLines.amountFen });
    count += rows.length;
    for (const r of rows) total += r.amountFen;
  }
  return { count, total };
}

export async function setRollTotals(db: DbOrTx, id: string, lineCount: number, totalFen: number) {
  await db.update(allowanceRolls).set({ lineCount, totalFen }).where(eq(allowanceRolls.id, id));
}

export async function approveRoll(db: DbOrTx, id: string, by: string | null, ledgerTxId: string | null) {
  return (
    await db
      .update(allowanceRolls)
      .set({ status: 'approved', approvedBy: by, approvedAt: new Date(), ledgerTxId })
      .where(and(eq(allowanceRolls.id, id), eq(allowanceRolls.status, 'draft')))
      .returning()
  )[0];
}

export async function lockRoll(db: DbOrTx, id: string) {
  return (
    await queryRows<{ id: string; status: string }>(db, sql`SELECT id, status FROM allowance_rolls WHERE id = ${id} FOR UPDATE`)
  )[0];
}

/** A roll's lines with the elder and bank columns, by community then line. */
export function rollLines(db: DbOrTx, rollId: string, limit: number, offset: number) {
  return db
    .select({
      line: allowanceRollLines,
      elderName: elders.name,
      idNumberEnc: elders.idNumberEnc,
      bankName: allowanceApplications.bankName,
      bankAccountEnc: allowanceApplications.bankAccountEnc,
      accountHolder: allowanceApplications.accountHolder,
    })
    .from(allowanceRollLines)
    .innerJoin(elders, eq(elders.id, allowanceRollLines.elderId))
    .innerJoin(allowanceApplications, eq(allowanceApplications.id, allowanceRollLines.applicationId))
    .where(eq(allowanceRollLines.rollId, rollId))
    .orderBy(asc(allowanceRollLines.regionCode), asc(allowanceRollLines.id))
    .limit(limit)
    .offset(offset);
}

export async function rollLineSum(db: DbOrTx, rollId: string) {
  const [r] = await queryRows<{ n: string; total: string | null }>(
    db,
    sql`SELECT count(*) AS n, sum(amount_fen) AS total FROM allowance_roll_lines WHERE roll_id = ${rollId}`,
  );
  return { n: Number(r.n), total: Number(r.total ?? 0) };
}

/** The payments of one application, newest month first, with their roll's status. */
export const paymentsOf = (db: DbOrTx, applicationId: string) =>
  db
    .select({ line: allowanceRollLines, rollStatus: allowanceRolls.status })
    .from(allowanceRollLines)
    .innerJoin(allowanceRolls, eq(allowanceRolls.id, allowanceRollLines.rollId))
    .where(eq(allowanceRollLines.applicationId, applicationId))
    .orderBy(desc(allowanceRollLines.month));

/** Flag the lines paid for months after `lastPaidMonth` (death): to recover, and drop them from drafts. */
export async function flagOverpayments(db: DbOrTx, applicationId: string, lastPaidMonth: string) {
  await db.execute(sql`
    DELETE FROM allowance_roll_lines l USING allowance_rolls r
    WHERE l.roll_id = r.id AND r.status = 'draft' AND l.application_id = ${applicationId} AND l.month > ${lastPaidMonth}`);
  await db.execute(sql`
    UPDATE allowance_roll_lines SET recovery_due = true
    WHERE application_id = ${applicationId} AND month > ${lastPaidMonth}`);
  await db.execute(sql`
    UPDATE allowance_rolls r SET
      line_count = (SELECT count(*) FROM allowance_roll_lines l WHERE l.roll_id = r.id),
      total_fen = (SELECT COALESCE(sum(amount_fen), 0) FROM allowance_roll_lines l WHERE l.roll_id = r.id)
    WHERE r.status = 'draft' AND r.id IN (SELECT roll_id FROM allowance_roll_lines WHERE application_id = ${applicationId})
       OR (r.status = 'draft' AND r.line_count > (SELECT count(*) FROM allowance_roll_lines l WHERE l.roll_id = r.id))`);
}

/** Live applications of a district whose elder the archive says died or moved away. */
export function goneRecipients(db: DbOrTx, district: string) {
  return appQuery(db)
    .where(
      and(
        like(allowanceApplications.regionCode, `${escapeLike(district)}%`),
        sql`${allowanceApplications.status} NOT IN ('rejected', 'stopped')`,
        sql`(${elders.status} = 'deceased' OR (${elders.status} = 'moved_away' AND ${allowanceApplications.status} = 'active'))`,
      ),
    )
    .orderBy(asc(allowanceApplications.id));
}

/** An elder's allowance steps before a time, newest first (the 360° timeline). */
export const eventsOfElder = (db: DbOrTx, elderId: string, before: Date, limit: number) =>
  db
    .select({ event: allowanceEvents })
    .from(allowanceEvents)
    .innerJoin(allowanceApplications, eq(allowanceApplications.id, allowanceEvents.applicationId))
    .where(and(eq(allowanceApplications.elderId, elderId), sql`${allowanceEvents.at} < ${before}`))
    .orderBy(desc(allowanceEvents.at), desc(allowanceEvents.id))
    .limit(limit)
    .then((rows) => rows.map((r) => r.event));

/** The bank file's lines in line order, after line `afterId` (keyset: constant cost per batch on the (roll, id) index). */
export function rollLinesAfter(db: DbOrTx, rollId: string, afterId: number, limit: number) {
  return db
    .select({
      line: allowanceRollLines,
      elderName: elders.name,
      idNumberEnc: elders.idNumberEnc,
      bankName: allowanceApplications.bankName,
      bankAccountEnc: allowanceApplications.bankAccountEnc,
      accountHolder: allowanceApplications.accountHolder,
    })
    .from(allowanceRollLines)
    .innerJoin(elders, eq(elders.id, allowanceRollLines.elderId))
    .innerJoin(allowanceApplications, eq(allowanceApplications.id, allowanceRollLines.applicationId))
    .where(and(eq(allowanceRollLines.rollId, rollId), sql`${allowanceRollLines.id} > ${afterId}`))
    .orderBy(asc(allowanceRollLines.id))
    .limit(limit);
}

/** The elder an elder's or a family member's account is bound to (users.elder_id). */
export async function elderOfPerson(db: DbOrTx, actor: Actor) {
  return (await db.select().from(elders).where(elderVisibleTo(actor)).limit(1))[0];
}

/** The elder's newest application, whatever its status. */
export async function latestApplicationOf(db: DbOrTx, elderId: string) {
  return (
    await db
      .select()
      .from(allowanceApplications)
      .where(eq(allowanceApplications.elderId, elderId))
      .orderBy(desc(allowanceApplications.createdAt))
      .limit(1)
  )[0];
}
