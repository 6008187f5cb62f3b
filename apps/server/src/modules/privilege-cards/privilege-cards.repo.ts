import { PRIVILEGE_CARD_STAGES, type PrivilegeCardStatus } from '@zhiyang/shared';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { cstDate } from '../../lib/dates.ts';
import { elders } from '../elders/elders.schema.ts';
import { regions } from '../regions/regions.schema.ts';
import { CARD_RENEWAL_WINDOW_DAYS, CARD_VALID_YEARS } from './privilege-cards.rules.ts';
import { privilegeCardEvents, privilegeCardSequences, privilegeCardSettings, privilegeCards } from './privilege-cards.schema.ts';

/** All SQL of the 优待证: settings, applications and cards joined with their elder. */

export async function getSettings(db: DbOrTx, district: string) {
  const [row] = await db.select().from(privilegeCardSettings).where(eq(privilegeCardSettings.regionCode, district));
  return (
    row ?? {
      regionCode: district,
      residenceRule: 'hukou' as const,
      minResidenceYears: 0,
      validYears: CARD_VALID_YEARS,
      renewalWindowDays: CARD_RENEWAL_WINDOW_DAYS,
    }
  );
}

/** The settings of several districts (the defaults for one without a row). */
export async function settingsOf(db: DbOrTx, districts: string[]) {
  const rows = districts.length
    ? await db.select().from(privilegeCardSettings).where(inArray(privilegeCardSettings.regionCode, districts))
    : [];
  const map = new Map(rows.map((r) => [r.regionCode, r]));
  return new Map(
    districts.map((d) => [
      d,
      map.get(d) ?? {
        regionCode: d,
        residenceRule: 'hukou' as const,
        minResidenceYears: 0,
        validYears: CARD_VALID_YEARS,
        renewalWindowDays: CARD_RENEWAL_WINDOW_DAYS,
      },
    ]),
  );
}

export async function putSettings(db: DbOrTx, s: typeof privilegeCardSettings.$inferInsert) {
  const { regionCode, ...rest } = s;
  await db
    .insert(privilegeCardSettings)
    .values(s)
    .onConflictDoUpdate({ target: privilegeCardSettings.regionCode, set: { ...rest, updatedAt: new Date() } });
}

const cardColumns = {
  card: privilegeCards,
  elderName: elders.name,
  idNumberEnc: elders.idNumberEnc,
  birthDate: elders.birthDate,
  regionName: regions.name,
};
function cardQuery(db: DbOrTx) {
  return db
    .select(cardColumns)
    .from(privilegeCards)
    .innerJoin(elders, eq(elders.id, privilegeCards.elderId))
    .leftJoin(regions, eq(regions.code, privilegeCards.regionCode));
}
export type CardRow = Awaited<ReturnType<typeof findCard>> & {};

/** One application or card, if its elder is visible to the actor (else undefined: a 404). */
export async function findCard(db: DbOrTx, actor: Actor, id: string) {
  return (
    await cardQuery(db)
      .where(and(eq(privilegeCards.id, id), elderVisibleTo(actor, elders.id, elders.regionCode)))
      .limit(1)
  )[0];
}

/** One row by id, unscoped: only after the caller's own write in the same transaction. */
export async function findCardById(db: DbOrTx, id: string) {
  return (await cardQuery(db).where(eq(privilegeCards.id, id)).limit(1))[0];
}

export async function listCards(
  db: DbOrTx,
  actor: Actor,
  f: {
    status?: PrivilegeCardStatus;
    stage?: 'application' | 'card';
    renewalDue?: 'true';
    elderId?: string;
    limit: number;
    offset: number;
  },
) {
  const today = cstDate();
  const where = and(
    elderVisibleTo(actor, elders.id, elders.regionCode),
    f.status ? eq(privilegeCards.status, f.status) : undefined,
    f.stage ? inArray(privilegeCards.status, [...PRIVILEGE_CARD_STAGES[f.stage]]) : undefined,
    // Due: issued, and today is on or after the expiry less the district's window (default 90 days).
    f.renewalDue
      ? and(
          eq(privilegeCards.status, 'issued'),
          sql`${privilegeCards.expiresOn} - COALESCE((SELECT s.renewal_window_days FROM privilege_card_settings s
                WHERE s.region_code = substr(${privilegeCards.regionCode}, 1, 6)), ${CARD_RENEWAL_WINDOW_DAYS}) <= ${today}::date`,
        )
      : undefined,
    f.elderId ? eq(privilegeCards.elderId, f.elderId) : undefined,
  );
  const [items, [{ n }]] = await Promise.all([
    cardQuery(db).where(where).orderBy(desc(privilegeCards.createdAt), asc(privilegeCards.id)).limit(f.limit).offset(f.offset),
    db.select({ n: count() }).from(privilegeCards).innerJoin(elders, eq(elders.id, privilegeCards.elderId)).where(where),
  ]);
  return { items, total: n };
}

/** Insert an application; undefined when the elder already has a live one (the partial unique index). */
export async function insertCard(db: DbOrTx, c: typeof privilegeCards.$inferInsert) {
  return (await db.insert(privilegeCards).values(c).onConflictDoNothing().returning())[0];
}

/** The elder's live application or valid card, else the newest row whatever its status. */
export async function currentCardOf(db: DbOrTx, elderId: string) {
  const live = await db
    .select({ id: privilegeCards.id })
    .from(privilegeCards)
    .where(and(eq(privilegeCards.elderId, elderId), inArray(privilegeCards.status, ['checking', 'passed', 'issued'])))
    .limit(1);
  if (live[0]) return live[0];
  return (
    await db
      .select({ id: privilegeCards.id })
      .from(privilegeCards)
      .where(eq(privilegeCards.elderId, elderId))
      .orderBy(desc(privilegeCards.createdAt))
      .limit(1)
  )[0];
}

export async function elderInReach(db: DbOrTx, actor: Actor, elderId: string) {
  return (
    await db
      .select()
      .from(elders)
      .where(and(eq(elders.id, elderId), elderVisibleTo(actor)))
      .limit(1)
  )[0];
}

/** An elder by id, unscoped: only for a card the caller already found in reach. */
export async function elderById(db: DbOrTx, elderId: string) {
  return (await db.select().from(elders).where(eq(elders.id, elderId)).limit(1))[0];
}

/** The elder of an elder's own or a bound family member's account (users.elder_id). */
export async function elderOfPerson(db: DbOrTx, actor: Actor) {
  return (await db.select().from(elders).where(elderVisibleTo(actor)).limit(1))[0];
}

type CardUpdate = Partial<typeof privilegeCards.$inferInsert>;

/** Lock one row for a transition (a concurrent decision waits, then sees the new status). */
export async function lockCard(db: DbOrTx, id: string) {
  return (await db.select().from(privilegeCards).where(eq(privilegeCards.id, id)).for('update'))[0];
}

export async function updateCard(db: DbOrTx, id: string, set: CardUpdate) {
  return (
    await db
      .update(privilegeCards)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(privilegeCards.id, id))
      .returning()
  )[0];
}

/** The next card number of a district's sequence (atomic: the row is created or incremented). */
export async function nextCardSeq(db: DbOrTx, district: string): Promise<number> {
  const [row] = await db
    .insert(privilegeCardSequences)
    .values({ regionCode: district, nextNo: 2 })
    .onConflictDoUpdate({ target: privilegeCardSequences.regionCode, set: { nextNo: sql`${privilegeCardSequences.nextNo} + 1` } })
    .returning();
  return row.nextNo - 1;
}

/** Applications under check in reach whose elder has this ID number (blind index), locked. */
export async function checkingByIdHash(db: DbOrTx, actor: Actor, idHash: string) {
  return db
    .select({ card: privilegeCards, elderName: elders.name })
    .from(privilegeCards)
    .innerJoin(elders, eq(elders.id, privilegeCards.elderId))
    .where(
      and(
        eq(elders.idNumberHash, idHash),
        eq(privilegeCards.status, 'checking'),
        elderVisibleTo(actor, elders.id, elders.regionCode),
      ),
    )
    .for('update', { of: privilegeCards });
}

/** A card by its number, with the holder's name (the public verification). */
export async function cardByNumber(db: DbOrTx, cardNo: string) {
  return (
    await db
      .select({ card: privilegeCards, elderName: elders.name })
      .from(privilegeCards)
      .innerJoin(elders, eq(elders.id, privilegeCards.elderId))
      .where(eq(privilegeCards.cardNo, cardNo))
      .limit(1)
  )[0];
}

/** Live applications and issued cards of elders the archive records as deceased (one elder, or all). */
export async function liveCardsOfDeceased(db: DbOrTx, elderId?: string) {
  return db
    .select({ id: privilegeCards.id })
    .from(privilegeCards)
    .innerJoin(elders, eq(elders.id, privilegeCards.elderId))
    .where(
      and(
        eq(elders.status, 'deceased'),
        inArray(privilegeCards.status, ['checking', 'passed', 'issued']),
        elderId ? eq(elders.id, elderId) : undefined,
      ),
    );
}

/** The timeline of one card, oldest first. */
export function timelineOf(db: DbOrTx, cardId: string) {
  return db.select().from(privilegeCardEvents).where(eq(privilegeCardEvents.cardId, cardId)).orderBy(asc(privilegeCardEvents.id));
}

/** Every application and card of one elder, newest first (the card history). */
export function historyOf(db: DbOrTx, elderId: string) {
  return db
    .select({
      id: privilegeCards.id,
      status: privilegeCards.status,
      cardNo: privilegeCards.cardNo,
      issuedOn: privilegeCards.issuedOn,
      expiresOn: privilegeCards.expiresOn,
      renewalOf: privilegeCards.renewalOf,
      createdAt: privilegeCards.createdAt,
    })
    .from(privilegeCards)
    .where(eq(privilegeCards.elderId, elderId))
    .orderBy(desc(privilegeCards.createdAt), desc(privilegeCards.id));
}
