import { ELDER_SEARCH_TOTAL_CAP } from '@zhiyang/shared';
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, like, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { sealedBox } from '../../lib/sealed.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { regions } from '../regions/regions.schema.ts';
import { elderContacts, elderInviteCodes, elderStatusChanges, elders } from './elders.schema.ts';

export type ElderRow = typeof elders.$inferSelect;

/**
 * An elder's private fields as one value for a SELECT (open it with `openElderPrivate`,
 * elders.private.ts): the encrypted box, or for a row the `elders.private-backfill` job has not
 * sealed yet its plain columns as `plain:` + JSON. `alias` is the elders table's name or alias in
 * the query. Every reader of an elder's address or health notes selects this, never the columns.
 */
export const privateBox = (alias = 'elders') =>
  sealedBox(alias, {
    address: 'address',
    chronicConditions: 'chronic_conditions',
    allergies: 'allergies',
    dietRestrictions: 'diet_restrictions',
    notes: 'notes',
  });
export type ContactRow = typeof elderContacts.$inferSelect;

/** A search already turned into what the SQL needs (blind indexes computed by the service). */
export interface ElderSearch {
  namePrefix?: string;
  nameContains?: string;
  pinyinPrefix?: string;
  idHash?: string;
  idTail?: { length: 4 | 5 | 6; hash: string };
  phoneHash?: string;
  regionCode?: string;
  category?: string;
  livingSituation?: ElderRow['livingSituation'];
  abilityLevel?: ElderRow['abilityLevel'] | 'none';
  status?: ElderRow['status'];
  /** Birth-date bounds computed from the age range. */
  bornOnOrBefore?: string;
  bornAfter?: string;
}

/** The elders the actor may see (lib/access.ts: region subtree, own elder, elders served through an order). */
export const visibleElders = (actor: Actor) => elderVisibleTo(actor, elders.id, elders.regionCode);

/**
 * The text term of a search (name, pinyin, ID number or tail, phone of the elder or a contact) as
 * one condition on `elders`, or undefined without one. Other modules that search by an elder
 * (the call log) use it inside `elders.id IN (SELECT … WHERE …)` so the same indexes serve.
 */
export function elderTextMatch(s: ElderSearch): SQL | undefined {
  const text: SQL[] = [];
  if (s.namePrefix) text.push(like(elders.name, `${escapeLike(s.namePrefix)}%`));
  // The GIN index of character bigrams narrows the rows; LIKE checks the order of the characters.
  if (s.nameContains)
    text.push(
      and(
        sql`${elders.nameGrams} @> elder_name_grams(${s.nameContains})`,
        like(elders.name, `%${escapeLike(s.nameContains)}%`),
      ) as SQL,
    );
  if (s.pinyinPrefix) {
    const p = `${escapeLike(s.pinyinPrefix)}%`;
    text.push(like(elders.nameInitials, p), like(elders.namePinyin, p));
  }
  if (s.idHash) text.push(eq(elders.idNumberHash, s.idHash));
  if (s.idTail) {
    const col = { 4: elders.idTail4Hash, 5: elders.idTail5Hash, 6: elders.idTail6Hash }[s.idTail.length];
    text.push(eq(col, s.idTail.hash));
  }
  // The elder's own phone or a contact's: one semi-join, so both blind indexes are used.
  if (s.phoneHash)
    text.push(
      sql`${elders.id} IN (SELECT e.id FROM elders e WHERE e.phone_hash = ${s.phoneHash} UNION SELECT ${elderContacts.elderId} FROM ${elderContacts} WHERE ${elderContacts.phoneHash} = ${s.phoneHash})`,
    );
  return text.length ? or(...text) : undefined;
}

function searchWhere(actor: Actor, s: ElderSearch): SQL | undefined {
  return and(
    visibleElders(actor),
    elderTextMatch(s),
    s.regionCode ? like(elders.regionCode, `${escapeLike(s.regionCode)}%`) : undefined,
    s.category ? sql`${elders.categories} @> ARRAY[${s.category}]::text[]` : undefined,
    s.livingSituation ? eq(elders.livingSituation, s.livingSituation) : undefined,
    s.abilityLevel === 'none'
      ? sql`${elders.abilityLevel} IS NULL`
      : s.abilityLevel
        ? eq(elders.abilityLevel, s.abilityLevel)
        : undefined,
    s.status ? eq(elders.status, s.status) : undefined,
    s.bornOnOrBefore ? lte(elders.birthDate, s.bornOnOrBefore) : undefined,
    s.bornAfter ? sql`${elders.birthDate} > ${s.bornAfter}` : undefined,
  );
}

const listColumns = {
  id: elders.id,
  name: elders.name,
  sex: elders.sex,
  birthDate: elders.birthDate,
  idType: elders.idType,
  idNumberEnc: elders.idNumberEnc,
  phoneEnc: elders.phoneEnc,
  regionCode: elders.regionCode,
  regionName: regions.name,
  addressMasked: elders.addressMasked,
  /** Only a row not sealed yet has it (then addressMasked is empty): masked by the presenter. */
  plainAddress: elders.plainAddress,
  livingSituation: elders.livingSituation,
  categories: elders.categories,
  abilityLevel: elders.abilityLevel,
  status: elders.status,
  nextAssessmentDue: elders.nextAssessmentDue,
};
export type ElderListRow = { [K in keyof typeof listColumns]: (typeof listColumns)[K]['_']['data'] | null } & {
  id: string;
  name: string;
};

/** Totals are exact up to this many matches; beyond it a list says "more than" (counting 10^5 rows costs more than the page). */
export const TOTAL_CAP = ELDER_SEARCH_TOTAL_CAP;

export const hasTextTerm = (s: ElderSearch) =>
  Boolean(s.namePrefix || s.nameContains || s.pinyinPrefix || s.idHash || s.idTail || s.phoneHash);

/**
 * One page of a search, ordered by pinyin so a name list reads like a roster, plus the total
 * (exact up to TOTAL_CAP). Without a text term the pinyin index serves the order and the page
 * is read straight off it. With one, the order is computed (`|| ''`) so the planner narrows by
 * the term's index first — walking the pinyin index would pass most of the table before it
 * reaches, say, the names starting with "w".
 */
/** A page of the search; the (capped) `total` only when `withTotal` (the count is a second query). */
export async function searchElders(db: DbOrTx, actor: Actor, s: ElderSearch, limit: number, offset: number, withTotal = false) {
  const where = searchWhere(actor, s);
  const order = hasTextTerm(s) ? [sql`${elders.namePinyin} || ''`, asc(elders.id)] : [asc(elders.namePinyin), asc(elders.id)];
  const page = db
    .select(listColumns)
    .from(elders)
    .leftJoin(regions, eq(regions.code, elders.regionCode))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  if (!withTotal) return { items: (await page) as ElderListRow[] };
  const capped = db
    .select({ one: sql`1` })
    .from(elders)
    .where(where)
    .limit(TOTAL_CAP + 1)
    .as('capped');
  const [items, [{ total }]] = await Promise.all([page, db.select({ total: count() }).from(capped)]);
  return { items: items as ElderListRow[], total: Math.min(total, TOTAL_CAP), totalCapped: total > TOTAL_CAP };
}

/** All rows of a search for export, in pages of `batch` (keyset on id) so memory stays flat. */
export async function* searchAllElders(db: DbOrTx, actor: Actor, s: ElderSearch, max: number, batch = 2000) {
  let after: string | null = null;
  let seen = 0;
  while (seen < max) {
    const rows: Array<ElderListRow & { privateBox: string }> = (await db
      .select({ ...listColumns, privateBox: privateBox() })
      .from(elders)
      .leftJoin(regions, eq(regions.code, elders.regionCode))
      .where(and(searchWhere(actor, s), after ? sql`${elders.id} > ${after}` : undefined))
      .orderBy(asc(elders.id))
      .limit(Math.min(batch, max - seen))) as Array<ElderListRow & { privateBox: string }>;
    if (rows.length === 0) return;
    seen += rows.length;
    after = rows[rows.length - 1].id;
    yield rows;
  }
}

export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string): Promise<ElderRow | undefined> {
  return (
    await db
      .select()
      .from(elders)
      .where(and(eq(elders.id, id), visibleElders(actor)))
      .limit(1)
  )[0];
}

export async function findElder(db: DbOrTx, id: string): Promise<ElderRow | undefined> {
  return (await db.select().from(elders).where(eq(elders.id, id)).limit(1))[0];
}

export async function findByIdHashes(db: DbOrTx, hashes: string[]) {
  if (hashes.length === 0) return [];
  return db
    .select({
      id: elders.id,
      idNumberHash: elders.idNumberHash,
      regionCode: elders.regionCode,
      importDigest: elders.importDigest,
    })
    .from(elders)
    .where(inArray(elders.idNumberHash, hashes));
}

export async function insertElder(db: DbOrTx, row: typeof elders.$inferInsert) {
  return (await db.insert(elders).values(row).returning())[0];
}

export async function updateElder(db: DbOrTx, id: string, patch: Partial<typeof elders.$inferInsert>) {
  return (
    await db
      .update(elders)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(elders.id, id))
      .returning()
  )[0];
}

/** Elders not sealed yet (written before 0995), locked for the backfill; others working on the table skip them. */
export async function lockUnsealedElders(db: DbOrTx, limit: number) {
  return queryRows<{
    id: string;
    address: string | null;
    chronic_conditions: string[] | null;
    allergies: string[] | null;
    diet_restrictions: string[] | null;
    notes: string | null;
  }>(
    db,
    sql`SELECT id, address, chronic_conditions, allergies, diet_restrictions, notes FROM elders
        WHERE private_enc IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

/** Store an elder's sealed private columns (elders.private.ts sealElderPrivate) and nothing else. */
export async function setElderPrivate(
  db: DbOrTx,
  id: string,
  p: Pick<
    typeof elders.$inferInsert,
    | 'privateEnc'
    | 'addressMasked'
    | 'plainAddress'
    | 'plainChronicConditions'
    | 'plainAllergies'
    | 'plainDietRestrictions'
    | 'plainNotes'
  >,
) {
  await db.update(elders).set(p).where(eq(elders.id, id));
}

export async function insertStatusChange(db: DbOrTx, row: typeof elderStatusChanges.$inferInsert) {
  return (await db.insert(elderStatusChanges).values(row).returning())[0];
}

/** One status change by its id (a listener that got the `{ id, partial: true }` form of elder.status-changed). */
export async function findStatusChange(db: DbOrTx, id: string) {
  return (
    await db
      .select({ elderId: elderStatusChanges.elderId, to: elderStatusChanges.toStatus })
      .from(elderStatusChanges)
      .where(eq(elderStatusChanges.id, id))
      .limit(1)
  )[0];
}

export async function statusChangesBefore(db: DbOrTx, elderId: string, before: Date, limit: number) {
  return db
    .select()
    .from(elderStatusChanges)
    .where(and(eq(elderStatusChanges.elderId, elderId), lt(elderStatusChanges.createdAt, before)))
    .orderBy(desc(elderStatusChanges.createdAt))
    .limit(limit);
}

export async function regionNameOf(db: DbOrTx, code: string): Promise<string | null> {
  return (await db.select({ name: regions.name }).from(regions).where(eq(regions.code, code)).limit(1))[0]?.name ?? null;
}

/** Community codes (12 digits) in the actor's subtree, for validating rows and the template's code sheet. */
export async function visibleCommunities(db: DbOrTx, actor: Actor) {
  return db
    .select({ code: regions.code, name: regions.name, parentCode: regions.parentCode })
    .from(regions)
    .where(and(eq(regions.level, 'community'), regionScope(regions.code, actor)))
    .orderBy(asc(regions.code));
}

// ---- invite codes ----------------------------------------------------------------------

export async function insertInviteCode(db: DbOrTx, row: typeof elderInviteCodes.$inferInsert) {
  await db.insert(elderInviteCodes).values(row);
}

/** Use up an unused, unexpired code for this account; the invite, or undefined when there is none. */
export async function redeemInviteCode(tx: DbOrTx, codeHash: string, userId: string) {
  const [invite] = await tx
    .update(elderInviteCodes)
    .set({ usedAt: new Date(), usedBy: userId })
    .where(
      and(eq(elderInviteCodes.codeHash, codeHash), isNull(elderInviteCodes.usedAt), gt(elderInviteCodes.expiresAt, new Date())),
    )
    .returning();
  return invite;
}

// ---- contacts -------------------------------------------------------------------------

export async function listContacts(db: DbOrTx, elderId: string) {
  return db
    .select()
    .from(elderContacts)
    .where(eq(elderContacts.elderId, elderId))
    .orderBy(asc(elderContacts.callOrder), asc(elderContacts.createdAt));
}

export async function insertContact(db: DbOrTx, row: typeof elderContacts.$inferInsert) {
  return (await db.insert(elderContacts).values(row).returning())[0];
}

export async function updateContact(db: DbOrTx, elderId: string, id: string, patch: Partial<typeof elderContacts.$inferInsert>) {
  return (
    await db
      .update(elderContacts)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(elderContacts.id, id), eq(elderContacts.elderId, elderId)))
      .returning()
  )[0];
}

export async function deleteContact(db: DbOrTx, elderId: string, id: string) {
  return (
    await db
      .delete(elderContacts)
      .where(and(eq(elderContacts.id, id), eq(elderContacts.elderId, elderId)))
      .returning()
  )[0];
}

/** Write call orders 1..n in the given order (ids of this elder's contacts). */
export async function setCallOrder(db: DbOrTx, elderId: string, orderedIds: string[]) {
  // Two passes keep the numbers positive while they are rewritten.
  for (const [i, id] of orderedIds.entries())
    await db
      .update(elderContacts)
      .set({ callOrder: 1000 + i, updatedAt: new Date() })
      .where(and(eq(elderContacts.id, id), eq(elderContacts.elderId, elderId)));
  await db
    .update(elderContacts)
    .set({ callOrder: sql`${elderContacts.callOrder} - 999` })
    .where(and(eq(elderContacts.elderId, elderId), gte(elderContacts.callOrder, 1000)));
}
