import { and, asc, count, desc, eq, gte, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { serviceItems } from '../catalogue/catalogue.schema.ts';
import { type ElderSearch, elderTextMatch } from '../elders/elders.repo.ts';
import { elders } from '../elders/elders.schema.ts';
import { serviceComplaints, serviceOrders } from '../orders/orders.schema.ts';
import { users } from '../users/users.schema.ts';
import { callCategories, calls, kbArticles } from './calls.schema.ts';

/** Call records and categories: SQL only. Scope: a call is seen by the staff of its region subtree. */

export type CallRow = typeof calls.$inferSelect;
export type CategoryRow = typeof callCategories.$inferSelect;

const agents = alias(users, 'call_agent_user');

const listColumns = {
  call: calls,
  elderName: elders.name,
  agentName: agents.displayName,
  categoryName: callCategories.name,
};

function listQuery(db: DbOrTx) {
  return db
    .select(listColumns)
    .from(calls)
    .leftJoin(elders, eq(elders.id, calls.elderId))
    .leftJoin(agents, eq(agents.id, calls.agentUserId))
    .leftJoin(callCategories, eq(callCategories.code, calls.categoryCode));
}
export type CallListRow = Awaited<ReturnType<ReturnType<typeof listQuery>['execute']>>[number];

export interface CallFilter {
  direction?: 'inbound' | 'outbound';
  outcome?: CallRow['outcome'];
  category?: string;
  agent?: string;
  elderId?: string;
  from?: Date;
  to?: Date;
  search?: CallSearch;
}

/**
 * A text search already turned into what the SQL needs: the elder part as the archive's search
 * understands it (name, pinyin, ID, phone of the elder or a contact — blind indexes computed by
 * the service), the call's own number by its blind index, and words of the notes.
 */
export interface CallSearch {
  elder: ElderSearch;
  /** A full number: the call's caller or called number by blind index (never a LIKE on a number). */
  numberHash?: string;
  /** Words to find in the notes (left out for a phone or ID number, which are never searched in clear). */
  notes?: string;
}

function searchMatch(s: CallSearch): SQL | undefined {
  const elderMatch = elderTextMatch(s.elder);
  return or(
    elderMatch ? sql`${calls.elderId} IN (SELECT ${elders.id} FROM ${elders} WHERE ${elderMatch})` : undefined,
    s.numberHash ? or(eq(calls.callerHash, s.numberHash), eq(calls.calledHash, s.numberHash)) : undefined,
    s.notes ? ilike(calls.notes, `%${escapeLike(s.notes)}%`) : undefined,
    // A search that names nothing matches nothing (rather than every call).
    sql`false`,
  );
}

function where(actor: Actor, f: CallFilter): SQL | undefined {
  return and(
    regionScope(calls.regionCode, actor),
    f.direction ? eq(calls.direction, f.direction) : undefined,
    f.outcome ? eq(calls.outcome, f.outcome) : undefined,
    f.category
      ? or(
          eq(calls.categoryCode, f.category),
          sql`${calls.categoryCode} IN (SELECT code FROM call_categories WHERE parent_code = ${f.category})`,
        )
      : undefined,
    f.agent ? eq(calls.agentUserId, f.agent) : undefined,
    f.elderId ? eq(calls.elderId, f.elderId) : undefined,
    f.from ? gte(calls.offeredAt, f.from) : undefined,
    f.to ? lt(calls.offeredAt, f.to) : undefined,
    f.search ? searchMatch(f.search) : undefined,
  );
}

export async function listCalls(db: DbOrTx, actor: Actor, f: CallFilter, limit: number, offset: number) {
  const w = where(actor, f);
  const [items, [{ total }]] = await Promise.all([
    listQuery(db).where(w).orderBy(desc(calls.offeredAt), desc(calls.id)).limit(limit).offset(offset),
    db.select({ total: count() }).from(calls).where(w),
  ]);
  return { items, total };
}

/** One call with the names a detail shows, if it lies in the actor's region subtree. */
export async function findVisibleCall(db: DbOrTx, actor: Actor, id: string) {
  const rows = await db
    .select({ ...listColumns, articleTitle: kbArticles.title, orderNo: serviceOrders.no })
    .from(calls)
    .leftJoin(elders, eq(elders.id, calls.elderId))
    .leftJoin(agents, eq(agents.id, calls.agentUserId))
    .leftJoin(callCategories, eq(callCategories.code, calls.categoryCode))
    .leftJoin(kbArticles, eq(kbArticles.id, calls.articleId))
    .leftJoin(serviceOrders, eq(serviceOrders.id, calls.orderId))
    .where(and(eq(calls.id, id), regionScope(calls.regionCode, actor)))
    .limit(1);
  return rows[0];
}
export type CallDetailRow = NonNullable<Awaited<ReturnType<typeof findVisibleCall>>>;

/** The call row locked for the rest of the transaction: two retries of one action queue here. */
export async function lockCall(tx: DbOrTx, actor: Actor, id: string): Promise<CallRow | undefined> {
  const rows = await tx
    .select()
    .from(calls)
    .where(and(eq(calls.id, id), regionScope(calls.regionCode, actor)))
    .for('update')
    .limit(1);
  return rows[0];
}

export type NewCall = typeof calls.$inferInsert;

export async function insertCall(db: DbOrTx, c: NewCall) {
  return (await db.insert(calls).values(c).returning())[0];
}

export async function updateCall(db: DbOrTx, id: string, patch: Partial<typeof calls.$inferInsert>) {
  return (
    await db
      .update(calls)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(calls.id, id))
      .returning()
  )[0];
}

/** An elder the actor may see (the archive's one visibility rule), with the fields a call needs. */
export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string) {
  const rows = await db
    .select({ id: elders.id, name: elders.name, regionCode: elders.regionCode, status: elders.status })
    .from(elders)
    .where(and(eq(elders.id, id), elderVisibleTo(actor)))
    .limit(1);
  return rows[0];
}

// Categories

export async function listCategories(db: DbOrTx, includeInactive: boolean) {
  return db
    .select()
    .from(callCategories)
    .where(includeInactive ? undefined : eq(callCategories.active, true))
    .orderBy(asc(callCategories.sort), asc(callCategories.code));
}

export async function findCategory(db: DbOrTx, code: string) {
  return (await db.select().from(callCategories).where(eq(callCategories.code, code)).limit(1))[0];
}

export async function updateCategory(db: DbOrTx, code: string, patch: Partial<typeof callCategories.$inferInsert>) {
  return (await db.update(callCategories).set(patch).where(eq(callCategories.code, code)).returning())[0];
}

export async function childrenOf(db: DbOrTx, code: string) {
  return db.select().from(callCategories).where(eq(callCategories.parentCode, code)).orderBy(asc(callCategories.sort));
}

/** Service items by code (the categories' default items), active or not. */
export async function itemsByCodes(db: DbOrTx, codes: string[]) {
  if (!codes.length) return [];
  return db
    .select({ id: serviceItems.id, code: serviceItems.code, active: serviceItems.active })
    .from(serviceItems)
    .where(inArray(serviceItems.code, codes));
}

// Complaints taken on a call (the complaints list of the orders module shows them)

export async function insertCallComplaint(db: DbOrTx, c: typeof serviceComplaints.$inferInsert) {
  return (await db.insert(serviceComplaints).values(c).returning())[0];
}

export async function findComplaintDue(db: DbOrTx, id: string) {
  return (
    await db.select({ dueAt: serviceComplaints.dueAt }).from(serviceComplaints).where(eq(serviceComplaints.id, id)).limit(1)
  )[0];
}

// Care calls (主动关爱): the record of a dial

/** The record of a care-call dial, by the dial's id. */
export async function findCallOfCareAttempt(db: DbOrTx, attemptId: string) {
  return (await db.select().from(calls).where(eq(calls.careCallAttemptId, attemptId)).limit(1))[0];
}

/** The elder's own number as the archive keeps it (encrypted, blind index): the number a care call dials. */
export async function elderNumber(db: DbOrTx, elderId: string) {
  return (
    await db.select({ enc: elders.phoneEnc, hash: elders.phoneHash }).from(elders).where(eq(elders.id, elderId)).limit(1)
  )[0];
}
